"""The calendar feed `/calendar/<token>.ics`: parsed back with icalendar."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from icalendar import Calendar

from rehab.ladders import session_text
from reminders.models import CalendarFeed
from reminders.services import feed_link
from tests.factories import make_check, make_history, make_log, make_plan, warm
from tests.rehab.support import NOW, TODAY

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def fetch(client, user):
    response = client.get(f"/calendar/{feed_link(user=user).token}.ics")
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


def test_a_new_link_makes_the_old_one_404(client, alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2))
    old = feed_link(user=alice).token
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    response = alice_client.post("/reminders/calendar/new/")
    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=alice).token
    assert new != old and len(new) >= 43
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200


def test_settings_page_shows_the_links(alice, alice_client):
    content = alice_client.get("/accounts/settings/").content.decode()
    token = CalendarFeed.objects.get(user=alice).token
    assert f"http://127.0.0.1:8000/calendar/{token}.ics" in content
    assert f"webcal://127.0.0.1:8000/calendar/{token}.ics" in content
    assert "Make a new link" in content


@pytest.mark.parametrize("days", [7, 365])
def test_feed_queries_do_not_grow_with_history(client, alice, days, django_assert_num_queries):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days, today=TODAY)
    warm(plan)  # the page everybody gets after the day's first
    url = f"/calendar/{feed_link(user=alice).token}.ics"
    # link + user (with the reminder time), plan + its stored state (no history read)
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
