"""The quick log on today's page (`/rehab/`, plan.md "Quick log and unanswered fields (2026.2)"):
the day's form on the dashboard, posting to `/rehab/log/<today>/` with `from=today`."""

from __future__ import annotations

import html
import json
from datetime import timedelta

import pytest
from django.test.html import parse_html

from rehab.models import DailyLog
from tests.factories import make_check, make_history, make_log, make_plan, warm
from tests.rehab.support import TODAY, elements, field_group_text, text, text_of

pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/rehab/"
POST_URL = f"/rehab/log/{TODAY.isoformat()}/"
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "today-page"}


def quick_form(response):
    root = parse_html(response.content.decode())
    forms = [e for e in elements(root) if e.name == "form" and dict(e.attributes).get("action") == POST_URL]
    assert len(forms) == 1, "one quick-log form on today's page"
    return forms[0]


def inputs(form) -> list[dict]:
    return [dict(e.attributes) for e in elements(form) if e.name in ("input", "textarea", "select")]


def checked(form) -> dict[str, str]:
    return {i["name"]: i["value"] for i in inputs(form) if "checked" in i}


def session_day_plan(user):
    """Day 16 of a plan whose check passed on day 14 and whose level-1 session passed: level 2 today."""
    plan = make_plan(user, start_date=TODAY - timedelta(days=15))
    make_check(plan, TODAY - timedelta(days=2))
    make_log(plan, TODAY - timedelta(days=2), session_done=True, pain_during=1, stopped_early=False)
    return plan


# --- The form on today's page ---------------------------------------------------------------------


def test_todays_page_holds_the_days_log_form_posting_to_the_log_of_today(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=3))
    form = quick_form(alice_client.get(URL))
    attrs = dict(form.attributes)
    assert (attrs["method"], attrs["data-hx-post"], attrs["data-hx-target"]) == ("post", POST_URL, "#today-page")
    names = {i["name"] for i in inputs(form)}
    assert {"pain_worst", "rested", "new_symptoms", "notes", "swelling", "nsaid", "from"} <= names
    assert {"session_done", "pain_during", "stopped_early"}.isdisjoint(names), "no session questions in rest"
    assert {"name": "from", "type": "hidden", "value": "today"} == {
        k: v for k, v in next(i for i in inputs(form) if i["name"] == "from").items()
    }


def test_nothing_is_pre_selected_for_a_new_day(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=3))
    assert checked(quick_form(alice_client.get(URL))) == {}
    assert checked(quick_form_from_log_page(alice_client)) == {}, "nor on the full log page"


def quick_form_from_log_page(client):
    root = parse_html(client.get(POST_URL).content.decode())
    return next(e for e in elements(root) if e.name == "form" and "log-form" in dict(e.attributes).get("class", ""))


def test_an_existing_log_shows_its_saved_answers(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=4, rested=True, swelling="local", nsaid=None)
    form = quick_form(alice_client.get(URL))
    assert checked(form) == {"pain_worst": "4", "rested": "yes", "swelling": "local"}, "unknown nsaid stays unchosen"


def test_the_warning_signs_are_one_tap_away_in_a_disclosure(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=3))
    form = quick_form(alice_client.get(URL))
    details = [e for e in elements(form) if e.name == "details"]
    signs = next(d for d in details if any(dict(e.attributes).get("name") == "new_symptoms" for e in elements(d)))
    assert "open" not in dict(signs.attributes)
    assert any(e.name == "summary" for e in signs.children if hasattr(e, "name"))


def test_a_session_day_asks_the_session_questions_in_the_same_form(alice, alice_client):
    session_day_plan(alice)
    names = {i["name"] for i in inputs(quick_form(alice_client.get(URL)))}
    assert {"session_done", "pain_during", "stopped_early"} <= names
    assert "rested" not in names


# --- Saving without JavaScript --------------------------------------------------------------------


