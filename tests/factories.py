"""Small factories with sensible defaults; override only what a test cares about."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import User
from accounts.privacy import PRIVACY_VERSION
from rehab.models import ActivityEntry, Check, Completion, DailyLog, Plan, PlanSnapshot
from screening import rules
from screening.models import Screening

PASSWORD = "correct horse battery staple"

#: A complete answer set whose outcome is itbs_likely (every shown question answered).
ITBS_ANSWERS: dict[str, object] = {
    "age": 34,
    "activity": "running",
    **{q.id: "no" for q in rules.QUESTIONS if q.step in ("urgent", "warning") and q.under_age is None},
    "injury_onset": "no",
    "pain_outside": "yes",
    "repetitive_onset": "yes",
    **{q.id: "no" for q in rules.QUESTIONS if q.group == "against"},
    **{q.id: "no" for q in rules.QUESTIONS if q.group == "supporting"},
    "comes_on_at_distance": "yes",
    "worse_downhill": "yes",
    "recent_increase": "yes",
}
assert rules.triage(ITBS_ANSWERS).outcome == "itbs_likely"


def make_user(username: str = "alice", **fields) -> User:
    fields.setdefault("time_zone", "UTC")
    fields.setdefault("health_consent_version", PRIVACY_VERSION)
    fields.setdefault("health_consent_at", timezone.now())
    return User.objects.create_user(username=username, password=PASSWORD, **fields)


def stale(plan_or_user) -> None:
    """Facts written behind the services' back: drop the plan's stored state, as a deploy or
    `rebuild_snapshots` may (the next page replays and stores it again)."""
    if isinstance(plan_or_user, Plan):
        PlanSnapshot.objects.filter(plan=plan_or_user).delete()
    elif plan_or_user is not None:
        PlanSnapshot.objects.filter(plan__user=plan_or_user).delete()


def make_screening(user: User | None, answers: dict | None = None, taken_at: datetime | None = None) -> Screening:
    answers = dict(ITBS_ANSWERS if answers is None else answers)
    result = rules.triage(answers)
    stale(user)
    return Screening.objects.create(
        user=user,
        version=rules.VERSION,
        answers=answers,
        outcome=result.outcome,
        reasons=list(result.reasons),
        taken_at=taken_at or timezone.now(),
    )


def make_plan(user: User, start_date: date | None = None, activity: str = "running", **fields) -> Plan:
    screening = fields.pop("screening", None) or make_screening(user, taken_at=timezone.now() - timedelta(days=90))
    plan = Plan.objects.create(
        user=user, screening=screening, start_date=start_date or timezone.localdate(), activity=activity, **fields
    )
    # Back-date creation so screens taken "since the plan began" in a test are really later.
    Plan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - timedelta(days=89))
    plan.refresh_from_db()
    return plan


def make_log(plan: Plan, day: date, **fields) -> DailyLog:
    fields.setdefault("pain_worst", 2)
    stale(plan)
    return DailyLog.objects.create(plan=plan, date=day, **fields)


def store_entries(plan: Plan, entries, *, rpe: int | None = None) -> None:
    """Write the engine's log entries (`progression.LogEntry`, e.g. from load.md's scenarios) as
    daily logs with their activity entries, behind the services' back (call `stale` after)."""
    for entry in entries:
        log = DailyLog.objects.create(
            plan=plan,
            date=entry.date,
            pain_worst=entry.pain_worst,
            pain_morning=entry.pain_morning,
            rested=entry.rested,
            session_done=entry.session_done,
            pain_during=entry.pain_during,
            stopped_early=entry.stopped_early,
            swelling=entry.swelling,
            nsaid=entry.nsaid,
        )
        for position, activity in enumerate(entry.activities):
            ActivityEntry.objects.create(
                log=log, position=position, kind=activity.kind, duration_min=activity.duration_min, rpe=rpe
            )


def make_check(plan: Plan, day: date, **fields) -> Check:
    values = {"daily_pain": 0, "walk_30": True, "squat_pain": 0, "hop_pain": 0, "new_symptoms": []}
    values.update(fields)
    stale(plan)
    return Check.objects.create(plan=plan, date=day, **values)


def make_completion(plan: Plan, day: date, slug: str) -> Completion:
    return Completion.objects.create(plan=plan, date=day, exercise_id=slug)


def make_history(plan: Plan, days: int, *, today: date | None = None) -> None:
    """`days` of logs and completions ending today, in bulk (query-count and benchmark tests)."""
    today = today or timezone.localdate()
    first = today - timedelta(days=days - 1)
    stale(plan)
    DailyLog.objects.bulk_create(
        DailyLog(plan=plan, date=first + timedelta(days=n), pain_worst=n % 4, rested=True) for n in range(days)
    )
    Completion.objects.bulk_create(
        Completion(plan=plan, date=first + timedelta(days=n), exercise_id=slug)
        for n in range(days)
        for slug in ("figure-4-stretch", "calf-stretch")
    )


def warm(plan: Plan) -> None:
    """Store the plan's state for its owner's today, as the first page of the day would: query
    counts then measure the pages everybody gets after that first one."""
    from rehab import snapshots

    snapshots.rebuild(Plan.objects.filter(pk=plan.pk).select_related("user"))
