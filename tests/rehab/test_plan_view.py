"""The "Your plan" page (`/rehab/plan/`, issue 12): every activity's 8 levels, what passing the
check takes, the session rules, the pain model and the eject rules, with done / current / next
marked from the engine's state."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.test.html import parse_html

from rehab import progression
from rehab.forms import CheckForm
from rehab.ladders import ACTIVITIES, LADDERS
from tests.factories import make_history, make_plan, warm
from tests.rehab.support import TODAY, return_at_level_3, text_of
from tests.rehab.support import elements as _elements
from tests.rehab.support import text as _text

pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/rehab/plan/"


def ladder_rungs(response, activity: str) -> list[dict[str, str]]:
    """The rungs of one activity's ladder: level, mark and visible text."""
    root = parse_html(response.content.decode())
    ladders = [e for e in _elements(root) if dict(e.attributes).get("data-ladder") == activity]
    assert len(ladders) == 1, f"one ladder for {activity}"
    return [
        {"level": dict(li.attributes)["data-level"], "mark": dict(li.attributes)["data-mark"], "text": _text(li)}
        for li in _elements(ladders[0])
        if li.name == "li"
    ]


def section(response, element_id: str) -> str:
    root = parse_html(response.content.decode())
    found = [e for e in _elements(root) if dict(e.attributes).get("id") == element_id]
    assert len(found) == 1, f"one #{element_id}"
    return " ".join(html.unescape(_text(found[0])).split())


def squash(value) -> str:
    return " ".join(html.unescape(str(value)).split())


@pytest.mark.parametrize("has_plan", [False, True], ids=["no-plan", "plan"])
def test_the_page_lists_the_8_levels_of_every_activity(alice, alice_client, has_plan):
    if has_plan:
        make_plan(alice, start_date=TODAY - timedelta(days=2), activity="cycling")
    response = alice_client.get(URL)
    assert response.status_code == 200
    for code, _label in ACTIVITIES:
        rungs = ladder_rungs(response, code)
        assert [r["level"] for r in rungs] == [str(n) for n in range(1, progression.MAX_LEVEL + 1)]
        for rung, session in zip(rungs, LADDERS[code], strict=True):
            assert squash(session) in squash(rung["text"])


def test_the_persons_own_ladder_comes_first_and_open_the_others_folded(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2), activity="hiking")
    content = alice_client.get(URL).content.decode()
    root = parse_html(content)
    order = [dict(e.attributes)["data-ladder"] for e in _elements(root) if "data-ladder" in dict(e.attributes)]
    assert order[0] == "hiking"
    assert sorted(order) == sorted(code for code, _ in ACTIVITIES)
    folded = [dict(e.attributes).get("id") for e in _elements(root) if e.name == "details"]
    assert sorted(folded) == sorted(f"ladder-{code}" for code, _ in ACTIVITIES if code != "hiking")
    assert "Your ladder: Hiking or walking" in html.unescape(content)


def test_the_check_lists_each_question_with_what_passing_takes_from_the_constants(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2))
    text = section(alice_client.get(URL), "plan-check")
    fields = CheckForm.base_fields
    for name in ("check_new_symptoms", "check_daily_pain", "check_walk_30", "check_squat_pain", "check_hop_pain"):
        assert squash(fields[name].label) in text
    assert f"{squash(fields['check_daily_pain'].label)} {progression.CHECK_MAX_DAILY_PAIN} out of 10 or less" in text
    assert f"{squash(fields['check_squat_pain'].label)} {progression.CHECK_MAX_SQUAT_PAIN} out of 10 or less" in text
    assert f"{squash(fields['check_hop_pain'].label)} {progression.CHECK_MAX_HOP_PAIN} out of 10 or less" in text
    assert f"{squash(fields['check_walk_30'].label)} Yes" in text
    assert f"It is due on day {progression.REST_DAYS}." in text
    assert f"come down by {progression.IMPROVING_DROP} points" in text
    assert f"for {progression.SHORT_REST_DAYS} more days" in text