def test_pain_worst_alone_saves_the_day_and_comes_back_to_the_anchor(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    response = alice_client.post(POST_URL, {"pain_worst": "3", "from": "today"})
    assert response.status_code == 302
    assert response["Location"] == "/rehab/#today-log"
    log = DailyLog.objects.get(plan=plan, date=TODAY)
    assert (log.pain_worst, log.rested, log.swelling, log.nsaid, log.new_symptoms, log.notes) == (
        3,
        None,
        None,
        None,
        [],
        "",
    )
    page = alice_client.get(URL)
    assert "Logged: worst pain 3 out of 10." in text_of(page)


def test_unanswered_swelling_and_painkillers_are_null_in_the_export(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=3))
    alice_client.post(POST_URL, {"pain_worst": "3", "rested": "yes", "from": "today"})
    exported = json.loads(alice_client.get("/rehab/export.json").content)
    (row,) = exported["logs"]
    assert (row["swelling"], row["nsaid"], row["rested"]) == (None, None, "yes")


def test_a_session_day_saves_from_todays_page_and_the_page_moves_on(alice, alice_client):
    plan = session_day_plan(alice)
    data = {"pain_worst": "2", "session_done": "yes", "pain_during": "2", "stopped_early": "no", "from": "today"}
    assert alice_client.post(POST_URL, data)["Location"] == "/rehab/#today-log"
    log = DailyLog.objects.get(plan=plan, date=TODAY)
    assert (log.session_done, log.pain_during, log.stopped_early) == (True, 2, False)
    content = text_of(alice_client.get(URL))
    assert "Your run went well, so your next run is on Sunday 29 November, at level 3." in content


def test_invalid_input_shows_todays_page_with_the_error_by_the_field_and_keeps_everything_typed(alice, alice_client):
    session_day_plan(alice)
    data = {
        "session_done": "yes",
        "pain_during": "2",
        "stopped_early": "no",
        "pain_morning": "1",
        "swelling": "local",
        "nsaid": "yes",
        "cross_training_minutes": "700",
        "new_symptoms": [],
        "notes": "Felt stiff on the stairs",
        "from": "today",
    }
    response = alice_client.post(POST_URL, data)
    assert response.status_code == 200
    assert not DailyLog.objects.filter(date=TODAY).exists()
    assert 'id="status-line"' in response.content.decode(), "today's page, not the log page"
    form = quick_form(response)
    assert "Please choose a number from 0 to 10." in field_group_text(form, "pain_worst")
    assert "Please enter whole minutes, from 0 to 600." in field_group_text(form, "cross_training_minutes")
    assert checked(form) == {
        "session_done": "yes",
        "pain_during": "2",
        "stopped_early": "no",
        "pain_morning": "1",
        "swelling": "local",
        "nsaid": "yes",
    }
    values = {i["name"]: i.get("value") for i in inputs(form) if i["name"] == "cross_training_minutes"}
    assert values == {"cross_training_minutes": "700"}
    assert "Felt stiff on the stairs" in text_of(response)
    details = [dict(e.attributes) for e in elements(form) if e.name == "details"]
    assert "open" in details[0], "the optional answers with an error (and typed values) are shown"


def test_the_full_log_page_still_saves_and_goes_to_today_without_repeating_todays_messages(alice, alice_client):
    session_day_plan(alice)
    data = {"pain_worst": "2", "session_done": "yes", "pain_during": "2", "stopped_early": "no"}
    response = alice_client.post(POST_URL, data, follow=True)
    assert response.redirect_chain == [("/rehab/", 302)]
    content = text_of(response)
    assert content.count("Your run went well") == 1
    assert "Saved your log for" in content


# --- With htmx --------------------------------------------------------------------------------------


def test_an_htmx_save_returns_the_today_region_with_the_announcement(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=3))
    response = alice_client.post(POST_URL, {"pain_worst": "5", "rested": "no", "from": "today"}, **HTMX)
    assert response.status_code == 200
    content = text_of(response)
    assert content.lstrip().startswith('<div id="today-page"'), "just the region, no <html>"
    assert "<html" not in content
    assert 'data-announce="Saved today\'s log: worst pain 5 out of 10."' in content
    assert "Logged: worst pain 5 out of 10." in content
    assert "Resting from the activity that hurts is hard" in content, "the day's message, from the new state"
    assert DailyLog.objects.get().pain_worst == 5


