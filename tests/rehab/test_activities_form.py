"""The activity formset on the daily log (load.md §1) and the build-phase "session done" rules.

Contract: prefix `activities`; blank rows ignored; saving replaces the log's entries in the same
transaction as the log; a POST without `activities-TOTAL_FORMS` leaves them unchanged; at most
10 rows; ≤ 1440 minutes a day; no distance for gym or pool running. Errors sit next to the row's
field and nothing else typed is lost.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from rehab import services
from rehab.models import ActivityEntry, DailyLog
from tests.factories import make_check, make_history, make_plan, warm
from tests.rehab.support import BUILD_DAYS, START, TODAY, d, field_group_text, log_data, p_logs, post_logs, text_of

pytestmark = pytest.mark.django_db


def url(day) -> str:
    return f"/rehab/log/{day.isoformat()}/"


def rows(*entries, total: int | None = None) -> dict:
    """Formset data: each entry a dict of the row's fields."""
    data = {"activities-TOTAL_FORMS": total if total is not None else len(entries), "activities-INITIAL_FORMS": 0}
    for i, entry in enumerate(entries):
        for key, value in entry.items():
            data[f"activities-{i}-{key}"] = value
    return data


def rest_data(**extra) -> dict:
    return {"pain_worst": 2, "rested": "yes", "notes": "Kept this note", **extra}


@pytest.fixture
def plan(alice, frozen_clock):
    return make_plan(alice, start_date=TODAY - timedelta(days=5))


def saved(plan, day=TODAY) -> list[tuple]:
    return list(
        ActivityEntry.objects.filter(log__plan=plan, log__date=day).values_list(
            "kind", "duration_min", "distance_km", "rpe"
        )
    )


def test_the_log_page_renders_the_formset_with_two_blank_rows(plan, alice_client):
    content = alice_client.get(url(TODAY)).content.decode()
    assert 'name="activities-TOTAL_FORMS" value="2"' in content
    assert 'name="activities-INITIAL_FORMS" value="0"' in content
    assert 'name="activities-0-kind"' in content and 'name="activities-1-rpe"' in content
    assert 'name="activities-2-kind"' not in content
    assert '<label for="id_activities-0-duration_min">Minutes</label>' in content


def test_saved_rows_come_back_with_two_blank_rows_after_them(plan, alice_client):
    alice_client.post(url(TODAY), rest_data(**rows({"kind": "swimming", "duration_min": 30})))
    content = alice_client.get(url(TODAY)).content.decode()
    assert 'name="activities-TOTAL_FORMS" value="3"' in content
    assert 'name="activities-INITIAL_FORMS" value="1"' in content
    assert 'value="30"' in content


def test_blank_rows_are_ignored_and_the_rest_saved_in_order(plan, alice_client):
    data = rest_data(
        **rows(
            {"kind": "", "duration_min": ""},
            {"kind": "cycling", "duration_min": 45, "rpe": 4},
            {},
            {"kind": "running", "duration_min": 20, "distance_km": "3.2"},
            total=4,
        )
    )
    assert alice_client.post(url(TODAY), data).status_code == 302
    assert saved(plan) == [("cycling", 45, None, 4), ("running", 20, Decimal("3.2"), None)]


def test_saving_again_replaces_the_entries(plan, alice_client):
    alice_client.post(url(TODAY), rest_data(**rows({"kind": "cycling", "duration_min": 45})))
    alice_client.post(url(TODAY), rest_data(**rows({"kind": "walking", "duration_min": 30})))
    assert saved(plan) == [("walking", 30, None, None)]
    alice_client.post(url(TODAY), rest_data(**rows({}, total=1)))  # every row cleared: none left
    assert saved(plan) == []


