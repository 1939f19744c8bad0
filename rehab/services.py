"""Writes for the plan: each one validated and a single statement where it can be, so that
concurrent saves are settled by the database's unique constraints, not by luck."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from .models import LOG_COLUMNS, Check, Completion, DailyLog, Exercise, Plan

LOG_FIELDS = tuple(column for column in LOG_COLUMNS if column != "date")
CHECK_FIELDS = ("new_symptoms", "daily_pain", "walk_30", "squat_pain", "hop_pain")


@transaction.atomic
def plan_start(*, user, screening, start_date: date, activity: str) -> Plan:
    plan = Plan(user=user, screening=screening, start_date=start_date, activity=activity)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()
    return plan


def log_save(*, plan: Plan, day: date, data: dict) -> DailyLog:
    """Create or update the log of `day` in one INSERT … ON CONFLICT (plan, date) DO UPDATE.

    Two saves of the same day at the same moment both succeed and leave one row: the later one's.
    """
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


def check_save(*, plan: Plan, data: dict) -> Check:
    """Create or update the check of its date, in one statement (see `log_save`)."""
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
    return check


def exercise_toggle(*, plan: Plan, day: date, exercise: Exercise, done: bool) -> bool:
    """Mark an exercise done (or not) on a date. Idempotent: a double tap does no harm."""
    if done:
        Completion.objects.bulk_create([Completion(plan=plan, date=day, exercise=exercise)], ignore_conflicts=True)
    else:
        Completion.objects.filter(plan=plan, date=day, exercise=exercise).delete()
    return done


def plan_set_activity(*, plan: Plan, activity: str) -> Plan:
    plan.activity = activity
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save(update_fields=["activity"])
    return plan


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    plan.delete()