def test_an_htmx_save_with_an_error_returns_the_region_with_the_error_and_saves_nothing(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=3))
    response = alice_client.post(POST_URL, {"rested": "yes", "notes": "kept", "from": "today"}, **HTMX)
    assert response.status_code == 200
    content = text_of(response)
    assert content.lstrip().startswith('<div id="today-page"')
    assert "Please choose a number from 0 to 10." in field_group_text(parse_html(content), "pain_worst")
    assert "kept" in content
    assert not DailyLog.objects.exists()


# --- Another person ---------------------------------------------------------------------------------


def test_another_person_without_a_plan_gets_not_found_and_nothing_of_alices_changes(alice, bob_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=1, rested=True)
    assert bob_client.post(POST_URL, {"pain_worst": "9", "from": "today"}).status_code == 404
    assert bob_client.post(POST_URL, {"pain_worst": "9", "from": "today"}, **HTMX).status_code == 404
    assert DailyLog.objects.get().pain_worst == 1


def test_another_persons_quick_log_saves_only_to_their_own_plan(alice, bob, bob_client):
    alices = make_plan(alice, start_date=TODAY - timedelta(days=3))
    bobs = make_plan(bob, start_date=TODAY - timedelta(days=1))
    bob_client.post(POST_URL, {"pain_worst": "6", "from": "today"})
    assert not DailyLog.objects.filter(plan=alices).exists()
    assert DailyLog.objects.get(plan=bobs).pain_worst == 6


# --- Query counts -------------------------------------------------------------------------------------

#: Save (issue 13): session, user, the plan with its stored state (one row), the page's rows (the
#: day's log with its activity entries, the week's ticks, the library rows due, the checks of a
#: held plan: one UNION ALL), then the write transaction (savepoint, plan row lock, upsert, the
#: facts for the one replay: logs with activity entries, checks, target, screens; the snapshot
#: upsert; release). No-JS: a redirect. htmx: today's region from what was read and the state the
#: save returned (no second replay, no further query).
QUICK_POST_QUERIES = 13
QUICK_POST_HTMX_QUERIES = 13


@pytest.mark.parametrize("days", [7, 365])
def test_a_quick_log_save_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days - 1, today=TODAY - timedelta(days=1))
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(QUICK_POST_QUERIES):
        response = alice_client.post(POST_URL, {"pain_worst": "2", "from": "today"})
    assert response.status_code == 302


@pytest.mark.parametrize("days", [7, 365])
def test_an_htmx_quick_log_save_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days - 1, today=TODAY - timedelta(days=1))
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(QUICK_POST_HTMX_QUERIES):
        response = alice_client.post(POST_URL, {"pain_worst": "2", "from": "today"}, **HTMX)
    assert response.status_code == 200
    assert "Logged: worst pain 2 out of 10." in text_of(response)


@pytest.mark.parametrize("days", [7, 365])
def test_todays_page_with_the_quick_log_takes_a_fixed_number_of_queries(
    alice, alice_client, django_assert_num_queries, days
):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    # session, user, the plan with its state and reminder settings, the page's rows (today's log,
    # the week's ticks, the library rows due, a held plan's checks): the streak is the state's.
    with django_assert_num_queries(4):
        response = alice_client.get(URL)
    assert 'id="status-line"' in response.content.decode()
    assert quick_form(response) is not None
    assert f"Logged {days} days in a row." in text_of(response)


def test_todays_page_shows_the_logging_streak_and_this_weeks_logged_days(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=9))  # day 10: week 2 began on day 8
    for offset in (9, 8, 3, 2, 1):
        make_log(plan, TODAY - timedelta(days=offset), rested=True)
    streak = section_text(alice_client.get(URL), "log-streak")
    assert streak == "Logged 3 days in a row. This week: 2 of 3 days logged."
    make_log(plan, TODAY, rested=True)
    assert section_text(alice_client.get(URL), "log-streak") == "Logged 4 days in a row. This week: 3 of 3 days logged."


def test_a_broken_streak_shows_only_this_weeks_logged_days(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=9))
    make_log(plan, TODAY - timedelta(days=2), rested=True)
    assert section_text(alice_client.get(URL), "log-streak") == "This week: 1 of 3 days logged."


def section_text(response, element_id: str) -> str:
    root = parse_html(response.content.decode())
    element = next(e for e in elements(root) if dict(e.attributes).get("id") == element_id)
    return " ".join(html.unescape(text(element)).split())