def test_a_post_without_the_management_form_leaves_the_entries_alone(plan, alice_client):
    alice_client.post(url(TODAY), rest_data(**rows({"kind": "cycling", "duration_min": 45})))
    assert alice_client.post(url(TODAY), rest_data(pain_worst=4)).status_code == 302  # a 2026.1 client
    assert saved(plan) == [("cycling", 45, None, None)]
    assert DailyLog.objects.get(plan=plan, date=TODAY).pain_worst == 4


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        ({"duration_min": 20}, "kind", "Please choose which activity this was."),
        ({"kind": "running"}, "duration_min", "Please enter how many minutes it lasted."),
        ({"kind": "running", "duration_min": 0}, "duration_min", "Please enter whole minutes, from 1 to 600."),
        ({"kind": "running", "duration_min": 601}, "duration_min", "Please enter whole minutes, from 1 to 600."),
        ({"kind": "running", "duration_min": "2.5"}, "duration_min", "Please enter whole minutes, from 1 to 600."),
        ({"kind": "flying", "duration_min": 20}, "kind", "Please choose which activity this was."),
        ({"kind": "gym", "duration_min": 40, "distance_km": "2"}, "distance_km", "Leave the distance empty for gym"),
        ({"kind": "pool_running", "duration_min": 40, "distance_km": "2"}, "distance_km", "Leave the distance empty"),
        ({"kind": "running", "duration_min": 40, "distance_km": "0"}, "distance_km", "from 0.1 to 300.0"),
        ({"kind": "running", "duration_min": 40, "distance_km": "300.1"}, "distance_km", "from 0.1 to 300.0"),
        ({"kind": "running", "duration_min": 40, "distance_km": "3.25"}, "distance_km", "at most one decimal place"),
        ({"kind": "running", "duration_min": 40, "rpe": 11}, "rpe", "Please choose a number from 0 to 10."),
    ],
)
def test_a_bad_row_is_refused_next_to_its_field_and_nothing_else_is_lost(plan, alice_client, row, field, message):
    data = rest_data(**rows({"kind": "walking", "duration_min": 30}, row))
    response = alice_client.post(url(TODAY), data)
    assert response.status_code == 200
    assert message in field_group_text(_form(response), f"activities-1-{field}")
    content = text_of(response)
    assert "Kept this note" in content  # the log's other answers are kept
    assert 'value="30"' in response.content.decode()  # and the good row
    assert not DailyLog.objects.filter(plan=plan).exists() and not ActivityEntry.objects.exists()


def test_more_than_1440_minutes_in_a_day_is_refused_on_the_row_that_passes_it(plan, alice_client):
    yesterday = TODAY - timedelta(days=1)
    # Yesterday's log: today's would first ask whether 1440 minutes fit the day so far (test_plausible).
    data = rest_data(**rows(*[{"kind": "walking", "duration_min": 600}] * 2, {"kind": "cycling", "duration_min": 241}))
    response = alice_client.post(url(yesterday), data)
    assert response.status_code == 200
    assert "can't be longer than that" in field_group_text(_form(response), "activities-2-duration_min")
    data = rest_data(**rows(*[{"kind": "walking", "duration_min": 600}] * 2, {"kind": "cycling", "duration_min": 240}))
    assert alice_client.post(url(yesterday), data).status_code == 302  # exactly 1440 is fine


def test_more_than_10_rows_is_refused(plan, alice_client):
    data = rest_data(**rows(*[{"kind": "walking", "duration_min": 10}] * 11))
    response = alice_client.post(url(TODAY), data)
    assert response.status_code == 200
    assert "Please log at most 10 activities a day." in text_of(response)
    assert not ActivityEntry.objects.exists()
    data = rest_data(**rows(*[{"kind": "walking", "duration_min": 10}] * 10))
    assert alice_client.post(url(TODAY), data).status_code == 302
    assert ActivityEntry.objects.count() == 10


def test_a_tampered_management_form_is_an_error_not_a_crash(plan, alice_client):
    response = alice_client.post(url(TODAY), rest_data(**{"activities-TOTAL_FORMS": "lots"}))
    assert response.status_code == 200
    assert not DailyLog.objects.exists()


def _form(response):
    from django.test.html import parse_html

    return parse_html(response.content.decode())


# --- In build: "session done" every day ---------------------------------------------------------


def build_client(alice) -> Client:
    """Base P on day 31 (build week 1 from day 30), logged through the form up to day 30."""
    plan = make_plan(alice, start_date=START)
    make_check(plan, d(14))
    services.target_save(plan=plan, rows={"running": (240, None)}, build_days=BUILD_DAYS, today=d(1), set_on=d(1))
    client = Client()
    client.force_login(alice)
    post_logs(client, p_logs(30, {30: 20}))
    return client


def at31():
    return time_machine.travel(datetime.combine(d(31), time(10), tzinfo=UTC), tick=False)


