"""The daily log (`/rehab/log/<YYYY-MM-DD>/`): the questions each phase needs, one row per
plan and date, clear refusals, red flags that pause the plan (plan.md, "Daily log")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.test.html import Element, parse_html

from rehab.models import DailyLog
from rehab.progression import DAILY_RED_FLAGS
from tests.factories import make_check, make_history, make_log, make_plan, make_screening, make_user, warm
from tests.rehab.support import TODAY, field_group_text, text_of
from tests.rehab.support import elements as _elements

pytestmark = pytest.mark.usefixtures("frozen_clock")
ALWAYS = {"pain_worst", "pain_morning", "cross_training_minutes", "swelling", "nsaid", "new_symptoms", "notes"}
SESSION = {"session_done", "pain_during", "stopped_early"}
PLEASE_CHOOSE = "Please choose a number from 0 to 10."


def log_form(response) -> Element:
    root = parse_html(response.content.decode())
    forms = [e for e in _elements(root) if e.name == "form" and "log-form" in (dict(e.attributes).get("class") or "")]
    assert len(forms) == 1, "one daily-log form"
    return forms[0]


def field_names(response) -> set[str]:
    """The log's own questions (the activity formset's rows, load.md §1, are tested apart)."""
    names = {dict(e.attributes).get("name") for e in _elements(log_form(response))}
    return {n for n in names - {None, "csrfmiddlewaretoken"} if not n.startswith("activities-")}


def field_group(response, name: str) -> str:
    return field_group_text(log_form(response), name)


def url(day: date) -> str:
    return f"/rehab/log/{day.isoformat()}/"


def rest_data(**overrides) -> dict:
    data = {"pain_worst": "3", "rested": "yes", "swelling": "none", "nsaid": "no", "notes": ""}
    data.update(overrides)
    return data


@pytest.fixture
def plan(alice):
    """Alice's plan, in rest, on day 6."""
    return make_plan(alice, start_date=TODAY - timedelta(days=5))


def session_plan(user):
    """A plan whose check passed on day 14 (4 days ago): session days 14 and 16; today, day 18, is one."""
    plan = make_plan(user, start_date=TODAY - timedelta(days=17))
    make_check(plan, plan.start_date + timedelta(days=13))
    make_log(plan, plan.start_date + timedelta(days=13), session_done=True, pain_during=1, stopped_early=False)
    make_log(plan, plan.start_date + timedelta(days=15), session_done=True, pain_during=2, stopped_early=False)
    return plan


# --- The questions asked ------------------------------------------------------------------------


def test_a_rest_day_asks_rested_and_not_the_session_questions(plan, alice_client):
    response = alice_client.get(url(TODAY))
    assert response.status_code == 200
    assert field_names(response) == ALWAYS | {"rested"}
    assert "Did you rest from the activity that brings on the pain today?" in field_group(response, "rested")


def test_a_session_day_in_return_asks_the_session_questions_and_not_rested(alice, alice_client):
    session_plan(alice)
    response = alice_client.get(url(TODAY))
    assert field_names(response) == ALWAYS | SESSION
    assert "Session day, level 3:" in text_of(response)


def test_a_return_day_without_a_session_asks_neither(alice, alice_client):
    session_plan(alice)
    response = alice_client.get(url(TODAY - timedelta(days=1)))  # day 17: between sessions
    assert field_names(response) == ALWAYS


def test_pain_is_eleven_radio_choices_from_0_to_10_with_words_at_the_ends(plan, alice_client):
    response = alice_client.get(url(TODAY))
    for name in ("pain_worst", "pain_morning"):
        radios = [
            dict(e.attributes)
            for e in _elements(log_form(response))
            if e.name == "input" and dict(e.attributes).get("name") == name
        ]
        assert [r["type"] for r in radios] == ["radio"] * 11
        assert [r["value"] for r in radios] == [str(n) for n in range(11)]
        group = field_group(response, name)
        assert "0 = no pain" in group
        assert "10 = worst imaginable" in group
    assert "Worst outside-knee pain in the last 24 hours" in field_group(response, "pain_worst")


def test_the_red_flag_checkboxes_carry_the_screening_ids(plan, alice_client):
    response = alice_client.get(url(TODAY))
    boxes = [
        dict(e.attributes)
        for e in _elements(log_form(response))
        if e.name == "input" and dict(e.attributes).get("name") == "new_symptoms"
    ]
    assert [b["type"] for b in boxes] == ["checkbox"] * 8
    assert [b["value"] for b in boxes] == list(DAILY_RED_FLAGS)


