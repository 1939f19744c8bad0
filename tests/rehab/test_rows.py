"""The hand-written SQL reads (`rehab.rows`) equal plain ORM reads: on random histories (logs with
and without activity entries, checks, ticks, targets, a stored state or none), for random spans
of dates and every branch alone and together. Runs on SQLite and PostgreSQL, whose converters
differ (dates and booleans on SQLite, JSON and decimals on both)."""

from __future__ import annotations

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rehab import rows
from rehab.buildback import Activity
from rehab.buildback import Target as Goal
from rehab.models import LOG_COLUMNS, ActivityEntry, Check, Completion, DailyLog, Exercise, Plan, PlanSnapshot, Target
from tests.factories import make_plan, make_user, warm

START = date(2026, 11, 1)
SPAN = 30
KINDS = ("running", "cycling", "walking", "gym")

PROPS = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

maybe = st.sampled_from([None, True, False])
entry = st.tuples(
    st.sampled_from(KINDS),
    st.integers(1, 600),
    st.one_of(st.none(), st.decimals("0.1", "300.0", places=1)),
    st.one_of(st.none(), st.integers(0, 10)),
)
log = st.fixed_dictionaries(
    {
        "pain_worst": st.integers(0, 10),
        "pain_morning": st.one_of(st.none(), st.integers(0, 10)),
        "rested": maybe,
        "session_done": maybe,
        "pain_during": st.one_of(st.none(), st.integers(0, 10)),
        "stopped_early": maybe,
        "swelling": st.sampled_from([None, "none", "local", "whole_knee"]),
        "nsaid": maybe,
        "new_symptoms": st.sampled_from([[], ["locked_knee"], ["calf_swelling", "night_or_rest_pain"]]),
        "cross_training_minutes": st.one_of(st.none(), st.integers(0, 600)),
        "notes": st.sampled_from(["", 'sore <after> & "stairs"', "ünïcode ✓"]),
        "activities": st.lists(entry, max_size=3),
    }
)
check = st.fixed_dictionaries(
    {
        "new_symptoms": st.sampled_from([[], ["locked_knee"]]),
        "daily_pain": st.integers(0, 10),
        "walk_30": st.booleans(),
        "squat_pain": st.integers(0, 10),
        "hop_pain": st.integers(0, 10),
    }
)
history = st.fixed_dictionaries(
    {
        "logs": st.dictionaries(st.integers(0, SPAN), log, max_size=12),
        "checks": st.dictionaries(st.integers(0, SPAN), check, max_size=3),
        "ticks": st.dictionaries(
            st.integers(0, SPAN), st.sets(st.sampled_from(["clamshell", "calf-stretch"])), max_size=8
        ),
        "targets": st.dictionaries(
            st.sampled_from(["running", "cycling", "gym"]),
            st.tuples(st.integers(20, 1800), st.one_of(st.none(), st.decimals("0.1", "500.0", places=1))),
            max_size=2,
        ),
        "activity": st.sampled_from(["running", "cycling"]),
        "snapshot": st.booleans(),
    }
)
span = st.one_of(
    st.just(rows.ALL),
    st.tuples(st.integers(0, SPAN), st.integers(0, SPAN)).map(
        lambda pair: (START + timedelta(days=min(pair)), START + timedelta(days=max(pair)))
    ),
    st.tuples(st.one_of(st.none(), st.integers(0, SPAN)), st.one_of(st.none(), st.integers(0, SPAN))).map(
        lambda pair: tuple(None if n is None else START + timedelta(days=n) for n in pair)
    ),
)
asked = st.fixed_dictionaries(
    {
        "logs": st.one_of(st.none(), span),
        "checks": st.one_of(st.none(), span),
        "done": st.one_of(st.none(), span),
        "library": st.sampled_from([False, True, ("clamshell",), ("calf-stretch", "clamshell", "no-such-slug")]),
        "targets": st.booleans(),
    }
)


def _store(user, facts) -> Plan:
    plan = make_plan(user, start_date=START, activity=facts["activity"])
    for n, values in facts["logs"].items():
        values = dict(values)
        activities = values.pop("activities")
        saved = DailyLog.objects.create(plan=plan, date=START + timedelta(days=n), **values)
        ActivityEntry.objects.bulk_create(
            ActivityEntry(
                log=saved,
                position=i,
                kind=kind,
                duration_min=minutes,
                rpe=rpe,
                distance_km=None if kind == "gym" else km,
            )  # a gym session has no distance
            for i, (kind, minutes, km, rpe) in enumerate(activities)
        )
    for n, values in facts["checks"].items():
        Check.objects.create(plan=plan, date=START + timedelta(days=n), **values)
    for n, slugs in facts["ticks"].items():
        Completion.objects.bulk_create(
            Completion(plan=plan, date=START + timedelta(days=n), exercise_id=slug) for slug in slugs
        )
    for activity, (minutes, km) in facts["targets"].items():
        Target.objects.create(
            plan=plan, activity=activity, minutes=minutes, km=None if activity == "gym" else km, set_on=START
        )
    if facts["snapshot"]:
        warm(plan)
    return plan


