"""Writes for the plan: each one atomic, validated, and safe under concurrent saves."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .models import Check, Completion, DailyLog, Exercise, Plan

LOG_FIELDS = (
    "pain_worst",
    "pain_morning",
    "rested",
    "cross_training_minutes",
    "session_done",
    "pain_during",
    "stopped_early",
    "swelling",
    "nsaid",
    "new_symptoms",
    "notes",
)


@transaction.atomic
def plan_start(*, user, screening, start_date: date, activity: str) -> Plan:
    plan = Plan(user=user, screening=screening, start_date=start_date, activity=activity)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()
    return plan


@transaction.atomic
def log_save(*, plan: Plan, day: date, data: dict) -> DailyLog:
    """Create or update the log of `day`. The unique constraint settles two concurrent saves:
    `update_or_create` locks the row, and on a racing insert falls back to updating it."""
    values = {field: data.get(field) for field in LOG_FIELDS}
    values["new_symptoms"] = list(values["new_symptoms"] or [])
    values["notes"] = values["notes"] or ""
    values["swelling"] = values["swelling"] or "none"
    values["nsaid"] = bool(values["nsaid"])
    DailyLog(plan=plan, date=day, **values).full_clean(
        exclude=["plan"], validate_unique=False, validate_constraints=False
    )
    log, _created = DailyLog.objects.update_or_create(plan=plan, date=day, defaults=values)
    return log


@transaction.atomic
def check_save(*, plan: Plan, data: dict) -> Check:
    values = {
        "new_symptoms": list(data.get("check_new_symptoms") or []),
        "daily_pain": data["check_daily_pain"],
        "walk_30": data["check_walk_30"],
        "squat_pain": data["check_squat_pain"],
        "hop_pain": data["check_hop_pain"],
    }
    Check(plan=plan, date=data["date"], **values).full_clean(
        exclude=["plan"], validate_unique=False, validate_constraints=False
    )
    check, _created = Check.objects.update_or_create(plan=plan, date=data["date"], defaults=values)
    return check


@transaction.atomic
def exercise_toggle(*, plan: Plan, day: date, exercise: Exercise, done: bool) -> bool:
    """Mark an exercise done (or not) on a date; idempotent, so a double tap does no harm."""
    if done:
        Completion.objects.get_or_create(plan=plan, date=day, exercise=exercise)
    else:
        Completion.objects.filter(plan=plan, date=day, exercise=exercise).delete()
    return done


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    plan.delete()