# --- Saving ------------------------------------------------------------------------------------


def test_saving_today_creates_the_log_and_returns_to_today(plan, alice_client):
    response = alice_client.post(
        url(TODAY),
        rest_data(pain_worst="4", pain_morning="2", cross_training_minutes="45", nsaid="yes", notes="Swam"),
    )
    assert (response.status_code, response["Location"]) == (302, "/rehab/")
    log = DailyLog.objects.get(plan=plan)
    assert (log.date, log.pain_worst, log.pain_morning, log.rested) == (TODAY, 4, 2, True)
    assert (log.cross_training_minutes, log.nsaid, log.swelling, log.notes) == (45, True, "none", "Swam")
    assert (log.session_done, log.pain_during, log.stopped_early, log.new_symptoms) == (None, None, None, [])
    assert "Saved your log for Friday 27 November 2026." in text_of(alice_client.get("/rehab/"))


def test_not_resting_gets_a_kind_reminder_and_no_penalty(plan, alice_client, bob, bob_client):
    # plan.md, "Relative rest": "`rested = no` gets a kind reminder, not a penalty."
    make_plan(bob, start_date=plan.start_date)
    rested = bob_client.post(url(TODAY), rest_data(rested="yes"), follow=True)
    not_rested = alice_client.post(url(TODAY), rest_data(rested="no"), follow=True)
    reminder = "Resting from the activity that hurts is hard, and one day doesn't undo your progress."
    assert reminder in text_of(not_rested), "a kind reminder after rested = no"
    assert reminder not in text_of(rested)
    assert 'data-kind="info"' in text_of(not_rested), "information, not a warning"
    assert "Rest kept on 0 of 1 logged rest days." in text_of(not_rested)
    assert "Resting." in text_of(not_rested), "no penalty: the plan goes on as before"


def test_a_past_day_can_be_filled_in(plan, alice_client):
    day = TODAY - timedelta(days=3)
    assert "Log for Tuesday 24 November" in text_of(alice_client.get(url(day)))
    response = alice_client.post(url(day), rest_data(pain_worst="5", rested="no"))
    assert (response.status_code, response["Location"]) == (302, "/rehab/timeline/")
    log = DailyLog.objects.get(plan=plan, date=day)
    assert (log.pain_worst, log.rested) == (5, False)


def test_the_start_date_itself_can_be_logged(plan, alice_client):
    response = alice_client.post(url(plan.start_date), rest_data())
    assert response.status_code == 302
    assert DailyLog.objects.filter(plan=plan, date=plan.start_date).exists()


def test_saving_a_date_again_updates_the_same_row(plan, alice_client):
    alice_client.post(url(TODAY), rest_data(pain_worst="6", notes="first"))
    first = DailyLog.objects.get(plan=plan, date=TODAY)
    response = alice_client.post(url(TODAY), rest_data(pain_worst="2", notes="second"))
    assert response.status_code == 302
    assert DailyLog.objects.filter(plan=plan).count() == 1
    second = DailyLog.objects.get(plan=plan, date=TODAY)
    assert (second.pk, second.pain_worst, second.notes) == (first.pk, 2, "second")


def test_the_form_shows_the_saved_answers_when_editing(plan, alice_client):
    make_log(plan, TODAY, pain_worst=7, rested=False, notes="sore after stairs")
    response = alice_client.get(url(TODAY))
    content = text_of(response)
    assert "already logged: saving again updates it" in content
    checked = {
        dict(e.attributes)["name"]: dict(e.attributes)["value"]
        for e in _elements(log_form(response))
        if "checked" in dict(e.attributes)
    }
    assert checked["pain_worst"] == "7"
    assert checked["rested"] == "no"
    assert "sore after stairs" in content


def test_a_session_is_saved_with_its_pain_and_whether_it_stopped_early(alice, alice_client):
    plan = session_plan(alice)
    data = {
        "pain_worst": "2",
        "session_done": "yes",
        "pain_during": "2",
        "stopped_early": "no",
        "swelling": "none",
        "nsaid": "no",
    }
    response = alice_client.post(url(TODAY), data)
    assert response.status_code == 302
    log = DailyLog.objects.get(plan=plan, date=TODAY)
    assert (log.session_done, log.pain_during, log.stopped_early, log.rested) == (True, 2, False, None)
    assert "Your run went well, so your next run is on Sunday 29 November, at level 4." in text_of(
        alice_client.get("/rehab/")
    )


