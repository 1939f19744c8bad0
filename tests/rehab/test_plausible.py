"""The plausibility check on activity entries: a pace beyond the world record for the kind, or
more minutes today than today has had, asks to confirm next to the field instead of saving
silently; the values stay on the form, and ticking "These numbers are right" saves them."""

from __future__ import annotations

import html
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test.html import parse_html

from rehab.models import ActivityEntry, DailyLog
from rehab.plausible import faster_than_record, record_speed, unlikely_entries
from tests.factories import make_plan
from tests.rehab.support import TODAY, field_group_text, text_of

pytestmark = pytest.mark.django_db


# --- The rule, by hand from the world records in rehab/plausible.py's docstring ------------------


@pytest.mark.parametrize(
    ("kind", "minutes", "km", "unlikely"),
    [
        ("running", 20, "28.0", True),  # 84 km/h: the example
        ("running", 20, "5.0", False),  # 15 km/h: a good club runner
        ("running", 13, "5.0", False),  # 23.1 km/h: under the 5 km record (23.8 km/h)
        ("running", 12, "5.0", True),  # 25 km/h: beats 12:35
        ("running", 121, "42.2", False),  # 20.9 km/h: just under the marathon record
        ("running", 119, "42.2", True),
        ("cycling", 60, "55.0", False),  # under the hour record
        ("cycling", 60, "60.0", True),
        ("walking", 60, "15.0", False),
        ("hiking", 60, "20.0", True),
        ("swimming", 30, "2.0", False),  # 4 km/h
        ("swimming", 10, "2.0", True),  # 12 km/h
        ("other", 1, "300.0", False),  # "other" has no bound
        ("running", 30, None, False),  # no distance, nothing to check
    ],
)
def test_a_pace_beyond_the_world_record_is_unlikely(kind, minutes, km, unlikely):
    assert faster_than_record(kind, minutes, None if km is None else Decimal(km)) is unlikely


def test_between_two_record_distances_the_shorter_ones_speed_applies():
    assert record_speed("running", Decimal("7.0")) == record_speed("running", Decimal("5.0"))
    assert record_speed("gym", Decimal("1.0")) is None


def test_the_day_so_far_flags_the_row_where_the_total_passes_it():
    rows = [(0, "running", 30, None), (2, "cycling", 40, None), (3, "walking", 10, None)]
    found = unlikely_entries(rows, minutes_so_far=60)
    assert [(u.row, u.field, u.reason) for u in found] == [(2, "duration_min", "day")]
    assert unlikely_entries(rows, minutes_so_far=None) == []


# --- Over HTTP: asked, kept, then saved when confirmed -------------------------------------------


def url(day) -> str:
    return f"/rehab/log/{day.isoformat()}/"


def at(hour: int, minute: int = 0):
    return time_machine.travel(datetime.combine(TODAY, time(hour, minute), tzinfo=UTC), tick=False)


def post(client, day, entry: dict, **extra):
    data = {"pain_worst": 2, "rested": "yes", "notes": "Kept this note", **extra}
    data |= {"activities-TOTAL_FORMS": 2, "activities-INITIAL_FORMS": 0}
    data |= {f"activities-0-{key}": value for key, value in entry.items()}
    return client.post(url(day), data)


RUN_28_KM = {"kind": "running", "duration_min": 20, "distance_km": "28.0"}


@pytest.mark.parametrize("quick", [False, True], ids=["log-page", "quick-log"])
def test_a_28_km_run_in_20_minutes_asks_to_confirm_and_keeps_everything(alice, alice_client, quick):
    with at(10):
        plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
        extra = {"from": "today"} if quick else {}
        response = post(alice_client, TODAY, RUN_28_KM, **extra)
        assert response.status_code == 200
        assert not DailyLog.objects.filter(plan=plan).exists(), "nothing saved silently"
        page = text_of(response)
        assert "Please check the answers marked below" in page
        by_field = field_group_text(parse_html(response.content.decode()), "activities-0-distance_km")
        assert "28.0 km in 20 minutes would beat the world record" in by_field
        assert 'name="activities-0-distance_km"' in page and 'value="28.0"' in page
        assert "Kept this note" in page
        assert 'name="activities-confirm"' in page and 'for="activities-confirm"' in page
        response = post(alice_client, TODAY, RUN_28_KM, **extra, **{"activities-confirm": "yes"})
        assert response.status_code == 302
    assert list(ActivityEntry.objects.filter(log__plan=plan).values_list("kind", "duration_min", "distance_km")) == [
        ("running", 20, Decimal("28.0"))
    ]


def test_more_minutes_today_than_today_has_had_asks_to_confirm(alice, alice_client):
    with at(1, 30):  # 90 minutes into the day
        plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
        response = post(alice_client, TODAY, {"kind": "cycling", "duration_min": 120})
        assert response.status_code == 200
        by_field = html.unescape(field_group_text(parse_html(response.content.decode()), "activities-0-duration_min"))
        assert "come to 120 minutes, more than today has had so far (1:30)" in by_field
        assert not DailyLog.objects.filter(plan=plan).exists()
        # The same 120 minutes on yesterday's log: nothing to ask.
        assert (
            post(alice_client, TODAY - timedelta(days=1), {"kind": "cycling", "duration_min": 120}).status_code == 302
        )
        # A plausible entry today saves at once.
        assert post(alice_client, TODAY, {"kind": "cycling", "duration_min": 60}).status_code == 302
