"""Today's dashboard (`/rehab/`): day number, progress, phase, what to do, today's log,
today's exercises and the plain-words messages of plan.md ("What the person sees")."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.test.html import Element, parse_html

from rehab.ladders import LADDERS
from rehab.progression import DAILY_RED_FLAGS
from rehab.schedule import REST_STRENGTH, RETURN_STRENGTH, STRETCHES
from screening.rules import OUTCOME_BY_CODE
from tests.factories import ITBS_ANSWERS, make_check, make_history, make_log, make_plan, make_screening, make_user, warm
from tests.rehab.support import TODAY, text_of
from tests.rehab.support import elements as _elements
from tests.rehab.support import text as _text

pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/rehab/"


def exercise_items(response) -> dict[str, Element]:
    root = parse_html(response.content.decode())
    return {dict(e.attributes)["data-exercise"]: e for e in _elements(root) if "data-exercise" in dict(e.attributes)}


def progress_bar(response) -> dict[str, str]:
    root = parse_html(response.content.decode())
    bars = [dict(e.attributes) for e in _elements(root) if e.name == "progress"]
    assert len(bars) == 1, "one <progress> bar"
    return bars[0]


def section_text(response, element_id: str) -> str:
    root = parse_html(response.content.decode())
    for element in _elements(root):
        if dict(element.attributes).get("id") == element_id:
            return html.unescape(_text(element))
    raise AssertionError(f"no element with id {element_id!r}")


def d(plan, day: int) -> date:
    """The date of plan day `day` (day 1 is the start date)."""
    return plan.start_date + timedelta(days=day - 1)


def returning(user, *, day_today: int, activity: str = "running", sessions=()):
    """A plan whose check passed on day 14 and whose return sessions are `sessions`:
    (plan day, pain_during, stopped_early) tuples, one per session day."""
    plan = make_plan(user, start_date=TODAY - timedelta(days=day_today - 1), activity=activity)
    make_check(plan, d(plan, 14))
    for day, pain_during, stopped in sessions:
        make_log(plan, d(plan, day), session_done=True, pain_during=pain_during, stopped_early=stopped)
    return plan


# --- A new plan -------------------------------------------------------------------------------


def test_day_one_shows_the_day_the_progress_bar_the_rest_phase_and_what_to_do(alice, alice_client):
    make_plan(alice, start_date=TODAY)
    response = alice_client.get(URL)
    assert response.status_code == 200
    content = text_of(response)
    assert "<h1>Day 1 of 30</h1>" in content
    bar = progress_bar(response)
    assert (bar["max"], bar["value"]) == ("30", "1")
    assert section_text(response, "status-line").startswith("Day 1 of 30 Resting.")
    todo = section_text(response, "what-to-do")
    assert "Rest from running, cycling or anything else that brings on the outside-knee pain." in todo
    assert "Your progress check is due on Thursday 10 December." in todo


def test_today_not_yet_logged_links_to_todays_log(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=4))
    log = section_text(alice_client.get(URL), "today-log")
    assert "Not logged yet." in log
    assert 'href="/rehab/log/2026-11-27/"' in alice_client.get(URL).content.decode()


def test_a_logged_today_says_so_with_the_worst_pain(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=4))
    make_log(plan, TODAY - timedelta(days=1), pain_worst=6, rested=True)
    make_log(plan, TODAY, pain_worst=4, rested=False)
    log = section_text(alice_client.get(URL), "today-log")
    assert "Logged: worst pain 4 out of 10." in log
    assert "Not logged yet." not in log
    assert "Rest kept on 1 of 2 logged rest days." in log


@pytest.mark.parametrize("day, value", [(17, "17"), (30, "30"), (35, "30")])
def test_the_progress_bar_follows_the_plan_day_and_stops_filling_at_30(alice, alice_client, day, value):
    make_plan(alice, start_date=TODAY - timedelta(days=day - 1))
    response = alice_client.get(URL)
    heading = f"Day {day} of 30" if day <= 30 else f"Day {day}"  # past 30 the day counts on, "of 30" goes
    assert f"<h1>{heading}</h1>" in response.content.decode(), "the day keeps counting past 30"
    assert progress_bar(response)["value"] == value


# --- Today's exercises ------------------------------------------------------------------------


def test_each_due_exercise_is_an_element_with_its_slug_holding_a_form_for_today(alice, alice_client):
    make_plan(alice, start_date=TODAY)  # day 1 of rest: the five stretches only
    response = alice_client.get(URL)
    items = exercise_items(response)
    assert set(items) == set(STRETCHES)
    for slug, item in items.items():
        forms = [dict(e.attributes) for e in _elements(item) if e.name == "form"]
        assert len(forms) == 1
        assert forms[0]["method"] == "post"
        assert forms[0]["action"] == f"/rehab/done/2026-11-27/{slug}/"
        assert forms[0]["data-hx-post"] == f"/rehab/done/2026-11-27/{slug}/"
        assert any(e.name == "button" for e in _elements(item))
    assert "Week 1: 0 of 5 exercises done (0%)." in text_of(response)


def test_odd_rest_days_from_day_3_add_the_rest_phase_strength_set(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2))  # day 3
    assert set(exercise_items(alice_client.get(URL))) == set(STRETCHES) | set(REST_STRENGTH)


def test_a_return_day_without_a_session_adds_the_return_phase_strength_set(alice, alice_client):
    returning(alice, day_today=15, sessions=[(14, 2, False)])  # next session on day 16
    assert set(exercise_items(alice_client.get(URL))) == set(STRETCHES) | set(RETURN_STRENGTH)


# --- What to do today -------------------------------------------------------------------------


def test_on_day_14_the_check_is_due_and_linked(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=13))
    response = alice_client.get(URL)
    todo = section_text(response, "what-to-do")
    assert "Your progress check is due." in todo
    assert 'href="/rehab/check/"' in response.content.decode()


@pytest.mark.parametrize("activity", ["running", "cycling", "hiking", "gym", "other"])
def test_a_session_day_shows_the_session_at_its_level_in_words_for_the_plans_activity(alice, alice_client, activity):
    returning(alice, day_today=16, activity=activity, sessions=[(14, 2, False)])  # level 1 passed → level 2 today
    response = alice_client.get(URL)
    assert "Graded return, level 2 of 8" in section_text(response, "status-line")
    todo = section_text(response, "what-to-do")
    assert "Today's session (level 2):" in todo
    assert str(LADDERS[activity][1]) in todo
    assert "Flat ground: no downhill, sloping (cambered) roads or tight turns." in todo


def test_a_day_between_sessions_says_no_session_and_when_the_next_one_is(alice, alice_client):
    returning(alice, day_today=15, activity="cycling", sessions=[(14, 1, False)])
    todo = section_text(alice_client.get(URL), "what-to-do")
    assert "No session today" in todo
    assert "Next session on Saturday 28 November, at level 2:" in todo
    assert str(LADDERS["cycling"][1]) in todo


def test_after_todays_session_is_logged_the_page_does_not_say_there_is_no_session_today(alice, alice_client):
    # Day 16 is a session day and its session (level 2) is logged as done. The day stays a session
    # day, so no strength set is due (exercises.md): "No session today: do your strength exercises"
    # contradicts both the log and the exercise list below it.
    returning(alice, day_today=16, sessions=[(14, 1, False), (16, 2, False)])
    response = alice_client.get(URL)
    todo = section_text(response, "what-to-do")
    assert set(exercise_items(response)) == set(STRETCHES), "a session day: stretches only"
    assert "No session today" not in todo
    assert "do your strength exercises" not in todo


def test_the_check_passed_today_makes_today_the_first_session_at_level_1(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=13))
    make_check(plan, TODAY)
    response = alice_client.get(URL)
    content = text_of(response)
    assert "You passed the check, so your graded return starts today with your first session." in content
    assert "Graded return, level 1 of 8" in section_text(response, "status-line")
    assert "Today's session (level 1):" in section_text(response, "what-to-do")
    assert str(LADDERS["running"][0]) in content


# --- Plain words when a rule fires ------------------------------------------------------------


def test_a_failed_session_says_in_plain_words_that_next_time_repeats_a_level_lower(alice, alice_client):
    # Levels 1, 2 and 3 pass on days 14, 16 and 18; level 4 hurts (5/10) today, day 20.
    returning(alice, day_today=20, sessions=[(14, 1, False), (16, 2, False), (18, 1, False), (20, 5, False)])
    response = alice_client.get(URL)
    content = text_of(response)
    # The engine's own next session: two days on (Sunday), one level down.
    assert (
        "Your pain went above 3 during the run. No session tomorrow: your next run is on Sunday 29 November, "
        "at level 3. For the pain today: rest from running" in content
    )
    assert content.count("Sunday 29 November") == 1, "the next session's date is said once"
    assert "Graded return, level 3 of 8" in section_text(response, "status-line")


def test_the_rule_sentence_shows_only_on_the_day_it_fired(alice, alice_client):
    returning(alice, day_today=21, sessions=[(14, 1, False), (16, 2, False), (18, 1, False), (20, 5, False)])
    assert "Your pain went above 3" not in text_of(alice_client.get(URL))


def test_a_session_stopped_early_says_so(alice, alice_client):
    returning(alice, day_today=16, activity="cycling", sessions=[(14, 1, False), (16, 2, True)])
    content = text_of(alice_client.get(URL))
    assert (
        "You stopped the ride early. No session tomorrow: your next ride is on Sunday 29 November, at level 1."
        in content
    )


def test_two_failed_sessions_in_a_row_send_the_plan_back_to_rest_with_advice(alice, alice_client):
    returning(alice, day_today=16, sessions=[(14, 5, False), (16, 6, False)])
    response = alice_client.get(URL)
    content = text_of(response)
    assert "Two sessions in a row were too much, so the plan goes back to 7 days of rest, then a new check." in content
    assert "Consider seeing a physiotherapist or sports doctor" in content
    assert content.count("Consider seeing a physiotherapist") == 1, "the E4 advice once, in the E4 message"
    assert section_text(response, "status-line").startswith("Day 16 of 30 Resting.")
    assert "Your progress check is due on Friday 4 December." in section_text(response, "what-to-do")


def test_day_43_without_finishing_refers_to_a_clinician_and_says_why(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=42))
    response = alice_client.get(URL)
    content = text_of(response)
    assert "<h1>Day 43</h1>" in content
    assert "Six weeks have passed without finishing the plan." in content
    assert "Please see a clinician" in section_text(response, "plan-referred")


def test_eleven_days_of_painkillers_in_a_row_show_the_pharmacist_advice(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=11))
    for offset in range(11):
        make_log(plan, TODAY - timedelta(days=offset), rested=True, nsaid=True)
    content = text_of(alice_client.get(URL))
    assert "Please ask a pharmacist or doctor about it, and don't use painkillers to keep training." in content


# --- Paused, referred, complete ---------------------------------------------------------------


@pytest.mark.parametrize(
    "flag", ["hot_swollen_fever", "calf_swelling", "numbness_shin_foot"], ids=["emergency", "urgent", "soon"]
)
def test_a_paused_plan_shows_the_outcome_heading_and_next_step_of_the_flag(alice, alice_client, flag):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
    make_log(plan, TODAY - timedelta(days=1), rested=True, new_symptoms=[flag])
    outcome = OUTCOME_BY_CODE[DAILY_RED_FLAGS[flag]]
    response = alice_client.get(URL)
    paused = section_text(response, "plan-paused")
    assert f"Your plan is paused: {outcome.heading}" in paused
    assert str(outcome.next_step) in paused
    assert 'href="/screening/"' in response.content.decode(), "the next step includes taking the knee check again"
    assert exercise_items(response) == {}, "nothing is due while paused"
    assert "What to do today" not in text_of(response)


def test_whole_knee_swelling_pauses_with_book_a_check_with_a_clinician(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
    make_log(plan, TODAY, rested=True, swelling="whole_knee")
    paused = section_text(alice_client.get(URL), "plan-paused")
    assert "Book a check with a clinician" in paused


def test_a_new_itbs_likely_screen_resumes_a_paused_plan_in_rest_with_a_check_7_days_later(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
    make_log(plan, TODAY - timedelta(days=2), rested=True, new_symptoms=["locked_knee"])
    make_screening(alice)  # taken now
    response = alice_client.get(URL)
    content = text_of(response)
    assert 'id="plan-paused"' not in content
    assert "Resting." in section_text(response, "status-line")
    assert "so the plan goes on: 7 days of rest, then a check." in content
    assert "Your progress check is due on Friday 4 December." in section_text(response, "what-to-do")


def test_a_plan_not_improving_at_the_check_is_referred_to_a_clinician(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=13))
    for day in (1, 2, 3, 12, 13, 14):
        make_log(plan, d(plan, day), pain_worst=4, rested=True)
    make_check(plan, TODAY, daily_pain=4)
    response = alice_client.get(URL)
    referred = section_text(response, "plan-referred")
    assert "Please see a clinician" in referred
    assert "Your knee is not improving as expected" in referred
    assert exercise_items(response) == {}


def test_a_plan_past_level_8_shows_it_is_complete(alice, alice_client):
    sessions = [(14 + 2 * n, 1, False) for n in range(8)]  # levels 1–8 pass on days 14, 16, …, 28
    returning(alice, day_today=29, sessions=sessions)
    response = alice_client.get(URL)
    assert "Well done: you finished the plan" not in text_of(response), "the next chapter, not an end"
    assert "You have finished the graded return. Next: build back to your usual week." in section_text(
        response, "status-line"
    )
    # Build-back is the next chapter: the main action, with a one-line why (load.md §3).
    offer = section_text(response, "build-offer")
    assert "Build back to your usual week" in offer and "Level 8 is done." in offer
    assert 'href="/rehab/target/"' in response.content.decode()
    assert exercise_items(response) == {}


# --- The person's own time zone ----------------------------------------------------------------


def test_just_after_midnight_in_auckland_the_day_and_todays_log_are_aucklands(db):
    # 12:30 UTC on 27 November is 01:30 on 28 November in Auckland (UTC+13 in summer).
    with time_machine.travel(datetime(2026, 11, 27, 12, 30, tzinfo=UTC), tick=False):
        kiri = make_user("kiri", time_zone="Pacific/Auckland")
        plan = make_plan(kiri, start_date=date(2026, 11, 19))
        make_log(plan, date(2026, 11, 27), pain_worst=7, rested=True)  # yesterday, for Kiri
        client = Client()
        client.force_login(kiri)
        response = client.get(URL)
    content = response.content.decode()
    assert "<h1>Day 10 of 30</h1>" in content
    assert 'href="/rehab/log/2026-11-28/"' in content
    assert "Not logged yet." in section_text(response, "today-log"), "27 November is yesterday in Auckland"
    assert "/rehab/done/2026-11-28/calf-stretch/" in content


def test_late_evening_in_honolulu_is_still_the_day_before(db):
    with time_machine.travel(datetime(2026, 11, 27, 9, 0, tzinfo=UTC), tick=False):  # 23:00 on the 26th
        lani = make_user("lani", time_zone="Pacific/Honolulu")
        make_plan(lani, start_date=date(2026, 11, 19))
        client = Client()
        client.force_login(lani)
        content = client.get(URL).content.decode()
    assert "<h1>Day 8 of 30</h1>" in content
    assert 'href="/rehab/log/2026-11-26/"' in content


# --- No plan and access -------------------------------------------------------------------------


def test_without_a_plan_an_itbs_likely_screen_leads_to_start_your_plan(alice, alice_client):
    make_screening(alice, ITBS_ANSWERS)
    content = text_of(alice_client.get(URL))
    assert "You don't have a plan yet" in content
    assert 'href="/rehab/start/"' in content


EVERY_REHAB_URL = [
    "/rehab/",
    "/rehab/start/",
    "/rehab/log/",
    "/rehab/log/2026-11-27/",
    "/rehab/check/",
    "/rehab/timeline/",
    "/rehab/exercises/",
    "/rehab/exercises/calf-stretch/",
    "/rehab/done/2026-11-27/calf-stretch/",
    "/rehab/export.json",
    "/rehab/export.csv",
    "/rehab/plan/",
    "/rehab/plan/settings/",
    "/rehab/plan/delete/",
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", EVERY_REHAB_URL)
def test_an_anonymous_visitor_is_sent_to_log_in_from_every_rehab_url(client, db, path, method):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_bob_without_a_plan_sees_none_of_alices_plan(alice, bob_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=9, rested=True, notes="alice's secret note")
    content = text_of(bob_client.get(URL))
    assert "You don't have a plan yet" in content
    assert "Day 4 of 30" not in content
    assert "worst pain 9" not in content
    assert "data-exercise=" not in content


# --- Query counts -------------------------------------------------------------------------------

#: Issue 13: session, user, the plan with its stored state, goal and reminder settings (one row),
#: and the page's rows in one UNION ALL (today's log with its activity entries, the week's ticks,
#: the library rows due, and for a paused or referred plan the checks: a 365-day history without a
#: check is referred by E5). The streak and the logged days come from the state.
TODAY_QUERIES = 4


@pytest.mark.parametrize("days", [7, 365])
def test_the_dashboard_takes_a_fixed_number_of_queries_whatever_the_history(
    alice, alice_client, django_assert_num_queries, days
):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(TODAY_QUERIES):
        response = alice_client.get(URL)
    assert response.status_code == 200


@pytest.mark.parametrize("days", [7, 365])
def test_the_dashboard_stays_within_8_queries(alice, alice_client, django_assert_max_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_max_num_queries(8):
        response = alice_client.get(URL)
    assert response.status_code == 200
    assert 'id="today-log"' in response.content.decode()