def test_a_session_not_done_keeps_no_session_pain(alice, alice_client):
    plan = session_plan(alice)
    data = {
        "pain_worst": "2",
        "session_done": "no",
        "pain_during": "6",
        "stopped_early": "yes",
        "swelling": "none",
        "nsaid": "no",
    }
    alice_client.post(url(TODAY), data)
    log = DailyLog.objects.get(plan=plan, date=TODAY)
    assert (log.session_done, log.pain_during, log.stopped_early) == (False, None, None)


# --- Refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_date_before_the_start_is_refused_with_a_clear_message_and_nothing_saved(plan, alice_client, method):
    response = getattr(alice_client, method)(url(plan.start_date - timedelta(days=1)), rest_data())
    content = text_of(response)
    assert "Your plan started on Sunday 22 November 2026, so you can't log a day before it." in content
    assert "log-form" not in content
    assert not DailyLog.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_date_after_today_is_refused_with_a_clear_message_and_nothing_saved(plan, alice_client, method):
    response = getattr(alice_client, method)(url(TODAY + timedelta(days=1)), rest_data())
    content = text_of(response)
    assert "Saturday 28 November 2026 hasn't happened yet: you can log today or earlier days." in content
    assert "log-form" not in content
    assert not DailyLog.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_impossible_date_is_not_found(plan, alice_client, method):
    assert getattr(alice_client, method)("/rehab/log/2026-02-30/", rest_data()).status_code == 404
    assert not DailyLog.objects.exists()


def test_a_missing_worst_pain_is_asked_for_next_to_the_field_and_other_input_is_kept(plan, alice_client):
    response = alice_client.post(
        url(TODAY), rest_data(pain_worst="", cross_training_minutes="30", notes="Knee felt tight on the stairs")
    )
    assert response.status_code == 200
    assert PLEASE_CHOOSE in field_group(response, "pain_worst")
    assert PLEASE_CHOOSE not in field_group(response, "pain_morning")
    assert "Knee felt tight on the stairs" in field_group(response, "notes")
    assert 'value="30"' in str(log_form(response))
    assert not DailyLog.objects.exists()


@pytest.mark.parametrize("value", ["11", "-1", "three", "2.5"])
def test_a_pain_outside_0_to_10_is_refused(plan, alice_client, value):
    response = alice_client.post(url(TODAY), rest_data(pain_worst=value))
    assert PLEASE_CHOOSE in field_group(response, "pain_worst")
    assert not DailyLog.objects.exists()


def test_rested_may_be_left_unanswered_in_rest(plan, alice_client):
    # plan.md 2026.2: pain_worst alone is enough to save a day; an unanswered rest is not counted as kept.
    response = alice_client.post(url(TODAY), rest_data(rested=""))
    assert response.status_code == 302
    assert DailyLog.objects.get().rested is None


@pytest.mark.parametrize("missing", ["pain_during", "stopped_early"])
def test_a_session_done_without_its_follow_up_answers_is_refused(alice, alice_client, missing):
    session_plan(alice)
    data = {
        "pain_worst": "2",
        "session_done": "yes",
        "pain_during": "2",
        "stopped_early": "no",
        "swelling": "none",
        "nsaid": "no",
    }
    del data[missing]
    response = alice_client.post(url(TODAY), data)
    assert response.status_code == 200
    assert "Please answer this question." in field_group(response, missing)
    assert not DailyLog.objects.filter(date=TODAY).exists()


def test_cross_training_over_600_minutes_is_refused(plan, alice_client):
    response = alice_client.post(url(TODAY), rest_data(cross_training_minutes="601"))
    assert "Please enter whole minutes, from 0 to 600." in field_group(response, "cross_training_minutes")
    assert not DailyLog.objects.exists()


def test_600_minutes_of_cross_training_is_accepted(plan, alice_client):
    assert alice_client.post(url(TODAY), rest_data(cross_training_minutes="600")).status_code == 302
    assert DailyLog.objects.get().cross_training_minutes == 600