def test_in_build_session_done_is_asked_every_day_and_may_be_left_to_the_entries(alice):
    with at31():
        client = build_client(alice)
        content = html.unescape(client.get(url(d(31))).content.decode())
        assert "Did you do today's session?" in content  # day 31 is not a build day, still asked
        data = {
            "pain_worst": 1,
            "pain_during": 1,
            "stopped_early": "no",
            **rows({"kind": "running", "duration_min": 22}),
        }
        assert client.post(url(d(31)), data).status_code == 302
    log = DailyLog.objects.get(date=d(31))
    assert (log.session_done, log.pain_during) == (True, 1)  # unanswered + a run = yes


def test_in_build_a_run_without_its_session_pain_is_refused(alice):
    with at31():
        client = build_client(alice)
        response = client.post(url(d(31)), {"pain_worst": 1, **rows({"kind": "running", "duration_min": 22})})
    assert response.status_code == 200
    assert "Please answer this question." in field_group_text(_form(response), "pain_during")


@pytest.mark.parametrize(
    ("answer", "entry", "message"),
    [
        ("yes", {"kind": "cycling", "duration_min": 30}, "Add the run you did below, or answer no"),
        ("no", {"kind": "running", "duration_min": 20}, "You added a run below: answer yes here, or remove it."),
    ],
)
def test_in_build_a_session_answer_that_contradicts_the_entries_is_refused(alice, answer, entry, message):
    with at31():
        client = build_client(alice)
        data = {"pain_worst": 1, "session_done": answer, "pain_during": 1, "stopped_early": "no", **rows(entry)}
        response = client.post(url(d(31)), data)
    assert response.status_code == 200
    assert message in field_group_text(_form(response), "session_done")
    assert not DailyLog.objects.filter(date=d(31)).exists()


def test_in_build_a_2026_1_client_is_checked_against_the_saved_entries(alice):
    with at31():
        client = build_client(alice)
        # Day 30's run is saved; re-posting day 30 without the formset keeps it and stays a session.
        data = log_data(p_logs(30, {30: 20})[-1])
        data = {k: v for k, v in data.items() if not k.startswith("activities-")}
        assert client.post(url(d(30)), data).status_code == 302
        data["session_done"] = "no"
        response = client.post(url(d(30)), data)
    assert response.status_code == 200  # contradicts the saved run
    assert saved_on(d(30)) == [("running", 20)]


def saved_on(day) -> list[tuple]:
    return list(ActivityEntry.objects.filter(log__date=day).values_list("kind", "duration_min"))


# --- Query counts ---------------------------------------------------------------------------------

#: GET: as LOG_GET_QUERIES (4): the entries come in the page's rows (a LEFT JOIN in its UNION ALL).
#: POST with a changed formset: the 13 of a plain save (issue 13: with the snapshot's refresh),
#: plus the delete of the old entries and one insert of the new ones (15). An unchanged set costs
#: nothing more than a plain save.
LOG_GET_WITH_ACTIVITIES = 4
LOG_POST_WITH_ACTIVITIES = 15
LOG_POST_UNCHANGED = 13


def history_with_entries(user, days: int):
    plan = make_plan(user, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    for log in DailyLog.objects.filter(plan=plan):
        ActivityEntry.objects.create(log=log, position=0, kind="swimming", duration_min=30)
    warm(plan)  # entries written behind the services' back: store the state as the day's first page would
    return plan


@pytest.mark.parametrize("days", [7, 365])
def test_the_log_page_with_entries_takes_a_fixed_number_of_queries(
    alice, alice_client, frozen_clock, django_assert_num_queries, days
):
    history_with_entries(alice, days)
    with django_assert_num_queries(LOG_GET_WITH_ACTIVITIES):
        response = alice_client.get(url(TODAY))
    assert 'name="activities-INITIAL_FORMS" value="1"' in response.content.decode()
    with django_assert_num_queries(LOG_POST_WITH_ACTIVITIES):
        response = alice_client.post(url(TODAY), rest_data(**rows({"kind": "cycling", "duration_min": 40})))
    assert response.status_code == 302
    with django_assert_num_queries(LOG_POST_UNCHANGED):
        response = alice_client.post(url(TODAY), rest_data(**rows({"kind": "cycling", "duration_min": 40})))
    assert response.status_code == 302
    assert saved(DailyLog.objects.get(date=TODAY).plan) == [("cycling", 40, None, None)]
