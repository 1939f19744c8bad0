"""The function score (PSFS) in `itbcare.export/3` and in FHIR: /3 keeps every /2 key and adds
`psfs`; the FHIR Bundle (validated with fhir.resources R4B) holds one QuestionnaireResponse per
rating date against the local Questionnaire, and both say the same, value for value."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fhir.resources.R4B.bundle import Bundle

from rehab import services

QUESTIONNAIRE = "https://itbcare.example/fhir/Questionnaire/psfs|1"


@pytest.fixture
def rated(plan):
    """The day-16 plan with three activities rated on day 1 and day 14; on day 16 the second is
    cleared, a fourth named in its place and cleared again (never rated)."""
    start = plan.start_date
    run, stairs, cycle = services.psfs_name(plan=plan, names={1: "Run 10 km", 2: "Stairs", 3: "Cycle"}, today=start)
    services.psfs_rate(plan=plan, day=start, scores={run.pk: 3, stairs.pk: 4, cycle.pk: 4})
    services.psfs_rate(plan=plan, day=start + timedelta(days=13), scores={run.pk: 6, stairs.pk: 6, cycle.pk: 7})
    later = start + timedelta(days=15)
    for second in ("", "Hop on the bad leg", ""):  # cleared, a new one named in its place, cleared
        services.psfs_name(plan=plan, names={1: "Run 10 km", 2: second, 3: "Cycle"}, today=later)
    return plan


def _export(client) -> dict:
    return json.loads(client.get("/rehab/export.json").content)


def _fhir(client) -> dict:
    return json.loads(client.get("/rehab/export.fhir.json").content)


def test_export_3_adds_the_function_score(rated, alice_client):
    data = _export(alice_client)
    assert data["schema"] == "itbcare.export/3"
    psfs = data["psfs"]
    names = [(a["position"], a["name"], a["retired_on"]) for a in psfs["activities"]]
    retired = (rated.start_date + timedelta(days=15)).isoformat()
    assert (1, "Run 10 km", None) in names and (2, "Stairs", retired) in names and (3, "Cycle", None) in names
    assert (2, "Hop on the bad leg", retired) in names  # named, then cleared: kept, never rated
    assert [(r["date"], [s["score"] for s in r["scores"]], r["average"]) for r in psfs["ratings"]] == [
        (rated.start_date.isoformat(), [3, 4, 4], 3.7),
        ((rated.start_date + timedelta(days=13)).isoformat(), [6, 6, 7], 6.3),
    ]
    assert psfs["change"] == {
        "first": rated.start_date.isoformat(),
        "latest": (rated.start_date + timedelta(days=13)).isoformat(),
        "before": 3.7,
        "after": 6.3,
        "verdict": "better",
        "threshold": 2.0,
    }


def test_without_a_plan_export_3_has_no_function_score(alice_client):
    assert _export(alice_client)["psfs"] is None


def test_fhir_has_one_questionnaire_response_per_rating_date_and_validates(rated, alice_client):
    data = _fhir(alice_client)
    Bundle.model_validate(data)
    responses = [
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse" and e["resource"]["questionnaire"] == QUESTIONNAIRE
    ]
    assert len(responses) == 2
    assert "loinc" not in json.dumps(responses).lower()  # a local canonical, no code claimed for it
    patient = next(e["fullUrl"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient")
    assert all(r["subject"] == {"reference": patient} and r["status"] == "completed" for r in responses)


def test_fhir_and_export_3_match_value_for_value(rated, alice_client):
    export = _export(alice_client)["psfs"]
    names = {a["id"]: a["name"] for a in export["activities"]}
    expected = sorted(
        (
            rating["date"],
            tuple((f"activity-{s['activity']}", names[s["activity"]], s["score"]) for s in rating["scores"]),
            rating["average"],
        )
        for rating in export["ratings"]
    )
    got = []
    for entry in _fhir(alice_client)["entry"]:
        resource = entry["resource"]
        if resource.get("questionnaire") != QUESTIONNAIRE:
            continue
        items = [i for i in resource["item"] if i["linkId"] != "average"]
        (average,) = [i["answer"][0]["valueDecimal"] for i in resource["item"] if i["linkId"] == "average"]
        got.append(
            (
                resource["authored"],
                tuple((i["linkId"], i["text"], i["answer"][0]["valueInteger"]) for i in items),
                average,
            )
        )
    assert sorted(got) == expected and len(got) == 2


def test_the_pain_trend_in_fhir_is_unchanged_by_the_function_score(plan, alice_client):
    def pain(data):
        return sorted(
            (e["resource"]["effectiveDateTime"], e["resource"]["valueInteger"])
            for e in data["entry"]
            if e["resource"]["resourceType"] == "Observation"
        )

    before = pain(_fhir(alice_client))
    run, *_ = services.psfs_name(plan=plan, names={1: "Run"}, today=plan.start_date)
    services.psfs_rate(plan=plan, day=plan.start_date, scores={run.pk: 2})
    assert pain(_fhir(alice_client)) == before and len(before) == 5


# --- The report and the PDF -------------------------------------------------------------------


def _words(response) -> str:
    import html
    import re

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_report_shows_the_trend_and_the_function_score_table(rated, alice_client):
    body = _words(alice_client.get("/rehab/report/"))
    assert "Trend and function score" in body
    assert "function 3.7 → 6.3" in body  # the trend sentence, as on the timeline
    timeline = _words(alice_client.get("/rehab/timeline/"))
    trend = body.split("As of 27 Nov 2026: ")[1].split(".")[0]
    assert trend in timeline
    for name in ("Run 10 km", "Stairs", "Cycle"):
        assert name in body
    assert "Average 3.7 on 12 Nov 2026 to 6.3 on 25 Nov 2026 (+2.6 points" in body
    assert "Improved by at least the 2-point minimum detectable change" in body


def test_the_report_table_keeps_to_the_chosen_dates(rated, alice_client):
    body = _words(alice_client.get("/rehab/report/", {"date_to": "2026-11-20"}))
    assert "3.7" in body and "6.3 on" not in body and "Average 3.7 on" not in body  # one date: no change


def test_the_pdf_has_the_function_score_table(rated, alice_client):
    import io

    from pypdf import PdfReader

    response = alice_client.get("/rehab/report.pdf")
    assert response.status_code == 200
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Trend and function score" in text and "Run 10 km" in text
    assert "Improved by at least the 2-point minimum detectable change" in text


def test_no_function_score_and_no_trend_leave_the_report_as_it_was(alice, alice_client, frozen_clock):
    from tests.factories import make_plan

    make_plan(alice)
    assert "Trend and function score" not in _words(alice_client.get("/rehab/report/"))