def test_notes_over_2000_characters_are_refused(plan, alice_client):
    response = alice_client.post(url(TODAY), rest_data(notes="x" * 2001))
    assert "at most 2000 characters" in field_group(response, "notes")
    assert not DailyLog.objects.exists()


def test_notes_of_exactly_2000_characters_are_kept(plan, alice_client):
    assert alice_client.post(url(TODAY), rest_data(notes="x" * 2000)).status_code == 302
    assert len(DailyLog.objects.get().notes) == 2000


def test_an_unknown_red_flag_value_is_refused(plan, alice_client):
    response = alice_client.post(url(TODAY), rest_data(new_symptoms=["calf_swelling", "sore_toe"]))
    assert "Please tick only the signs listed." in field_group(response, "new_symptoms")
    assert not DailyLog.objects.exists()


def test_an_unknown_swelling_value_is_refused(plan, alice_client):
    response = alice_client.post(url(TODAY), rest_data(swelling="huge"))
    assert "Please answer this question." in field_group(response, "swelling")
    assert not DailyLog.objects.exists()


# --- Red flags pause the plan; a new itbs_likely screen resumes it --------------------------------


def test_a_ticked_red_flag_pauses_the_plan_and_today_shows_the_outcome(plan, alice_client):
    response = alice_client.post(url(TODAY), rest_data(new_symptoms=["calf_swelling"]), follow=True)
    assert response.redirect_chain[-1][0] == "/rehab/"
    content = text_of(response)
    assert DailyLog.objects.get().new_symptoms == ["calf_swelling"]
    assert "Your plan is paused: Get medical advice today" in content
    # The pause names the sign and where it was reported, and offers to undo a mistaken tick.
    assert "you reported in your log: “One calf or thigh is painful, swollen, warm or red”." in content
    assert 'href="/rehab/log/2026-11-27/"' in content
    assert "I ticked this by mistake" in content
    assert "data-exercise=" not in content


def test_the_most_urgent_of_several_flags_decides_the_outcome(plan, alice_client):
    alice_client.post(url(TODAY), rest_data(new_symptoms=["night_or_rest_pain", "chest_or_breathing"]))
    assert "Your plan is paused: Get emergency help now" in text_of(alice_client.get("/rehab/"))


def test_logs_are_still_accepted_while_paused(plan, alice_client):
    make_log(plan, TODAY - timedelta(days=1), rested=True, new_symptoms=["locked_knee"])
    response = alice_client.get(url(TODAY))
    assert "Your plan is paused. You can still log" in text_of(response)
    assert '<a href="/rehab/report/">Your report for a clinician</a>' in text_of(response)
    assert alice_client.post(url(TODAY), rest_data()).status_code == 302
    assert DailyLog.objects.filter(plan=plan).count() == 2


def test_a_new_itbs_likely_screen_resumes_the_plan_in_rest(plan, alice_client):
    alice_client.post(url(TODAY - timedelta(days=1)), rest_data(new_symptoms=["catching_giving_way"]))
    assert "Your plan is paused: Book a check with a clinician" in text_of(alice_client.get("/rehab/"))

    make_screening(plan.user)  # taken now, after the pause
    content = text_of(alice_client.get("/rehab/"))
    assert "Your plan is paused" not in content
    assert "Resting." in content
    assert "Your progress check is due on Friday 4 December." in content


def test_editing_the_flagged_log_recomputes_and_unpauses_the_plan(plan, alice_client):
    alice_client.post(url(TODAY - timedelta(days=1)), rest_data(new_symptoms=["locked_knee"]))
    assert "Your plan is paused" in text_of(alice_client.get("/rehab/"))
    alice_client.post(url(TODAY - timedelta(days=1)), rest_data())  # ticked by mistake
    assert "Your plan is paused" not in text_of(alice_client.get("/rehab/"))
    assert DailyLog.objects.filter(plan=plan).count() == 1


# --- The person's own time zone ------------------------------------------------------------------


