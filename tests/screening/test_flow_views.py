"""Flow 2026.2 (with 2026.3's short check step) through the views: stop as soon as the outcome is known."""

from __future__ import annotations

import pytest

from screening import flow
from tests.factories import ITBS_ANSWERS
from tests.screening.support import (
    PLEASE_ANSWER,
    RESULT_PREFIX,
    URGENT_EMERGENCY,
    URGENT_PAGES,
    html_of,
    radios,
    stored,
    take_screen,
)

EMERGENCY_IDS = URGENT_EMERGENCY  # the urgent step's emergency questions, from the spec table


def test_one_emergency_answer_and_continue_shows_the_result_at_once(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent-body")
    response = client.post("/screening/urgent-body/", {"hot_swollen_fever": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith(RESULT_PREFIX)
    screening = stored(response["Location"])
    assert (screening.outcome, screening.reasons) == ("emergency", ["hot_swollen_fever"])
    # The blanks of that page: not asked.
    assert set(screening.answers) == {"age", "activity", *URGENT_PAGES["urgent"], "hot_swollen_fever"}


def test_a_not_sure_emergency_answer_also_stops_at_once(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"open_wound": "unsure"})
    assert stored(response["Location"]).outcome == "emergency"


def test_every_emergency_question_of_the_urgent_step_is_on_its_first_two_pages():
    # So an emergency is at most: "None of these" on page 1, the answer, Continue, the call link.
    assert {flow.PAGE_OF[qid] for qid in EMERGENCY_IDS} == {"urgent", "urgent-body"}


def test_calf_swelling_alone_asks_only_the_unanswered_emergency_questions_on_a_short_check_page(client, db):
    # 2026.3: a short step of its own instead of the same page with errors.
    take_screen(client, ITBS_ANSWERS, until="urgent-body")
    response = client.post("/screening/urgent-body/", {"calf_swelling": "yes"})
    assert response["Location"] == "/screening/check/"
    html = html_of(client.get("/screening/check/"))
    assert PLEASE_ANSWER not in html
    asked = [qid for qid in EMERGENCY_IDS if radios(html, qid)]
    assert asked == ["hot_swollen_fever", "chest_or_breathing", "saddle_numbness"]
    for qid in ("locked_knee", "rapid_swelling", "cannot_bear_weight", "hot_swollen_knee", "blood_thinner_swelling"):
        assert not radios(html, qid), qid
    response = client.post("/screening/check/", dict.fromkeys(asked, "no"))
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


def test_a_gate_answered_no_shows_not_typical_without_the_rest_of_the_pattern(client, db):
    take_screen(client, ITBS_ANSWERS, until="pattern")
    response = client.post("/screening/pattern/", {"pain_outside": "no"})
    screening = stored(response["Location"])
    assert (screening.outcome, screening.reasons) == ("not_typical", ["pain_outside", "repetitive_onset"])


def test_the_plan_is_offered_only_when_every_shown_pattern_question_is_answered(client, db):
    take_screen(client, ITBS_ANSWERS, until="pattern")
    response = client.post("/screening/pattern/", {"pain_outside": "yes"})  # the other places left blank
    assert response.status_code == 200
    assert html_of(response).count(PLEASE_ANSWER) == 5


def test_none_of_these_still_fills_the_blanks_with_no(client, db):
    take_screen(client, ITBS_ANSWERS, until="urgent")
    response = client.post("/screening/urgent/", {"none_of_these": "1"})
    assert response["Location"] == "/screening/urgent-body/"


def test_a_child_sees_the_hip_question_and_an_adult_does_not(client, db):
    client.post("/screening/", {"age": "12", "activity": "running"})
    client.post("/screening/urgent/", {"none_of_these": "1"})
    client.post("/screening/urgent-body/", {"none_of_these": "1"})
    assert 'name="child_limp_hip"' in html_of(client.get("/screening/urgent-joint/"))
    client.post("/screening/restart/")
    client.post("/screening/", {"age": "16", "activity": "running"})
    client.post("/screening/urgent/", {"none_of_these": "1"})
    client.post("/screening/urgent-body/", {"none_of_these": "1"})
    html = html_of(client.get("/screening/urgent-joint/"))
    assert 'name="locked_knee"' in html
    assert 'name="child_limp_hip"' not in html


@pytest.mark.parametrize(("flag", "age"), [*((qid, "34") for qid in EMERGENCY_IDS), ("cannot_bear_weight", "12")])
def test_every_urgent_emergency_reaches_a_call_link_within_4_taps_after_the_age(client, db, flag, age):
    client.post("/screening/", {"age": age, "activity": "running"})
    url, taps = "/screening/urgent/", 0
    while f'name="{flag}"' not in html_of(client.get(url)):
        url = client.post(url, {"none_of_these": "1"})["Location"]  # "None of these" on an earlier page
        taps += 1
    response = client.post(url, {flag: "yes"})  # the answer, then Continue
    taps += 2
    assert response["Location"].startswith(RESULT_PREFIX)
    html = html_of(client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en-GB"))
    assert 'class="button button-call" href="tel:999"' in html
    taps += 1  # the call link
    assert taps <= 4, (flag, taps)
