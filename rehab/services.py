"""Writes for the plan: each one validated and a single statement where it can be, so that
concurrent saves are settled by the database's unique constraints, not by luck.

Every write of an engine input (plan start, log, check, activity, deletion of a log) runs in one
transaction that first locks the plan row, then writes, then refreshes the plan's snapshot
(`rehab.snapshots.refresh`: one replay) before it commits. The refreshed state is returned on the
saved object as `plan_state`, so the view renders it without replaying again. `today` is the
person's today (the active time zone's date unless given)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from . import snapshots
from .models import LOG_COLUMNS, Check, Completion, DailyLog, Exercise, Plan
from .progression import PlanState

LOG_FIELDS = tuple(column for column in LOG_COLUMNS if column != "date")
CHECK_FIELDS = ("new_symptoms", "daily_pain", "walk_30", "squat_pain", "hop_pain")


@transaction.atomic
def plan_start(*, user, screening, start_date: date, activity: str, today: date | None = None) -> Plan:
    plan = Plan(user=user, screening=screening, start_date=start_date, activity=activity)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()
    plan.plan_state = snapshots.refresh(plan, today, locked=True)
    return plan


@transaction.atomic
def log_save(*, plan: Plan, day: date, data: dict, today: date | None = None) -> DailyLog:
    """Create or update the log of `day` in one INSERT … ON CONFLICT (plan, date) DO UPDATE.

    Two saves of the same day at the same moment both succeed and leave one row: the later one's
    (the plan's row lock queues them; the snapshot is the later one's too).
    """
    snapshots.lock(plan)
    values = {name: data.get(name) for name in LOG_FIELDS}
    values["new_symptoms"] = list(values["new_symptoms"] or [])
    values["notes"] = values["notes"] or ""
    values["swelling"] = values["swelling"] or None  # unanswered stays unknown (plan.md 2026.2)
    log = DailyLog(plan=plan, date=day, updated_at=timezone.now(), **values)
    log.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    (log,) = DailyLog.objects.bulk_create(
        [log], update_conflicts=True, unique_fields=["plan", "date"], update_fields=[*LOG_FIELDS, "updated_at"]
    )
    log.plan_state = snapshots.refresh(plan, today, locked=True)
    return log


@transaction.atomic
def log_delete(*, plan: Plan, day: date, today: date | None = None) -> PlanState:
    """Delete the log of `day` (if any); returns the plan's state without it."""
    snapshots.lock(plan)
    DailyLog.objects.filter(plan=plan, date=day).delete()
    return snapshots.refresh(plan, today, locked=True)


@transaction.atomic
def check_save(*, plan: Plan, data: dict, today: date | None = None) -> Check:
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
    check.plan_state = snapshots.refresh(plan, today, locked=True)
    return check


def exercise_toggle(*, plan: Plan, day: date, exercise: Exercise, done: bool) -> bool:
    """Mark an exercise done (or not) on a date. Idempotent: a double tap does no harm. Ticks are
    not an input of the engine, so the snapshot stays as it is."""
    if done:
        Completion.objects.bulk_create([Completion(plan=plan, date=day, exercise=exercise)], ignore_conflicts=True)
    else:
        Completion.objects.filter(plan=plan, date=day, exercise=exercise).delete()
    return done


@transaction.atomic
def plan_set_activity(*, plan: Plan, activity: str, today: date | None = None) -> Plan:
    snapshots.lock(plan)
    plan.activity = activity
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save(update_fields=["activity"])
    plan.plan_state = snapshots.refresh(plan, today, locked=True)
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    """Delete the plan with everything hanging on it (logs, checks, ticks, its snapshot)."""
    plan.delete()