def test_just_after_midnight_in_auckland_the_new_day_can_be_logged_and_the_next_cannot(db):
    with time_machine.travel(datetime(2026, 11, 27, 12, 30, tzinfo=UTC), tick=False):  # 01:30, 28 Nov
        kiri = make_user("kiri", time_zone="Pacific/Auckland")
        plan = make_plan(kiri, start_date=date(2026, 11, 19))
        client = Client()
        client.force_login(kiri)
        assert "Today's log" in text_of(client.get("/rehab/log/2026-11-28/"))
        saved = client.post("/rehab/log/2026-11-28/", rest_data())
        refused = client.post("/rehab/log/2026-11-29/", rest_data())
    assert (saved.status_code, saved["Location"]) == (302, "/rehab/")
    assert "hasn't happened yet" in text_of(refused)
    assert list(DailyLog.objects.filter(plan=plan).values_list("date", flat=True)) == [date(2026, 11, 28)]


# --- Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/rehab/log/", "/rehab/log/2026-11-27/"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, db, path, method):
    response = client.post(path, rest_data()) if method == "post" else client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    assert not DailyLog.objects.exists()


def test_the_log_link_without_a_date_goes_to_today(plan, alice_client):
    response = alice_client.get("/rehab/log/")
    assert (response.status_code, response["Location"]) == (302, "/rehab/log/2026-11-27/")


@pytest.mark.parametrize("method", ["get", "post"])
def test_bob_without_a_plan_gets_not_found_and_cannot_touch_alices_log(plan, bob_client, method):
    make_log(plan, TODAY, pain_worst=8, rested=True, notes="alice only")
    response = getattr(bob_client, method)(url(TODAY), rest_data(pain_worst="1"))
    assert response.status_code == 404
    assert "alice only" not in response.content.decode()
    assert DailyLog.objects.get().pain_worst == 8


# --- Query counts --------------------------------------------------------------------------------

#: Measured. GET: session + user, plan + logs + checks, screens, the exercise library with the
#: week's ticks (one LEFT JOIN). POST: session + user, the same plan reads, and the save as one
#: INSERT … ON CONFLICT DO UPDATE; the state after it is recomputed in memory, not read again.
#: Issue 13: the plan comes with its stored state and only the day's log is read. A save is a
#: write transaction (savepoint and release here, inside the test's transaction): the plan row
#: locked, the log upserted, the snapshot refreshed from the facts (logs with activity entries,
#: checks, target, screens: one replay) and upserted; the page renders that state (no second replay).
#: Now: session, user, the plan with its state and goal (one row), the page's rows (the day's log
#: with its activity entries, the week's ticks, the library rows due: one UNION ALL).
LOG_GET_QUERIES = 4
#: POST: session, user, the plan, the page's rows, savepoint, lock, upsert, 4 fact reads,
#: snapshot upsert, release.
LOG_POST_QUERIES = 13


def history(user, days: int):
    plan = make_plan(user, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)  # includes a log for today
    warm(plan)  # the page everybody gets after the day's first
    return plan


@pytest.mark.parametrize("days", [7, 365])
def test_the_log_page_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    history(alice, days)
    with django_assert_num_queries(LOG_GET_QUERIES):
        assert alice_client.get(url(TODAY)).status_code == 200


@pytest.mark.parametrize("days", [7, 365])
def test_saving_a_log_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    history(alice, days)
    with django_assert_num_queries(LOG_POST_QUERIES):
        assert alice_client.post(url(TODAY), rest_data()).status_code == 302


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("days", [7, 365])
def test_the_log_page_stays_within_8_queries(alice, alice_client, django_assert_max_num_queries, days, method):
    history(alice, days)
    # A save refreshes the stored state in its own transaction (issue 13): more than 8 queries,
    # none of which grows with the history; every page after it reads 4-6.
    with django_assert_max_num_queries(8 if method == "get" else LOG_POST_QUERIES):
        response = getattr(alice_client, method)(url(TODAY), rest_data())
    assert response.status_code == (302 if method == "post" else 200)
    assert DailyLog.objects.filter(date=TODAY).count() == 1


def test_the_log_page_links_the_day_before_and_after(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
    earlier = TODAY - timedelta(days=2)
    html = alice_client.get(f"/rehab/log/{earlier}/").content.decode()
    assert f'<a href="/rehab/log/{earlier - timedelta(days=1)}/">← Previous day</a>' in html
    assert f'<a href="/rehab/log/{earlier + timedelta(days=1)}/">Next day →</a>' in html
    first = alice_client.get(f"/rehab/log/{plan.start_date}/").content.decode()
    assert "Previous day" not in first  # day 1 has none before it
    assert "Next day" not in alice_client.get(f"/rehab/log/{TODAY}/").content.decode()  # nor today after it
