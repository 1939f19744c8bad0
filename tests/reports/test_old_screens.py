"""A screen stored under an earlier rules version keeps its own words in the clinician report and
its version, answers, outcome and reasons in the JSON export (screening 2026.3)."""

from __future__ import annotations

import json
from datetime import timedelta

from django.utils import timezone

from screening.models import Screening
from tests.rehab.support import text_of

OLD_ANSWERS = {
    "age": 40,
    "activity": "running",
    "walking_or_groin_pain": "yes",
    "catching_giving_way": "yes",
    "rapid_swelling": "no",
    "night_or_rest_pain": "unsure",
}


def _old_screen(user) -> Screening:
    # Before the plan: a red-flag screen during a plan pauses it, which this test is not about.
    return Screening.objects.create(
        user=user,
        version="2026.2",
        answers=OLD_ANSWERS,
        outcome="clinician_soon",
        reasons=["catching_giving_way", "walking_or_groin_pain"],
        taken_at=timezone.now() - timedelta(days=120),
    )


def test_the_report_shows_a_2026_2_screens_reasons_in_2026_2_words(plan, alice_client, alice):
    # The report lists the screen the plan started from (and later ones): make it the old one.
    plan.screening = _old_screen(alice)
    plan.save()
    body = text_of(alice_client.get("/rehab/report/"))
    old = body[body.index("started the plan") : body.index("Later check")]  # the 2026.3 screen comes later
    assert "1 red flag answered No (the latest check lists those it ruled out)" in old
    Screening.objects.filter(user=alice, taken_at__gt=plan.created_at).delete()  # now the old one is the latest
    body = text_of(alice_client.get("/rehab/report/"))
    # The questions as 2026.2 asked them (a retired one included), with the person's answers.
    assert "Yes: Does it now hurt just to walk normally" in body
    assert "Yes: Does the knee catch, lock for a moment, click painfully or give way under you?" in body
    assert "Not sure: Does the pain wake you at night, stay even when resting" in body  # "not sure" rules out nothing
    old = body[body.index("started the plan") : body.index('id="r-chart"')]
    ruled_out = old[old.index("ruled out by the person") :]
    assert "Is the knee badly swollen, or did it swell up within a few hours of a twist or blow?" in ruled_out
    assert "Is the knee badly swollen now" not in old  # 2026.3's words
    assert "rules 2026.2" in old
    assert "You said" not in body and "You may" not in body  # third person


def test_the_json_export_keeps_a_2026_2_screen_as_it_was_stored(plan, alice_client, alice):
    _old_screen(alice)
    export = json.loads(alice_client.get("/rehab/export.json").content)
    (old,) = [s for s in export["screenings"] if s["version"] == "2026.2"]
    assert old["answers"] == OLD_ANSWERS
    assert old["outcome"] == "clinician_soon"
    assert old["reasons"] == ["catching_giving_way", "walking_or_groin_pain"]
    assert {s["version"] for s in export["screenings"]} == {"2026.2", "2026.3"}


def test_a_red_flag_screen_during_a_plan_leaves_the_report_and_timeline_readable(plan, alice_client, alice):
    # It pauses the plan; the pause's words join the screen's heading with others (they were lazy
    # strings, and "; ".join raised TypeError: a 500 on both pages).
    from tests.factories import ITBS_ANSWERS, make_screening

    make_screening(alice, {**ITBS_ANSWERS, "night_or_rest_pain": "yes"}, taken_at=timezone.now() - timedelta(days=3))
    for url, words in (
        ("/rehab/report/", "A check with a clinician within days advised"),
        ("/rehab/timeline/", "Book a check with a clinician"),
    ):
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert words in text_of(response), url
