"""Starting the 30-day plan (`/rehab/start/`): only after an `itbs_likely` screen, start date
today or up to 60 days back, never in the future (plan.md, "Shape of the plan")."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.test.html import parse_html

from rehab.models import Plan
from tests.factories import ITBS_ANSWERS, make_plan, make_screening, make_user
from tests.rehab.support import NOW, TODAY, field_group_text
from tests.rehab.support import elements as _elements

pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/rehab/start/"


def field_group(response, name: str) -> str:
    return field_group_text(parse_html(response.content.decode()), name)


def checked_value(response, name: str) -> str | None:
    root = parse_html(response.content.decode())
    for element in _elements(root):
        attrs = dict(element.attributes)
        if attrs.get("name") == name and "checked" in attrs:
            return attrs.get("value")
    return None


def input_value(response, name: str) -> str | None:
    root = parse_html(response.content.decode())
    for element in _elements(root):
        attrs = dict(element.attributes)
        if element.name == "input" and attrs.get("name") == name:
            return attrs.get("value")
    return None


# --- Who may start ---------------------------------------------------------------------------


def test_after_an_itbs_likely_screen_the_start_page_offers_the_form(alice, alice_client):
    make_screening(alice, {**ITBS_ANSWERS, "activity": "cycling"})
    response = alice_client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Start your 30-day plan" in content
    assert input_value(response, "start_date") == TODAY.isoformat(), "the start date defaults to today"
    assert checked_value(response, "activity") == "cycling", "the activity comes from the screening"


def test_without_any_screen_the_start_page_refuses_and_points_to_the_knee_check(alice, alice_client):
    response = alice_client.get(URL)
    content = response.content.decode()
    assert "The plan isn't open yet" in html.unescape(content)
    assert 'name="start_date"' not in content
    assert 'href="/screening/"' in content


@pytest.mark.parametrize(
    "answers, outcome",
    [
        ({**ITBS_ANSWERS, "calf_swelling": "yes"}, "urgent_today"),
        ({**ITBS_ANSWERS, "night_or_rest_pain": "yes"}, "clinician_soon"),
        ({**ITBS_ANSWERS, "pain_front": "yes"}, "not_typical"),
    ],
)
def test_a_latest_screen_with_another_outcome_shows_no_form_but_a_refusal(alice, alice_client, answers, outcome):
    make_screening(alice, taken_at=NOW - timedelta(days=3))  # an older itbs_likely screen does not count
    latest = make_screening(alice, answers, taken_at=NOW - timedelta(hours=1))
    assert latest.outcome == outcome

    response = alice_client.get(URL)
    content = html.unescape(response.content.decode())
    assert "The plan isn't open yet" in content
    assert 'name="start_date"' not in content
    assert f'href="/screening/result/{latest.pk}/"' in content


def test_posting_after_a_refused_screen_creates_no_plan(alice, alice_client):
    make_screening(alice, {**ITBS_ANSWERS, "calf_swelling": "yes"})
    response = alice_client.post(URL, {"start_date": TODAY.isoformat(), "activity": "running"})
    assert "The plan isn't open yet" in html.unescape(response.content.decode())
    assert not Plan.objects.filter(user=alice).exists()


# --- Creating the plan ------------------------------------------------------------------------


def test_posting_a_start_date_and_activity_creates_the_plan_and_shows_day_one(alice, alice_client):
    screening = make_screening(alice)
    response = alice_client.post(URL, {"start_date": TODAY.isoformat(), "activity": "hiking"})
    assert response.status_code == 302
    assert response["Location"] == "/rehab/"
    plan = Plan.objects.get(user=alice)
    assert (plan.start_date, plan.activity, plan.screening_id) == (TODAY, "hiking", screening.pk)
    assert "Day 1 of 30" in alice_client.get("/rehab/").content.decode()


@pytest.mark.parametrize("days_back", [0, 1, 59, 60])
def test_a_start_date_from_today_back_to_60_days_ago_is_accepted(alice, alice_client, days_back):
    make_screening(alice)
    start = TODAY - timedelta(days=days_back)
    response = alice_client.post(URL, {"start_date": start.isoformat(), "activity": "running"})
    assert response.status_code == 302
    assert Plan.objects.get(user=alice).start_date == start
    # After the 30 days the heading is just "Day n" (explain.day_heading, issue 16).
    heading = f"Day {days_back + 1} of 30" if days_back < 30 else f"Day {days_back + 1}"
    assert heading in alice_client.get("/rehab/").content.decode()


def test_a_start_date_61_days_back_is_refused_next_to_the_field_and_the_activity_is_kept(alice, alice_client):
    make_screening(alice)
    response = alice_client.post(URL, {"start_date": (TODAY - timedelta(days=61)).isoformat(), "activity": "cycling"})
    assert response.status_code == 200
    assert "The start date can be at most 60 days ago (28 September 2026)." in field_group(response, "start_date")
    assert checked_value(response, "activity") == "cycling"
    assert not Plan.objects.filter(user=alice).exists()


def test_a_start_date_of_tomorrow_is_refused_next_to_the_field_and_the_activity_is_kept(alice, alice_client):
    make_screening(alice)
    response = alice_client.post(URL, {"start_date": (TODAY + timedelta(days=1)).isoformat(), "activity": "gym"})
    assert response.status_code == 200
    assert "The start date can't be in the future." in field_group(response, "start_date")
    assert checked_value(response, "activity") == "gym"
    assert not Plan.objects.filter(user=alice).exists()


def test_the_date_input_limits_the_choice_to_the_allowed_range(alice, alice_client):
    make_screening(alice)
    content = alice_client.get(URL).content.decode()
    assert f'min="{(TODAY - timedelta(days=60)).isoformat()}"' in content
    assert f'max="{TODAY.isoformat()}"' in content


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"start_date": "27/11/2026", "activity": "running"}, "start_date", "Please enter a date like 2026-11-27."),
        ({"start_date": "", "activity": "running"}, "start_date", "This field is required."),
        ({"start_date": "2026-11-27", "activity": "skiing"}, "activity", "Please answer this question."),
        ({"start_date": "2026-11-27"}, "activity", "Please answer this question."),
    ],
)
def test_a_malformed_start_is_refused_next_to_the_field(alice, alice_client, data, field, message):
    make_screening(alice)
    response = alice_client.post(URL, data)
    assert response.status_code == 200
    assert message in field_group(response, field)
    assert not Plan.objects.filter(user=alice).exists()


def test_a_second_start_redirects_to_the_existing_plan_and_changes_nothing(alice, alice_client):
    make_screening(alice)
    plan = make_plan(alice, start_date=TODAY - timedelta(days=5))

    get = alice_client.get(URL)
    post = alice_client.post(URL, {"start_date": TODAY.isoformat(), "activity": "cycling"})

    assert (get.status_code, get["Location"]) == (302, "/rehab/")
    assert (post.status_code, post["Location"]) == (302, "/rehab/")
    assert Plan.objects.filter(user=alice).count() == 1
    plan.refresh_from_db()
    assert (plan.start_date, plan.activity) == (TODAY - timedelta(days=5), "running")


def test_the_start_date_range_follows_the_persons_own_time_zone(db):
    # 12:30 UTC on 27 November is already 01:30 on 28 November in Auckland.
    with time_machine.travel(datetime(2026, 11, 27, 12, 30, tzinfo=UTC), tick=False):
        kiri = make_user("kiri", time_zone="Pacific/Auckland")
        make_screening(kiri)
        client = Client()
        client.force_login(kiri)

        assert input_value(client.get(URL), "start_date") == "2026-11-28"
        refused = client.post(URL, {"start_date": "2026-11-29", "activity": "running"})
        assert "can't be in the future" in field_group(refused, "start_date")
        accepted = client.post(URL, {"start_date": "2026-11-28", "activity": "running"})
        assert accepted.status_code == 302
        assert Plan.objects.get(user=kiri).start_date == date(2026, 11, 28)


# --- Access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, db, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={URL}"
    assert not Plan.objects.exists()


def test_bob_cannot_start_a_plan_from_alices_screen(alice, bob, bob_client):
    make_screening(alice)
    response = bob_client.post(URL, {"start_date": TODAY.isoformat(), "activity": "running"})
    assert "The plan isn't open yet" in html.unescape(response.content.decode())
    assert not Plan.objects.exists()


def test_the_plans_activity_can_be_changed_and_the_sessions_follow_it(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2), activity="running")
    response = alice_client.post("/rehab/plan/settings/", {"activity": "cycling"})
    assert response.status_code == 302
    assert Plan.objects.get(user=alice).activity == "cycling"


def test_an_unknown_activity_is_refused_and_nothing_changes(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=2), activity="running")
    response = alice_client.post("/rehab/plan/settings/", {"activity": "skiing"})
    assert response.status_code == 200
    assert "Please answer this question." in response.content.decode()
    assert Plan.objects.get(user=alice).activity == "running"