def test_the_rules_state_the_engines_numbers_each_with_why_and_a_source(alice, alice_client):
    response = alice_client.get(URL)  # readable without a plan
    sessions = section(response, "plan-sessions")
    assert f"The next session is {progression.SESSION_GAP} days after the last one." in sessions
    assert "Every other day only" in sessions and "Orchard 1996" in sessions
    pain = section(response, "plan-pain")
    assert f"pain up to {progression.SESSION_MAX_PAIN} out of 10 that is not rising is fine" in pain
    assert f"{progression.E3_MORNING_RISE} or more points above the morning before" in pain
    assert "Silbernagel 2007" in pain
    eject = section(response, "plan-eject")
    assert f"by day {progression.E5_DAY}" in eject
    assert f"more than {progression.E6_RUN_DAYS - 1} days in a row" in eject
    assert f"within {progression.E4_WINDOW_DAYS + 1} days" in eject
    for part in ("plan-shape", "plan-sessions", "plan-pain", "plan-eject"):
        text = section(response, part)
        assert text.count("Why:") == text.count("Source:") >= 1


def test_a_plan_in_return_at_level_3_marks_done_current_and_next(alice, alice_client):
    return_at_level_3(alice, activity="gym")
    response = alice_client.get(URL)
    marks = [r["mark"] for r in ladder_rungs(response, "gym")]
    assert marks == ["done", "done", "current", "next", "", "", "", ""]
    rungs = ladder_rungs(response, "gym")
    assert "Done" in rungs[0]["text"] and "Your next session" in rungs[2]["text"] and "Next" in rungs[3]["text"]
    assert 'aria-current="step"' in response.content.decode()
    # Other activities' ladders are generic.
    assert {r["mark"] for r in ladder_rungs(response, "running")} == {""}
    assert "your next session is level 3 of 8" in html.unescape(response.content.decode())


def test_in_rest_level_1_comes_next_and_nothing_is_done(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2))
    marks = [r["mark"] for r in ladder_rungs(alice_client.get(URL), "running")]
    assert marks == ["next"] + [""] * 7


def test_without_a_plan_nothing_is_marked_and_the_start_is_offered(alice, alice_client):
    response = alice_client.get(URL)
    assert {r["mark"] for r in ladder_rungs(response, "running")} == {""}
    assert 'href="/rehab/"' in response.content.decode()
    assert "You can read the whole plan before you start." in text_of(response)


def test_the_subnav_of_today_and_the_timeline_links_to_the_plan(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2))
    for url in ("/rehab/", "/rehab/timeline/"):
        assert 'href="/rehab/plan/"' in alice_client.get(url).content.decode()


def test_the_settings_moved_to_their_own_url(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2))
    response = alice_client.get("/rehab/plan/settings/")
    assert response.status_code == 200
    assert "Your plan's settings" in text_of(response)
    assert 'href="/rehab/plan/settings/"' in alice_client.get(URL).content.decode()


def test_post_is_not_allowed(alice, alice_client):
    assert alice_client.post(URL).status_code == 405


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


# --- Query counts -------------------------------------------------------------------------------

#: session, user, the plan with its stored state (issue 13: no replay, no history read).
PLAN_QUERIES = 4  # + the progress words' rows (week 1 and the last 7 days' pain, the function score)
NO_PLAN_QUERIES = 3  # session, user, the plan look-up


@pytest.mark.parametrize("days", [7, 365])
def test_the_plan_page_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(PLAN_QUERIES):
        assert alice_client.get(URL).status_code == 200


def test_the_plan_page_without_a_plan_takes_a_fixed_number_of_queries(alice_client, django_assert_num_queries):
    with django_assert_num_queries(NO_PLAN_QUERIES):
        assert alice_client.get(URL).status_code == 200
