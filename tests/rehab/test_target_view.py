"""`/rehab/target/` (load.md §2): the usual week per activity, the build days, `set_on`, the lock
during build-back; and `/rehab/build/`: the weeks table and the load-vs-pain chart."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.test.html import parse_html

from rehab import services
from rehab.models import Plan, Target
from tests.factories import make_check, make_history, make_plan
from tests.rehab.support import BUILD_DAYS, START, TODAY, W1, W2, d, field_group_text, p_logs, post_logs, text_of, weeks

pytestmark = pytest.mark.django_db
URL = "/rehab/target/"
BUILD_URL = "/rehab/build/"


@pytest.fixture
def plan(alice, frozen_clock):
    return make_plan(alice, start_date=TODAY - timedelta(days=5))


def post(client, **fields):
    data = {"build_days": ["tue", "thu", "sat"], **fields}
    return client.post(URL, data)


def rows(plan) -> list[tuple]:
    return list(Target.objects.filter(plan=plan).values_list("activity", "minutes", "km", "set_on"))


def test_the_form_has_load_mds_field_names_the_plan_activity_first(plan, alice_client):
    content = alice_client.get(URL).content.decode()
    for name in ("target_running_minutes", "target_running_km", "target_cycling_minutes", "target_gym_minutes"):
        assert f'name="{name}"' in content
    assert 'name="target_gym_km"' not in content  # no distance for gym
    assert content.index("target_running_minutes") < content.index("target_cycling_minutes")
    assert "Changing this recalculates your build-back" in content
    for code in ("tue", "thu", "sat"):  # the default build days are ticked
        assert f'value="{code}" id="id_build_days_' in content
    assert content.count("checked") == 3


def test_saving_creates_rows_dated_today_and_edits_keep_the_date(plan, alice_client):
    assert (
        post(alice_client, target_running_minutes=240, target_running_km="40.0", target_cycling_minutes=90).status_code
        == 302
    )
    assert rows(plan) == [("cycling", 90, None, TODAY), ("running", 240, Decimal("40.0"), TODAY)]
    with time_machine.travel(datetime.combine(TODAY + timedelta(days=3), time(10), tzinfo=UTC), tick=False):
        post(alice_client, target_running_minutes=200)
    assert rows(plan) == [("running", 200, None, TODAY)]  # edited: keeps its date; cycling cleared: removed
    assert Plan.objects.get(pk=plan.pk).build_days == ["tue", "thu", "sat"]


def test_build_days_are_saved_in_weekday_order(plan, alice_client):
    post(alice_client, target_running_minutes=240, build_days=["sun", "mon", "wed"])
    assert Plan.objects.get(pk=plan.pk).build_days == ["mon", "wed", "sun"]


@pytest.mark.parametrize(
    ("fields", "name", "message"),
    [
        ({"target_running_minutes": 19}, "target_running_minutes", "from 20 to 1800"),
        ({"target_running_minutes": 1801}, "target_running_minutes", "from 20 to 1800"),
        ({"target_running_minutes": "lots"}, "target_running_minutes", "from 20 to 1800"),
        ({"target_running_km": "40"}, "target_running_minutes", "40 km at about 6 minutes per km"),
        ({"target_running_minutes": 240, "target_running_km": "500.1"}, "target_running_km", "from 0.1 to 500.0"),
        ({"target_running_minutes": 240, "target_running_km": "4.25"}, "target_running_km", "one decimal place"),
        ({"target_running_minutes": 240, "build_days": ["mon"]}, "build_days", "Please tick 2 to 6 days."),
        (
            {"target_running_minutes": 240, "build_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
            "build_days",
            "2 to 6",
        ),
        ({"target_running_minutes": 240, "build_days": ["mon", "someday"]}, "build_days", "2 to 6"),
        ({"target_running_minutes": 240, "build_days": []}, "build_days", "2 to 6"),
    ],
)
def test_bad_values_are_refused_next_to_the_field_and_the_rest_kept(plan, alice_client, fields, name, message):
    response = post(alice_client, target_cycling_minutes=90, **fields)
    assert response.status_code == 200
    assert message in field_group_text(parse_html(response.content.decode()), name)
    assert 'value="90"' in response.content.decode()
    assert rows(plan) == []


def test_a_plan_without_a_target_behaves_as_before_and_its_build_page_says_so(plan, alice_client):
    content = text_of(alice_client.get(BUILD_URL))
    assert "You haven't told us your usual week yet" in content
    assert "No build-back weeks yet" in content


# --- During build-back --------------------------------------------------------------------------


def at(day: int):
    return time_machine.travel(datetime.combine(d(day), time(10), tzinfo=UTC), tick=False)


def in_build(alice, today: int = 46, sessions=None) -> Client:
    plan = make_plan(alice, start_date=START)
    make_check(plan, d(14))
    services.target_save(plan=plan, rows={"running": (80, None)}, build_days=BUILD_DAYS, today=d(1), set_on=d(1))
    client = Client()
    client.force_login(alice)
    post_logs(client, p_logs(today, sessions if sessions is not None else weeks(W1, W2, {44: 25})))
    return client


def test_in_build_the_goal_cant_be_cleared_but_can_change_and_recomputes(alice):
    with at(46):
        client = in_build(alice)
        response = post(client, build_days=list(BUILD_DAYS))
        assert response.status_code == 200
        assert "can't be removed now" in field_group_text(
            parse_html(response.content.decode()), "target_running_minutes"
        )
        assert post(client, target_running_minutes=70, build_days=list(BUILD_DAYS)).status_code == 302
        page = html.unescape(client.get("/rehab/").content.decode())
    assert Target.objects.get().set_on == d(1)  # an edit keeps its date
    # G 70: weeks 60 → 66 → 70 (min(70, r(72.6))), recomputed from week 1.
    assert "Build-back · week 3 · 70 min this week (25 done, 45 to go)" in page


def test_in_build_the_activity_cant_change(alice):
    with at(46):
        client = in_build(alice)
        response = client.post("/rehab/plan/settings/", {"activity": "cycling"})
    assert response.status_code == 200
    assert "the activity can't change now" in html.unescape(response.content.decode())
    assert Plan.objects.get().activity == "running"


def test_the_build_page_shows_the_weeks_the_chart_and_its_table(alice):
    with at(46):
        client = in_build(alice)
        response = client.get(BUILD_URL)
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert '<svg class="chart build-chart"' in content
    assert '<title id="build-chart-title">' in content and '<desc id="build-chart-desc">' in content
    assert content.count('class="bar-main') == 3  # weeks 1, 2 and the current week 3
    assert content.count('class="goal-line"') == 1
    table = content[content.index('class="data-table build-table"') :]
    assert "went well: moved up" in table and "this week, so far" in table
    for number in ("60", "66", "73", "25"):
        assert f"<td>{number}</td>" in table
    assert "Build-back · week 3 · 73 min this week (25 done, 48 to go)" in content


def test_the_build_page_marks_a_step_back(alice):
    sessions = weeks(W1, {37: 22, 39: 15, 41: 18})
    with at(42):
        plan = make_plan(alice, start_date=START)
        make_check(plan, d(14))
        services.target_save(plan=plan, rows={"running": (240, None)}, build_days=BUILD_DAYS, today=d(1), set_on=d(1))
        client = Client()
        client.force_login(alice)
        logs = p_logs(42, sessions, {39: {"pain_during": 4}})
        post_logs(client, logs)
        content = html.unescape(client.get(BUILD_URL).content.decode())
        today = html.unescape(client.get("/rehab/timeline/").content.decode())
    assert 'class="marker marker-setback"' in content
    assert "ended early: a step back" in content
    assert "Build-back weeks" in today and "Running 22 min" in today  # the timeline's additions


def test_the_messages_say_what_fired_in_plain_words(alice):
    with at(37):
        client = in_build(alice, 36, weeks(W1))
        page = html.unescape(client.get("/rehab/").content.decode())
    # Day 37 starts week 2: week 1 went up (60 of 60).
    assert "Last week went well (60 of 60 min, knee settled). This week: 66 minutes." in page


# --- Query counts ---------------------------------------------------------------------------------

#: Issue 13: session, user, the plan with its stored state and goal (one row), then the target rows
#: (and on the build page today's log) in one UNION ALL (no screens read), whatever the history.
BUILD_QUERIES = 4
TARGET_QUERIES = 4


@pytest.mark.parametrize("days", [7, 365])
def test_the_build_and_target_pages_take_a_fixed_number_of_queries(
    alice, alice_client, frozen_clock, django_assert_num_queries, days
):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    services.target_save(
        plan=plan, rows={"running": (240, Decimal("42.5")), "cycling": (60, None)}, build_days=BUILD_DAYS, today=TODAY
    )
    with django_assert_num_queries(BUILD_QUERIES):
        build = alice_client.get(BUILD_URL)
    with django_assert_num_queries(TARGET_QUERIES):
        target = alice_client.get(URL)
    assert build.status_code == target.status_code == 200
    # The rows read with the page's union are the saved ones, with their types.
    assert "Running: 240 min a week · 42.5 km" in text_of(build)
    assert "Cycling: 60 min a week" in text_of(build)
    form = target.content.decode()
    assert re.search(r'<input[^>]* name="target_running_km" value="42.5"', form)
    assert re.search(r'<input[^>]* name="target_cycling_minutes" value="60"', form)


# --- The same fields on /rehab/start/ -----------------------------------------------------------


def test_a_goal_sent_with_the_start_is_dated_the_plans_start_date(alice, alice_client, frozen_clock):
    from tests.factories import make_screening

    make_screening(alice)
    start = TODAY - timedelta(days=3)
    data = {
        "start_date": start.isoformat(),
        "activity": "cycling",
        "target_cycling_minutes": 300,
        "target_running_minutes": 60,
    }
    assert alice_client.post("/rehab/start/", data).status_code == 302
    plan = Plan.objects.get()
    assert rows(plan) == [("cycling", 300, None, start), ("running", 60, None, start)]
    assert plan.build_days == ["tue", "thu", "sat"]  # none ticked: the default


def test_a_bad_goal_at_the_start_is_refused_and_no_plan_is_made(alice, alice_client, frozen_clock):
    from tests.factories import make_screening

    make_screening(alice)
    data = {"start_date": TODAY.isoformat(), "activity": "running", "target_running_km": "40"}
    response = alice_client.post("/rehab/start/", data)
    assert response.status_code == 200
    assert "40 km at about 6 minutes per km" in html.unescape(response.content.decode())
    assert not Plan.objects.exists()