def _in(span, field: str) -> dict:
    first, last = span
    return {**({f"{field}__gte": first} if first else {}), **({f"{field}__lte": last} if last else {})}


def _fields(instance) -> tuple:
    return tuple(getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields)


def orm_read(plan: Plan, *, logs=None, checks=None, done=None, library=False, targets=False) -> dict:
    """What `rows.read` reads, through the ORM."""
    found: dict = {"logs": {}, "checks": {}, "done": {}, "library": {}, "targets": {}}
    if logs is not None:
        for saved in DailyLog.objects.filter(plan=plan, **_in(logs, "date")).order_by("date"):
            entries = saved.activities.order_by("position")
            found["logs"][saved.date] = (
                *(getattr(saved, column) for column in LOG_COLUMNS),
                tuple(Activity(e.kind, e.duration_min, e.distance_km, e.rpe) for e in entries),
            )
    if checks is not None:
        found["checks"] = {c.date: _fields(c) for c in Check.objects.filter(plan=plan, **_in(checks, "date"))}
    if done is not None:
        for day, slug in Completion.objects.filter(plan=plan, **_in(done, "date")).values_list("date", "exercise_id"):
            found["done"].setdefault(day, set()).add(slug)
    if library:
        exercises = Exercise.objects.all() if library is True else Exercise.objects.filter(slug__in=library)
        found["library"] = {e.slug: _fields(e) for e in exercises.order_by("order", "slug")}
    if targets:
        found["targets"] = {t.activity: _fields(t) for t in Target.objects.filter(plan=plan).order_by("activity")}
    return found


def sql_read(plan: Plan, **wanted) -> dict:
    read = rows.read(plan.pk, **wanted)
    return {
        "logs": {day: (*(getattr(row, c) for c in LOG_COLUMNS), row.activities) for day, row in read.logs.items()},
        "checks": {day: _fields(c) for day, c in read.checks.items()},
        "done": read.done,
        "library": {slug: _fields(e) for slug, e in read.library.items()},
        "targets": {activity: _fields(t) for activity, t in read.targets.items()},
    }


@pytest.mark.django_db
@PROPS
@given(history, st.lists(asked, min_size=1, max_size=4))
def test_the_pages_union_reads_what_the_orm_reads(facts, questions):
    with transaction.atomic():  # each example in its own savepoint, rolled back at the end
        plan = _store(make_user("rows"), facts)
        for wanted in questions:
            sql, orm = sql_read(plan, **wanted), orm_read(plan, **wanted)
            assert sql == orm
            assert list(sql["logs"]) == sorted(sql["logs"]) and list(sql["library"]) == list(orm["library"])
            assert list(sql["targets"]) == list(orm["targets"])
        transaction.set_rollback(True)


@pytest.mark.django_db
@PROPS
@given(history)
def test_the_plan_row_reads_what_the_orm_reads(facts):
    with transaction.atomic():
        user = make_user("plan-row")
        plan = _store(user, facts)
        row = rows.read_plan(user.pk)
        orm = Plan.objects.select_related("snapshot").get(pk=plan.pk)
        assert _fields(row.plan) == _fields(orm)
        snapshot = PlanSnapshot.objects.filter(plan=plan).first()
        assert (row.snapshot and _fields(row.snapshot)) == (snapshot and _fields(snapshot))
        goal = Target.objects.filter(plan=plan, activity=plan.activity).first()
        expected = goal and Goal(goal.minutes, goal.set_on, goal.km, tuple(plan.build_days))
        assert row.goal == expected
        transaction.set_rollback(True)


def test_no_plan_is_no_row(db):
    assert rows.read_plan(make_user("nobody").pk) is None


def test_decimals_and_json_come_back_typed(db):
    plan = _store(
        make_user("typed"),
        {
            "logs": {
                0: {
                    "pain_worst": 1,
                    "new_symptoms": ["locked_knee"],
                    "activities": [("running", 30, Decimal("5.2"), 4)],
                }
            },
            "checks": {},
            "ticks": {},
            "targets": {"running": (240, Decimal("42.5"))},
            "activity": "running",
            "snapshot": False,
        },
    )
    read = rows.read(plan.pk, logs=rows.ALL, targets=True)
    (saved,) = read.logs.values()
    assert saved.new_symptoms == ["locked_knee"] and saved.activities[0].distance_km == Decimal("5.2")
    assert read.targets["running"].km == Decimal("42.5")
