"""The progress check (`/rehab/check/`): due on day 14, its field names, its three results and
the dates it refuses (plan.md, "The check")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test.html import Element, parse_html

from rehab.ladders import LADDERS
from rehab.models import Check
from rehab.selectors import plan_page
from tests.factories import make_check, make_history, make_log, make_plan, warm
from tests.rehab.support import TODAY, field_group_text, text_of
from tests.rehab.support import elements as _elements

pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/rehab/check/"
FIELDS = {"date", "check_new_symptoms", "check_daily_pain", "check_walk_30", "check_squat_pain", "check_hop_pain"}


def check_form(response) -> Element:
    root = parse_html(response.content.decode())
    forms = [e for e in _elements(root) if e.name == "form" and dict(e.attributes).get("action") == URL]
    assert len(forms) == 1, "one check form"
    return forms[0]


def field_group(response, name: str) -> str:
    return field_group_text(check_form(response), name)


def answers(day: date = TODAY, **overrides) -> dict:
    """Answers that pass every item of the check."""
    data = {
        "date": day.isoformat(),
        "check_daily_pain": "1",
        "check_walk_30": "yes",
        "check_squat_pain": "2",
        "check_hop_pain": "2",
    }
    data.update(overrides)
    return data


def plan_on_day(user, day: int):
    return make_plan(user, start_date=TODAY - timedelta(days=day - 1))


# --- Not due yet ------------------------------------------------------------------------------


def test_before_day_14_the_page_says_when_the_check_is_due(alice, alice_client):
    plan_on_day(alice, 10)
    response = alice_client.get(URL)
    assert response.status_code == 200
    content = text_of(response)
    assert "No progress check is due" in content
    assert "Your next check is due on Tuesday 1 December." in content
    assert 'name="check_daily_pain"' not in content


def test_before_day_14_posting_a_check_is_refused_and_nothing_is_saved(alice, alice_client):
    plan_on_day(alice, 10)
    response = alice_client.post(URL, answers())
    assert "No progress check is due" in text_of(response)
    assert not Check.objects.exists()


def test_in_the_graded_return_no_check_is_taken(alice, alice_client):
    plan = plan_on_day(alice, 16)
    make_check(plan, plan.start_date + timedelta(days=13))
    response = alice_client.post(URL, answers())
    assert "You are in the graded return, so there is no check to take." in text_of(response)
    assert Check.objects.count() == 1


def test_while_paused_no_check_is_taken(alice, alice_client):
    plan = plan_on_day(alice, 14)
    make_log(plan, TODAY - timedelta(days=1), rested=True, new_symptoms=["locked_knee"])
    response = alice_client.post(URL, answers())
    assert "Your plan is paused, so there is no check to take now." in text_of(response)
    assert not Check.objects.exists()


# --- Due -------------------------------------------------------------------------------------


def test_on_day_14_the_form_has_exactly_the_contract_field_names_and_defaults_to_today(alice, alice_client):
    plan_on_day(alice, 14)
    response = alice_client.get(URL)
    names = {dict(e.attributes).get("name") for e in _elements(check_form(response))}
    assert names - {None, "csrfmiddlewaretoken"} == FIELDS
    date_input = next(
        dict(e.attributes) for e in _elements(check_form(response)) if dict(e.attributes).get("name") == "date"
    )
    assert date_input["value"] == TODAY.isoformat()


def test_a_check_that_passes_starts_the_return_at_level_1_with_a_session_today(alice, alice_client):
    plan = plan_on_day(alice, 14)
    response = alice_client.post(URL, answers(), follow=True)
    assert response.redirect_chain == [("/rehab/", 302)]
    content = text_of(response)
    assert "You passed the check, so your graded return starts today with your first session." in content
    assert content.count("You passed the check") == 1, "said once: by today's page, not also in a flash message"
    assert "Graded return, level 1 of 8" in content
    assert "Today's session (level 1):" in content
    assert str(LADDERS["running"][0]) in content
    check = Check.objects.get(plan=plan)
    assert (check.date, check.daily_pain, check.walk_30, check.squat_pain, check.hop_pain) == (TODAY, 1, True, 2, 2)
    assert check.new_symptoms == []


def test_a_check_dated_on_an_earlier_due_day_starts_the_return_that_day(alice, alice_client):
    plan_on_day(alice, 15)  # due yesterday, taken yesterday, entered today
    alice_client.post(URL, answers(TODAY - timedelta(days=1)))
    content = text_of(alice_client.get("/rehab/"))
    # Yesterday was the first session day; with no log it moves to today.
    assert "Today's session (level 1):" in content


def test_an_improving_knee_that_fails_the_check_rests_7_more_days(alice, alice_client):
    plan = plan_on_day(alice, 14)
    for day, pain in [(1, 6), (2, 6), (3, 6), (12, 2), (13, 2), (14, 2)]:
        make_log(plan, plan.start_date + timedelta(days=day - 1), pain_worst=pain, rested=True)
    response = alice_client.post(URL, answers(check_daily_pain="3"), follow=True)
    content = text_of(response)
    assert (
        "Your pain is improving but not settled yet, so rest goes on for 7 more days: "
        "your progress check is on Friday 4 December." in content
    )
    assert "Resting." in content
    assert "Your progress check is due on Friday 4 December." in content
    assert Check.objects.filter(plan=plan).count() == 1


def test_a_knee_not_improving_is_referred_to_a_clinician(alice, alice_client):
    plan = plan_on_day(alice, 14)
    for day in (1, 2, 3, 12, 13, 14):
        make_log(plan, plan.start_date + timedelta(days=day - 1), pain_worst=4, rested=True)
    response = alice_client.post(URL, answers(check_walk_30="no"), follow=True)
    content = text_of(response)
    assert "Your knee is not improving as expected" in content
    # The referral names the answer that fell short and why no more rest is offered.
    assert "A brisk 30-minute walk was not pain-free (passing takes a pain-free walk)." in content
    assert "Your worst pain had not come down by 2 points or more since the start of the plan." in content
    assert "Please see a clinician" in content
    assert 'id="plan-referred"' in content
    assert "No progress check is due" in text_of(alice_client.get(URL))


def test_a_red_flag_ticked_in_the_check_pauses_the_plan(alice, alice_client):
    plan_on_day(alice, 14)
    response = alice_client.post(URL, answers(check_new_symptoms=["calf_swelling"]), follow=True)
    assert "Your plan is paused: Get medical advice today" in text_of(response)


# --- Refused dates and answers ------------------------------------------------------------------


@pytest.mark.parametrize(
    "day, message",
    [
        (TODAY - timedelta(days=3), "The check is due on 25 November 2026, not before."),
        (date(2026, 11, 11), "The check's date can't be before your plan started (12 November 2026)."),
        (TODAY + timedelta(days=1), "The check's date can't be in the future."),
    ],
    ids=["before-due", "before-start", "future"],
)
def test_a_check_dated_outside_its_window_is_refused_next_to_the_date(alice, alice_client, day, message):
    plan_on_day(alice, 16)  # started 12 November; the check was due on 25 November
    response = alice_client.post(URL, answers(day), follow=True)
    assert response.status_code == 200
    assert message in field_group(response, "date")
    assert not Check.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("check_daily_pain", "", "Please choose a number from 0 to 10."),
        ("check_squat_pain", "11", "Please choose a number from 0 to 10."),
        ("check_walk_30", "maybe", "Please answer this question."),
        ("check_new_symptoms", ["sore_toe"], "Please tick only the signs listed."),
        ("date", "next week", "Please enter a date like 2026-11-27."),
    ],
)
def test_an_invalid_answer_is_refused_next_to_its_field(alice, alice_client, field, value, message):
    plan_on_day(alice, 14)
    response = alice_client.post(URL, answers(**{field: value}))
    assert response.status_code == 200
    assert message in field_group(response, field)
    assert not Check.objects.exists()


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, db, method):
    response = getattr(client, method)(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


@pytest.mark.parametrize("method", ["get", "post"])
def test_bob_without_a_plan_gets_not_found(alice, bob_client, method):
    plan_on_day(alice, 14)
    response = getattr(bob_client, method)(URL, answers())
    assert response.status_code == 404
    assert not Check.objects.exists()


# --- Query counts --------------------------------------------------------------------------------

#: Measured: session, user, the plan with its stored state (issue 13: no logs, checks or screens
#: read, no replay).
CHECK_QUERIES = 3


@pytest.mark.parametrize("days", [7, 365])
def test_the_check_page_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    plan = plan_on_day(alice, days)
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(CHECK_QUERIES):
        assert alice_client.get(URL).status_code == 200


@pytest.mark.parametrize("days", [7, 365])
def test_the_check_page_stays_within_8_queries(alice, alice_client, django_assert_max_num_queries, days):
    plan = plan_on_day(alice, days)
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_max_num_queries(8):
        response = alice_client.get(URL)
    assert response.status_code == 200
    # The form shows only while the check is due; otherwise the page says why not.
    due = plan_page(alice, today=TODAY).state.check_due
    assert ('name="check_daily_pain"' in response.content.decode()) == due
