"""Writes for the plan: each one validated and a single statement where it can be, so that
concurrent saves are settled by the database's unique constraints, not by luck.

Every write of an engine input (plan start, log with its activity entries, deletion of a log,
check, activity, target and build days) runs in one transaction that first locks the plan row,
then writes, then refreshes the plan's snapshot (`rehab.snapshots.refresh`: one replay) before it
commits. It returns the saved row and the refreshed state together (`Saved`), so the view renders
them without reading or replaying again. `today` is the person's today (the active time zone's
date unless given)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from django.db import transaction
from django.utils import timezone

from . import snapshots
from .buildback import Activity
from .models import LOG_COLUMNS, ActivityEntry, Check, Completion, DailyLog, Exercise, Plan, Target
from .progression import PlanState
from .rows import LogRow

LOG_FIELDS = tuple(column for column in LOG_COLUMNS if column != "date")
CHECK_FIELDS = ("new_symptoms", "daily_pain", "walk_30", "squat_pain", "hop_pain")

Row = TypeVar("Row")


@dataclass(frozen=True)
class Saved(Generic[Row]):
    """What a write of an engine input returns: the row it saved and the plan's state after it
    (the write's own replay)."""

    row: Row
    state: PlanState


@transaction.atomic
def plan_start(
    *,
    user,
    screening,
    start_date: date,
    activity: str,
    targets: Mapping[str, tuple[int, Decimal | None]] | None = None,
    build_days: Sequence[str] | None = None,
    today: date | None = None,
) -> Saved[Plan]:
    """Start a plan; with `targets` (the start page's optional usual week), its rows are dated
    the plan's start date (load.md §2)."""
    plan = Plan(user=user, screening=screening, start_date=start_date, activity=activity)
    if build_days:
        plan.build_days = list(build_days)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()
    if targets:
        target_save(
            plan=plan, rows=targets, build_days=plan.build_days, today=start_date, set_on=start_date, refresh=False
        )
    return Saved(plan, snapshots.refresh(plan, today, locked=True))  # a new row: nobody else sees it yet


def log_save(
    *,
    plan: Plan,
    day: date,
    data: dict,
    activities: Sequence[Activity] | None = None,
    previous: Sequence[Activity] | None = None,
    today: date | None = None,
) -> Saved[LogRow]:
    """Create or update the log of `day` in one INSERT … ON CONFLICT (plan, date) DO UPDATE.

    Two saves of the same day at the same moment both succeed and leave one row: the later one's.
    `activities` (load.md §1): the day's entries, which replace the saved ones in the same
    transaction; None leaves them as they are (a 2026.1 client). `previous`: the entries the page
    read, so that an unchanged set costs no writes (and, with `activities` None, what the saved
    row holds). The plan's row lock queues concurrent saves; the snapshot is the later one's too.
    """
    with transaction.atomic():
        snapshots.lock(plan)
        log = _log_upsert(plan=plan, day=day, data=data)
        if activities is not None and (previous is None or list(activities) != list(previous)):
            activities_replace(log=log, activities=activities, had_any=previous is None or bool(previous))
        state = snapshots.refresh(plan, today, locked=True)
    entries = tuple(activities if activities is not None else previous or ())
    return Saved(LogRow(*(getattr(log, column) for column in LOG_COLUMNS), activities=entries), state)


@transaction.atomic
def log_delete(*, plan: Plan, day: date, today: date | None = None) -> PlanState:
    """Delete the log of `day` (if any, with its activity entries); returns the state without it."""
    snapshots.lock(plan)
    DailyLog.objects.filter(plan=plan, date=day).delete()
    return snapshots.refresh(plan, today, locked=True)


def activities_replace(*, log: DailyLog, activities: Sequence[Activity], had_any: bool = True) -> None:
    """Replace the log's activity entries with `activities` (0–10, in order)."""
    rows = [
        ActivityEntry(
            log=log, position=i, kind=a.kind, duration_min=a.duration_min, distance_km=a.distance_km, rpe=a.rpe
        )
        for i, a in enumerate(activities)
    ]
    for row in rows:
        row.full_clean(exclude=["log"], validate_unique=False, validate_constraints=False)
    if had_any:
        ActivityEntry.objects.filter(log=log).delete()
    if rows:
        ActivityEntry.objects.bulk_create(rows)


def _log_upsert(*, plan: Plan, day: date, data: dict) -> DailyLog:
    values = {name: data.get(name) for name in LOG_FIELDS}
    values["new_symptoms"] = list(values["new_symptoms"] or [])
    values["notes"] = values["notes"] or ""
    values["swelling"] = values["swelling"] or None  # unanswered stays unknown (plan.md 2026.2)
    log = DailyLog(plan=plan, date=day, updated_at=timezone.now(), **values)
    log.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    (log,) = DailyLog.objects.bulk_create(
        [log], update_conflicts=True, unique_fields=["plan", "date"], update_fields=[*LOG_FIELDS, "updated_at"]
    )
    return log


@transaction.atomic
def check_save(*, plan: Plan, data: dict, today: date | None = None) -> Saved[Check]:
    """Create or update the check of its date, in one statement (see `log_save`)."""
    snapshots.lock(plan)
    check = Check(
        plan=plan,
        date=data["date"],
        new_symptoms=list(data.get("check_new_symptoms") or []),
        daily_pain=data["check_daily_pain"],
        walk_30=data["check_walk_30"],
        squat_pain=data["check_squat_pain"],
        hop_pain=data["check_hop_pain"],
    )
    check.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    (check,) = Check.objects.bulk_create(
        [check], update_conflicts=True, unique_fields=["plan", "date"], update_fields=list(CHECK_FIELDS)
    )
    return Saved(check, snapshots.refresh(plan, today, locked=True))


def exercise_toggle(*, plan: Plan, day: date, exercise: Exercise, done: bool) -> bool:
    """Mark an exercise done (or not) on a date. Idempotent: a double tap does no harm. Ticks are
    not an input of the engine, so the snapshot stays as it is."""
    if done:
        Completion.objects.bulk_create([Completion(plan=plan, date=day, exercise=exercise)], ignore_conflicts=True)
    else:
        Completion.objects.filter(plan=plan, date=day, exercise=exercise).delete()
    return done


@transaction.atomic
def plan_set_activity(*, plan: Plan, activity: str, today: date | None = None) -> Saved[Plan]:
    snapshots.lock(plan)
    plan.activity = activity
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save(update_fields=["activity"])
    return Saved(plan, snapshots.refresh(plan, today, locked=True))


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    """Delete the plan with everything hanging on it (logs, checks, ticks, targets, its snapshot)."""
    plan.delete()


@transaction.atomic
def target_save(
    *,
    plan: Plan,
    rows: Mapping[str, tuple[int, Decimal | None]],
    build_days: Sequence[str],
    today: date,
    set_on: date | None = None,
    refresh: bool = True,
) -> None:
    """Save the usual week (load.md §2): one row per activity in `rows` ({activity: (minutes, km)}),
    the others removed, and the plan's build days.

    A new row is dated `set_on` (the plan's start date, from /rehab/start/) or else `today` (the
    person's own date); an edited row keeps its date. The goal and build days are engine inputs:
    the snapshot is refreshed for `today` (unless the caller, `plan_start`, does it itself).
    """
    if refresh:
        snapshots.lock(plan)
    plan.build_days = list(build_days)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save(update_fields=["build_days"])
    Target.objects.filter(plan=plan).exclude(activity__in=list(rows)).delete()
    targets = [
        Target(plan=plan, activity=activity, minutes=minutes, km=km, set_on=set_on or today)
        for activity, (minutes, km) in rows.items()
    ]
    for target in targets:
        target.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    if targets:
        Target.objects.bulk_create(
            targets, update_conflicts=True, unique_fields=["plan", "activity"], update_fields=["minutes", "km"]
        )
    if refresh:
        snapshots.refresh(plan, today, locked=True)
