"""FHIR R4 export: validates with fhir.resources (R4B) and matches the JSON export value for value."""

from __future__ import annotations

import json
import re

from fhir.resources.R4B.bundle import Bundle

from reports.models import FhirIdentity
from screening import rules

URL = "/rehab/export.fhir.json"
OFFSET = re.compile(r"T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")


def fhir(client) -> dict:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    return json.loads(response.content)


def resources(data, kind):
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def test_the_bundle_validates(plan, alice_client):
    data = fhir(alice_client)
    bundle = Bundle.model_validate(data)
    assert bundle.type == "collection"
    assert {e.resource.get_resource_type() for e in bundle.entry} == {
        "Patient",
        "QuestionnaireResponse",
        "Observation",
    }


def test_the_patient_has_no_name_and_a_stable_random_id(plan, alice_client, alice):
    data = fhir(alice_client)
    (patient,) = resources(data, "Patient")
    assert "name" not in patient
    assert patient["identifier"][0]["value"] == str(FhirIdentity.objects.get(plan=plan).fhir_id)
    assert alice.username not in json.dumps(data)
    assert resources(fhir(alice_client), "Patient") == [patient]


def test_questionnaire_responses_carry_the_rules_version_and_codings(plan, alice_client):
    responses = resources(fhir(alice_client), "QuestionnaireResponse")
    assert len(responses) == 2
    for response in responses:
        assert response["questionnaire"].endswith(f"|{rules.VERSION}")
        items = {item["linkId"]: item["answer"][0] for item in response["item"]}
        assert isinstance(items["age"]["valueInteger"], int)
        assert items["activity"]["valueCoding"]["code"] == "running"
        codes = {a["valueCoding"]["code"] for k, a in items.items() if k not in ("age", "activity")}
        assert codes <= {"yes", "no", "unsure"}


def test_pain_observations_match_the_json_export(plan, alice_client):
    observations = resources(fhir(alice_client), "Observation")
    export = json.loads(alice_client.get("/rehab/export.json").content)
    expected = sorted(
        (log["date"], kind, log[column])
        for log in export["logs"]
        for column, kind in (("pain_worst", "Worst pain in the day"), ("pain_during", "Pain during the session"))
        if log[column] is not None
    )
    got = []
    for obs in observations:
        assert obs["status"] == "final"
        assert obs["code"]["coding"][0]["code"] == "72514-3"
        assert obs["category"][0]["coding"][0]["code"] == "survey"
        assert OFFSET.search(obs["effectiveDateTime"])
        got.append((obs["effectiveDateTime"][:10], obs["code"]["text"], obs["valueInteger"]))
    assert sorted(got) == expected
    assert len(expected) == 5


def test_the_time_is_in_the_persons_zone(plan, alice_client, alice):
    alice.time_zone = "America/New_York"
    alice.save()
    obs = resources(fhir(alice_client), "Observation")[0]
    assert obs["effectiveDateTime"].endswith("-05:00")
    Bundle.model_validate(fhir(alice_client))


def test_without_a_plan_the_bundle_still_validates(alice_client):
    data = fhir(alice_client)
    Bundle.model_validate(data)
    assert [e["resource"]["resourceType"] for e in data["entry"]] == ["Patient"]


def test_each_activity_entry_is_an_observation_that_validates(building, alice_client):
    data = fhir(alice_client)
    Bundle.model_validate(data)
    export = json.loads(alice_client.get("/rehab/export.json").content)
    expected = sorted(
        (log["date"], a["kind"], a["duration_min"], a["distance_km"], a["rpe"])
        for log in export["logs"]
        for a in log["activities"]
    )
    patient = FhirIdentity.objects.get(plan=building).fhir_id
    activity = [o for o in resources(data, "Observation") if o["category"][0]["coding"][0]["code"] == "activity"]
    got = []
    for obs in activity:
        assert obs["code"]["coding"][0] == {
            "system": "http://loinc.org",
            "code": "55411-3",
            "display": "Exercise duration",
        }
        assert obs["subject"] == {"reference": f"urn:uuid:{patient}"}
        quantity = obs["valueQuantity"]
        assert (quantity["system"], quantity["code"]) == ("http://unitsofmeasure.org", "min")
        parts = {c["code"]["coding"][0]["code"]: c for c in obs["component"]}
        km = parts.get("distance", {}).get("valueQuantity")
        if km is not None:
            assert km["code"] == "km"
        got.append(
            (
                obs["effectiveDateTime"],
                parts["73985-4"]["valueCodeableConcept"]["coding"][0]["code"],
                quantity["value"],
                None if km is None else km["value"],
                parts.get("session-rpe", {}).get("valueInteger"),
            )
        )
    assert sorted(got) == expected
    assert len(got) == 16
    assert ("2026-11-11", "running", 20, 3.2, 3) in got
    assert ("2026-11-12", "swimming", 30, None, None) in got


def test_the_goal_is_a_goal_resource(building, alice_client):
    data = fhir(alice_client)
    (goal,) = resources(data, "Goal")
    assert goal["lifecycleStatus"] == "active"
    assert goal["startDate"] == "2026-10-13"  # sent with the start: the plan's start date
    minutes, km = goal["target"]
    assert minutes["measure"]["coding"][0]["code"] == "55411-3"
    assert (minutes["detailQuantity"]["value"], minutes["detailQuantity"]["code"]) == (80, "min/wk")
    assert (km["detailQuantity"]["value"], km["detailQuantity"]["code"]) == (12.0, "km/wk")
    assert Bundle.model_validate(data).entry[-1].resource.get_resource_type() == "Goal"


def test_no_goal_and_no_activity_observation_without_them(plan, alice_client):
    data = fhir(alice_client)
    assert not resources(data, "Goal")
    assert {o["category"][0]["coding"][0]["code"] for o in resources(data, "Observation")} == {"survey"}


def test_a_2026_3_screen_exports_the_2026_3_canonical_and_an_older_one_keeps_its_own(plan, alice_client, alice):
    from datetime import timedelta

    from django.utils import timezone

    from screening.models import Screening

    old = {"age": 40, "activity": "running", "walking_or_groin_pain": "yes"}
    Screening.objects.create(
        user=alice,
        version="2026.2",
        answers=old,
        outcome="clinician_soon",
        reasons=["walking_or_groin_pain"],
        taken_at=timezone.now() - timedelta(days=50),
    )
    responses = resources(fhir(alice_client), "QuestionnaireResponse")
    canonicals = sorted(r["questionnaire"].rsplit("|", 1)[1] for r in responses)
    assert rules.VERSION == "2026.3"
    assert canonicals == ["2026.2", "2026.3", "2026.3"]
    (kept,) = [r for r in responses if r["questionnaire"].endswith("|2026.2")]
    assert kept["questionnaire"] == "https://itbcare.example/fhir/Questionnaire/knee-check|2026.2"
    assert {item["linkId"] for item in kept["item"]} == set(old)  # the retired id is exported as stored
    Bundle.model_validate(fhir(alice_client))
