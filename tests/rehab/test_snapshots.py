"""The stored plan state (`rehab.snapshots`, issue 13): the fast path equals the full replay.

The property drives the real write services (log saves, back-dated edits, deletions, checks,
activity changes, screens) and moves "today" forward with no input at all, and after every step
compares what a page reads (`plan_page`: the snapshot when valid) with a replay from day 1 of the
facts in the database, and with the state the write returned. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab import services, snapshots
from rehab.models import ActivityEntry, DailyLog, Plan, PlanSnapshot, Target
from rehab.progression import Activity, compute
from rehab.progression import Target as EngineTarget
from rehab.selectors import plan_page
from screening.services import screening_finish
from tests.factories import ITBS_ANSWERS, make_plan, make_user

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
SPAN = 40
#: A screen with a red-flag outcome (clinician_soon: it pauses an active plan).
RED_FLAG = {**ITBS_ANSWERS, "catching_giving_way": "yes"}

pain = st.integers(0, 10)
low = st.integers(0, 3)


@st.composite
def log_data(draw) -> dict:
    session = draw(st.sampled_from([None, True, True, False]))
    return {
        "pain_worst": draw(st.one_of(low, low, pain)),
        "pain_morning": draw(st.one_of(st.none(), low)),
        "rested": draw(st.sampled_from([None, True, True, False])),
        "session_done": session,
        "pain_during": draw(st.one_of(low, low, pain)) if session else None,
        "stopped_early": draw(st.sampled_from([False, False, True])) if session else None,
        "swelling": draw(st.sampled_from([None, "none", "none", "local", "whole_knee"] + ["none"] * 6)),
        "nsaid": draw(st.sampled_from([None, False, False, True])),
        "new_symptoms": draw(st.sampled_from([[]] * 15 + [["locked_knee"]])),
        "cross_training_minutes": None,
        "notes": "",
    }


@st.composite
def check_data(draw) -> dict:
    passing = draw(st.sampled_from([True, True, False]))
    return {
        "check_new_symptoms": [],
        "check_daily_pain": 0 if passing else draw(pain),
        "check_walk_30": True if passing else draw(st.booleans()),
        "check_squat_pain": 0 if passing else draw(pain),
        "check_hop_pain": 0 if passing else draw(pain),
    }


#: One step: move "today" on (often not at all: most writes land on a day whose snapshot a page
#: already stored), then one write (or none).
steps = st.tuples(
    st.sampled_from([0, 0, 0, 1, 3]),
    st.one_of(
        st.tuples(st.just("log"), st.integers(0, 6), log_data()),  # 0 = today, n = n days back
        st.tuples(st.just("log"), st.integers(0, 0), log_data()),
        st.tuples(st.just("delete"), st.integers(0, 10), st.none()),
        st.tuples(st.just("check"), st.integers(0, 0), check_data()),
        st.tuples(st.just("activity"), st.integers(0, 0), st.sampled_from(["running", "cycling", "hiking"])),
        st.tuples(st.just("screen"), st.integers(0, 0), st.sampled_from([ITBS_ANSWERS, RED_FLAG])),
        st.tuples(st.just("nothing"), st.integers(0, 0), st.none()),
    ),
)

PROPS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def full_replay(plan: Plan, today):
    fresh = Plan.objects.get(pk=plan.pk)
    return snapshots.replay(fresh, today)


@pytest.mark.django_db
@PROPS
@given(st.lists(steps, min_size=1, max_size=12))
def test_what_pages_read_equals_the_full_replay_after_any_history(history):
    with transaction.atomic():  # each example in its own savepoint, rolled back at the end
        with time_machine.travel(START, tick=False) as clock:
            user = make_user("prop")
            plan = make_plan(user, start_date=START.date())
            offset = 0
            for advance, (kind, back, value) in history:
                offset = min(SPAN, offset + advance)
                clock.move_to(START + timedelta(days=offset))
                today = (START + timedelta(days=offset)).date()
                returned = None
                if kind == "log":
                    day = max(plan.start_date, today - timedelta(days=back))
                    returned = services.log_save(plan=plan, day=day, data=value).state
                elif kind == "delete":
                    returned = services.log_delete(plan=plan, day=today - timedelta(days=back))
                elif kind == "check":
                    state = plan_page(user).state
                    if state.check_due:
                        returned = services.check_save(plan=plan, data={"date": today, **value}).state
                elif kind == "activity":
                    returned = services.plan_set_activity(plan=plan, activity=value).state
                elif kind == "screen":
                    screening_finish(user=user, answers=value)
                expected = full_replay(plan, today)
                if returned is not None:
                    assert returned == expected
                assert plan_page(user).state == expected  # the fast path
                assert plan_page(user).state == expected  # and again, from the row
        transaction.set_rollback(True)


# --- The rules of a snapshot, one by one -------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(START + timedelta(days=20), tick=False):
        yield


@pytest.fixture
def person(db, frozen):
    user = make_user("snap")
    plan = make_plan(user, start_date=START.date())
    for n in range(15):
        services.log_save(plan=plan, day=plan.start_date + timedelta(days=n), data={"pain_worst": 2, "rested": True})
    return user, plan


def row(plan) -> PlanSnapshot:
    return PlanSnapshot.objects.get(plan=plan)


def test_every_write_leaves_a_snapshot_for_today(person):
    user, plan = person
    snapshot = row(plan)
    assert snapshot.for_date == START.date() + timedelta(days=20)
    assert snapshot.engine == snapshots.ENGINE
    assert snapshots.loads(snapshot.state) == full_replay(plan, snapshot.for_date)


def test_a_page_with_a_valid_snapshot_does_not_replay(person, monkeypatch, django_assert_num_queries):
    user, _plan = person
    monkeypatch.setattr(snapshots, "replay", lambda *a: pytest.fail("replayed"))
    with django_assert_num_queries(1):  # the plan with its snapshot
        assert plan_page(user).state.day == 21


@pytest.mark.parametrize(
    "spoil",
    [
        {"engine": "an older engine"},
        {"time_zone": "Pacific/Auckland"},
        {"for_date": START.date()},
        {"state": b"not a pickle"},
        {"state": b"\0" * 32 + b"cos\nsystem\n(S'echo unsigned'\ntR."},  # unsigned: never loaded
    ],
    ids=["engine", "time-zone", "another-day", "garbage", "unsigned"],
)
def test_a_snapshot_that_does_not_match_is_a_miss_and_is_replaced(person, spoil):
    user, plan = person
    PlanSnapshot.objects.filter(plan=plan).update(**spoil)
    today = START.date() + timedelta(days=20)
    assert plan_page(user).state == full_replay(plan, today)
    assert row(plan).engine == snapshots.ENGINE and row(plan).for_date == today
    assert snapshots.loads(row(plan).state) == full_replay(plan, today)


def test_a_page_that_replayed_never_stores_over_a_write_that_came_in_between(person):
    user, plan = person
    today = START.date() + timedelta(days=20)
    PlanSnapshot.objects.filter(plan=plan).update(for_date=START.date())  # stale: pages will replay
    page_plan = Plan.objects.select_related("snapshot").get(pk=plan.pk)
    _stale, seen = snapshots.cached(page_plan.snapshot, today)
    before = full_replay(plan, today)  # what the page computed from the facts it read
    services.log_save(plan=plan, day=today, data={"pain_worst": 9})  # a write commits meanwhile
    snapshots._upsert(plan.pk, today, before, seen=seen)
    assert snapshots.loads(row(plan).state) == full_replay(plan, today) != before


def test_a_page_that_saw_no_snapshot_does_not_overwrite_one_written_since(person):
    user, plan = person
    today = START.date() + timedelta(days=20)
    stale = full_replay(plan, today)
    services.log_save(plan=plan, day=today, data={"pain_worst": 9})
    snapshots._upsert(plan.pk, today, stale, seen=None)
    assert snapshots.loads(row(plan).state) != stale


def test_the_state_moves_on_with_the_date_alone(person):
    user, plan = person
    with time_machine.travel(START + timedelta(days=27), tick=False):
        today = START.date() + timedelta(days=27)
        assert plan_page(user).state == full_replay(plan, today)
        assert row(plan).for_date == today


def test_a_screen_refreshes_the_plan_in_its_own_transaction(person):
    user, plan = person
    screening_finish(user=user, answers=RED_FLAG)
    stored = snapshots.loads(row(plan).state)
    assert stored.status == "paused"
    assert stored == full_replay(plan, START.date() + timedelta(days=20))


def test_the_loader_reads_activity_entries_and_the_target(person):
    """Issue 16's inputs reach the engine through the one loader."""
    user, plan = person
    today = START.date() + timedelta(days=20)
    log = DailyLog.objects.get(plan=plan, date=plan.start_date)
    ActivityEntry.objects.create(log=log, position=0, kind="running", duration_min=20, rpe=3)
    ActivityEntry.objects.create(log=log, position=1, kind="cycling", duration_min=30, distance_km=Decimal("9.5"))
    Target.objects.create(plan=plan, activity="running", minutes=240, set_on=plan.start_date)
    Target.objects.create(plan=plan, activity="cycling", minutes=300, set_on=plan.start_date)  # not the plan's
    inputs = snapshots.load_inputs(Plan.objects.get(pk=plan.pk))
    assert inputs.logs[0].activities == (
        Activity(kind="running", duration_min=20, rpe=3),
        Activity(kind="cycling", duration_min=30, distance_km=Decimal("9.5")),
    )
    assert all(entry.activities == () for entry in inputs.logs[1:])
    assert inputs.target == EngineTarget(minutes=240, set_on=plan.start_date, build_days=tuple(plan.build_days))
    expected = compute(
        start_date=plan.start_date,
        logs=inputs.logs,
        checks=(),
        screens=(),
        today=today,
        target=inputs.target,
        activity="running",
    )
    assert inputs.compute(today) == expected


def test_rebuild_snapshots_drops_and_rebuilds_every_plan(person):
    user, plan = person
    other = make_plan(make_user("other"), start_date=START.date() + timedelta(days=5))
    PlanSnapshot.objects.filter(plan=plan).update(state=b"damaged")
    call_command("rebuild_snapshots", stdout=open(os.devnull, "w"))  # noqa: SIM115
    today = START.date() + timedelta(days=20)
    assert PlanSnapshot.objects.count() == 2
    for each in (plan, other):
        assert snapshots.loads(row(each).state) == full_replay(each, today)


def test_deleting_the_plan_deletes_its_snapshot(person):
    _user, plan = person
    services.plan_delete(plan=plan)
    assert not PlanSnapshot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_refresh_outside_the_writers_transaction_is_refused():
    from django.db.transaction import TransactionManagementError

    plan = make_plan(make_user("loose"), start_date=START.date())
    with pytest.raises(TransactionManagementError, match="writer's transaction"):
        snapshots.refresh(plan)
