"""Reads for the plan pages: a fixed number of queries, whatever the length of the history.

`plan_page` loads the plan with its logs and checks (3 queries), the screens taken since the plan
began (1) and, when asked, the exercise completions (1); then the engine runs in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from screening.models import Screening

from .models import Check, Completion, DailyLog, Exercise, Plan
from .progression import PLAN_DAYS, PlanState, ScreenEntry, compute


@dataclass
class PlanPage:
    plan: Plan
    state: PlanState
    logs: dict[date, DailyLog]
    checks: dict[date, Check]
    #: date -> slugs ticked done that day (only the dates that were asked for)
    done: dict[date, set[str]] = field(default_factory=dict)

    def done_on(self, day: date) -> set[str]:
        return self.done.get(day, set())


def user_today() -> date:
    """Today in the person's own time zone (activated per request by the middleware)."""
    return timezone.localdate()


def plan_page(user, *, today: date | None = None, completions: str | date = "none") -> PlanPage | None:
    """The plan with its derived state; None without a plan.

    `completions`: "none", "all", or a date: the completions of the plan week containing it.
    """
    plan = (
        Plan.objects.filter(user=user)
        .prefetch_related(
            Prefetch("logs", queryset=DailyLog.objects.order_by("date")),
            Prefetch("checks", queryset=Check.objects.order_by("date")),
        )
        .first()
    )
    if plan is None:
        return None
    today = today or user_today()
    logs = {log.date: log for log in plan.logs.all()}
    checks = {check.date: check for check in plan.checks.all()}
    screens = [
        ScreenEntry(date=timezone.localdate(taken_at), outcome=outcome)
        for taken_at, outcome in Screening.objects.filter(user=user, taken_at__gt=plan.created_at)
        .exclude(pk=plan.screening_id)
        .values_list("taken_at", "outcome")
    ]
    state = compute(
        start_date=plan.start_date,
        logs=[log.entry() for log in logs.values()],
        checks=[check.entry() for check in checks.values()],
        screens=screens,
        today=today,
    )
    done: dict[date, set[str]] = defaultdict(set)
    if completions != "none":
        rows = Completion.objects.filter(plan=plan)
        if isinstance(completions, date):
            first, last, _number = week_bounds(plan.start_date, completions)
            rows = rows.filter(date__gte=first, date__lte=last)
        for day, slug in rows.values_list("date", "exercise_id"):
            done[day].add(slug)
    return PlanPage(plan=plan, state=state, logs=logs, checks=checks, done=dict(done))


def week_bounds(start_date: date, day: date) -> tuple[date, date, int]:
    """The plan week (days 1–7, 8–14, …) that contains `day`: first date, last date, week number."""
    index = max(0, (day - start_date).days) // 7
    first = start_date + timedelta(days=7 * index)
    return first, first + timedelta(days=6), index + 1


@dataclass(frozen=True)
class WeekAdherence:
    number: int
    first: date
    last: date
    done: int
    due: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.due) if self.due else None


def adherence_by_week(page: PlanPage) -> list[WeekAdherence]:
    """Done / due per plan week; only exercises that were due count."""
    weeks: dict[int, list[int]] = {}
    bounds: dict[int, tuple[date, date]] = {}
    for day in page.state.days:
        first, last, number = week_bounds(page.plan.start_date, day.date)
        bounds[number] = (first, last)
        counts = weeks.setdefault(number, [0, 0])
        due = set(day.exercises_due)
        counts[0] += len(due & page.done_on(day.date))
        counts[1] += len(due)
    return [WeekAdherence(n, *bounds[n], done=c[0], due=c[1]) for n, c in sorted(weeks.items())]


def exercise_library() -> dict[str, Exercise]:
    return {exercise.slug: exercise for exercise in Exercise.objects.all()}


def timeline_length(state: PlanState) -> int:
    return max(PLAN_DAYS, state.day)
