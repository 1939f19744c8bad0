"""The calendar feed `/calendar/<token>.ics`: parsed back with icalendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from rehab.ladders import session_text
from reminders.models import CalendarFeed, hash_token
from reminders.services import new_feed_link
from tests.factories import make_check, make_history, make_log, make_plan, make_user, warm
from tests.rehab.support import NOW, TODAY

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def fetch(client, user):
    response = client.get(f"/calendar/{new_feed_link(user=user)}.ics")
    assert response.status_code == 200
    return response


def events(response) -> dict[str, list]:
    cal = Calendar.from_ical(response.content)
    found: dict[str, list] = {}
    for event in cal.walk("VEVENT"):
        kind = str(event["UID"]).split("-", 1)[0]
        found.setdefault(kind, []).append(event)
    return found


def start_day(event) -> date:
    value = event.decoded("DTSTART")
    return value.date() if isinstance(value, datetime) else value


def test_day_3_has_daily_logs_at_the_reminder_time_and_the_plan_end(client, alice):
    alice.time_zone = "Europe/Berlin"
    alice.save()
    make_plan(alice, start_date=TODAY - timedelta(days=2))
    response = fetch(client, alice)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"  # a token page: never kept by any cache
    assert response["Referrer-Policy"] == "no-referrer"
    found = events(response)
    logs = found["log"]
    assert len(logs) == 14
    assert [start_day(e) for e in logs] == [TODAY + timedelta(days=n) for n in range(14)]
    first = logs[0].decoded("DTSTART")
    assert (first.hour, first.minute, str(first.tzinfo)) == (20, 0, "Europe/Berlin")
    assert "TZID=Europe/Berlin" in response.content.decode()
    assert "BEGIN:VTIMEZONE" in response.content.decode()
    assert [start_day(e) for e in found["end"]] == [TODAY - timedelta(days=2) + timedelta(days=29)]
    assert [start_day(e) for e in found["check"]] == [TODAY + timedelta(days=11)]
    assert "session" not in found
    assert all(len(list(e.walk("VALARM"))) == 1 for kind in found.values() for e in kind)


def test_on_the_check_day_the_check_is_today(client, alice):
    make_plan(alice, start_date=TODAY - timedelta(days=13))
    found = events(fetch(client, alice))
    assert [start_day(e) for e in found["check"]] == [TODAY]
    assert len(found["log"]) == 14


def test_after_a_pass_the_session_day_carries_its_session_text(client, alice):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=13))
    make_check(plan, TODAY)
    found = events(fetch(client, alice))
    assert "check" not in found
    (session,) = found["session"]
    assert start_day(session) == TODAY
    assert str(session["DESCRIPTION"]) == str(session_text("running", 1))


def test_a_paused_plan_has_no_session_or_check_events(client, alice):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=13))
    make_check(plan, TODAY - timedelta(days=0))
    make_log(plan, TODAY, session_done=False, new_symptoms=["numbness_shin_foot"])
    found = events(fetch(client, alice))
    assert "session" not in found
    assert "check" not in found


def test_uids_are_stable_across_fetches_and_hold_no_user_id(client, alice):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=2))
    one, two = fetch(client, alice), fetch(client, alice)
    uids = [str(e["UID"]) for kind in events(one).values() for e in kind]
    assert uids == [str(e["UID"]) for kind in events(two).values() for e in kind]
    assert len(set(uids)) == len(uids)
    assert all(f"-{plan.pk}@" not in uid and f"-{alice.pk}@" not in uid for uid in uids)


def test_crlf_and_line_folding(client, alice):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=13))
    make_check(plan, TODAY)  # the session text is long enough to fold
    raw = fetch(client, alice).content
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert b"\r\n " in raw, "long descriptions are folded"


def test_the_feed_has_no_pain_values_or_notes(client, alice):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=13))
    make_log(plan, TODAY - timedelta(days=1), pain_worst=7, rested=True, notes="secret knee note")
    text = fetch(client, alice).content.decode()
    assert "secret knee note" not in text
    assert "pain" not in text.lower()
    assert "iliotibial" not in text.lower() and "ITBS" not in text


def test_a_new_link_is_shown_once_and_makes_the_old_one_404(client, alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2))
    old = new_feed_link(user=alice)
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    response = alice_client.post("/reminders/calendar/new/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    new = html.split('id="calendar-url" type="url" value="http://127.0.0.1:8000/calendar/', 1)[1].split(".ics", 1)[0]
    assert f"webcal://127.0.0.1:8000/calendar/{new}.ics" in html
    assert new != old and len(new) >= 43
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_only_the_tokens_hash_is_stored_and_the_settings_page_never_shows_it(client, alice, alice_client):
    token = new_feed_link(user=alice)
    row = CalendarFeed.objects.get(user=alice)
    assert row.token_hash == hash_token(token) and token not in row.token_hash
    assert not any(token in str(value) for value in CalendarFeed.objects.values_list().get())
    content = alice_client.get("/accounts/settings/").content.decode()
    assert token not in content
    assert "You made your calendar link on" in content and "Make a new link" in content


def test_the_settings_page_offers_a_link_to_someone_without_one(alice, alice_client):
    content = alice_client.get("/accounts/settings/").content.decode()
    assert "Make my calendar link" in content and ".ics" not in content
    assert not CalendarFeed.objects.filter(user=alice).exists()  # looking makes none


def test_stopping_the_link(client, alice, alice_client):
    token = new_feed_link(user=alice)
    response = alice_client.post("/reminders/calendar/delete/")
    assert response.status_code == 302 and response["Location"] == "/accounts/settings/#calendar-heading"
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert not CalendarFeed.objects.filter(user=alice).exists()


@pytest.mark.django_db(transaction=True)
def test_a_link_made_before_tokens_were_hashed_keeps_working(client):
    """Migration reminders 0003 hashes each stored token in place: the same URL still opens, and
    the plain token is gone from the table."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("reminders", "0002_preferences_on_the_user")], [("reminders", "0003_hashed_tokens")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    person = make_user("legacy")  # the user table is as it is now (only reminders went back)
    legacy = "legacy-token-" + "x" * 30
    old_apps.get_model("reminders", "CalendarFeed").objects.create(user_id=person.pk, token=legacy)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert CalendarFeed.objects.get(user_id=person.pk).token_hash == hash_token(legacy)
    assert client.get(f"/calendar/{legacy}.ics").status_code == 200


@pytest.mark.parametrize("days", [7, 365])
def test_feed_queries_do_not_grow_with_history(client, alice, days, django_assert_num_queries):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days, today=TODAY)
    warm(plan)  # the page everybody gets after the day's first
    url = f"/calendar/{new_feed_link(user=alice)}.ics"
    # link + user (with the reminder time), plan + its stored state (no history read)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
