"""Flow 2026.2 through the views: stop as soon as the outcome is known."""

from __future__ import annotations

from tests.factories import ITBS_ANSWERS
from tests.screening.test_rules import URGENT_EMERGENCY
from tests.screening.test_step_views import PLEASE_ANSWER, RESULT_PREFIX, fieldset_of, html_of, stored, take_screen

EMERGENCY_IDS = URGENT_EMERGENCY  # the urgent step's emergency questions, from the spec table


def test_one_emergency_answer_and_continue_shows_the_result_at_once(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"hot_swollen_fever": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith(RESULT_PREFIX)
    screening = stored(response["Location"])
    assert (screening.outcome, screening.reasons) == ("emergency", ["hot_swollen_fever"])
    assert set(screening.answers) == {"age", "activity", "hot_swollen_fever"}  # the blanks: not asked


def test_a_not_sure_emergency_answer_also_stops_at_once(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"open_wound": "unsure"})
    assert stored(response["Location"]).outcome == "emergency"


def test_calf_swelling_alone_asks_only_for_the_unanswered_emergency_questions(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"calf_swelling": "yes"})
    assert response.status_code == 200
    html = html_of(response)
    for qid in EMERGENCY_IDS:
        assert PLEASE_ANSWER in fieldset_of(html, qid), qid
    for qid in ("locked_knee", "rapid_swelling", "cannot_bear_weight", "hot_swollen_knee", "blood_thinner_swelling"):
        assert PLEASE_ANSWER not in fieldset_of(html, qid), qid
    response = client.post("/screening/urgent/", {"calf_swelling": "yes", **dict.fromkeys(EMERGENCY_IDS, "no")})
    assert response["Location"] == "/screening/injury/"  # injury can still lead to the Ottawa checks
    response = client.post("/screening/injury/", {"injury_onset": "no"})
    assert stored(response["Location"]).outcome == "urgent_today"


def test_giving_way_in_the_warning_step_shows_the_result_without_the_pattern_step(client, db):
    take_screen(client, ITBS_ANSWERS, until="warning")
    response = client.post("/screening/warning/", {"catching_giving_way": "yes"})
    assert response.status_code == 302
    screening = stored(response["Location"])
    assert (screening.outcome, screening.reasons) == ("clinician_soon", ["catching_giving_way"])
    assert not [qid for qid in screening.answers if qid in ("pain_outside", "repetitive_onset")]


def test_none_of_these_still_fills_the_blanks_with_no(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"none_of_these": "1"})
    assert response["Location"] == "/screening/injury/"


def test_a_child_sees_the_hip_question_and_an_adult_does_not(client, db):
    client.post("/screening/", {"age": "12", "activity": "running"})
    assert 'name="child_limp_hip"' in html_of(client.get("/screening/urgent/"))
    client.post("/screening/restart/")
    client.post("/screening/", {"age": "16", "activity": "running"})
    assert 'name="child_limp_hip"' not in html_of(client.get("/screening/urgent/"))
