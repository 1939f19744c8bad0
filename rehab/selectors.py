"""Reads for the plan pages: a fixed number of queries, whatever the length of the history.

`plan_page` loads the plan, its logs (as plain rows) and checks (3 queries) and the screens that matter to it
(1); on request the exercise library with one week's ticks (1, a single LEFT JOIN) or every tick
(1). Then the engine runs in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import F, FilteredRelation, Prefetch, Q
from django.utils import timezone

from screening.models import Screening
from screening.rules import Outcome

from .models import LOG_COLUMNS, Check, Completion, DailyLog, Exercise, Plan, log_entry
from .progression import PLAN_DAYS, CheckEntry, LogEntry, PlanState, ScreenEntry, compute


@dataclass(slots=True)
class LogRow:
    """A daily log as the pages read it: the model's columns, without a model instance (a year of
    logs builds ~4× faster this way)."""

    date: date  # the fields in LOG_COLUMNS order: rows are built positionally
    pain_worst: int
    pain_morning: int | None
    rested: bool | None
    session_done: bool | None
    pain_during: int | None
    stopped_early: bool | None
    swelling: str | None
    nsaid: bool | None
    new_symptoms: list[str]
    cross_training_minutes: int | None
    notes: str

    def entry(self) -> LogEntry:
        return log_entry(self)


@dataclass
class PlanPage:
    plan: Plan
    state: PlanState
    logs: dict[date, LogRow]
    checks: dict[date, Check]
    screens: list[ScreenEntry]
    #: date -> slugs ticked done that day (only the dates that were asked for)
    done: dict[date, set[str]] = field(default_factory=dict)
    #: slug -> Exercise, when the page asked for the library
    library: dict[str, Exercise] = field(default_factory=dict)

    def done_on(self, day: date) -> set[str]:
        return self.done.get(day, set())

    def load_week(self, day: date) -> None:
        """Load the exercise library and the ticks of the plan week containing `day` (1 query)."""
        self.library, self.done = library_with_week(self.plan, day)

    def mark(self, day: date, slug: str, *, done: bool) -> None:
        """Reflect a tick or untick just saved, without reading the week again."""
        if done:
            self.done.setdefault(day, set()).add(slug)
        else:
            self.done.get(day, set()).discard(slug)

    def recompute(self, *, log: LogEntry | None = None, check: CheckEntry | None = None) -> PlanState:
        """The state after saving `log` or `check`, without reading the database again."""
        logs = {day: entry.entry() for day, entry in self.logs.items()}
        checks = {day: entry.entry() for day, entry in self.checks.items()}
        if log is not None:
            logs[log.date] = log
        if check is not None:
            checks[check.date] = check
        return compute(
            start_date=self.plan.start_date,
            logs=logs.values(),
            checks=checks.values(),
            screens=self.screens,
            today=self.state.today,
        )


def user_today() -> date:
    """Today in the person's own time zone (activated per request by the middleware)."""
    return timezone.localdate()


def plan_page(
    user, *, today: date | None = None, week_of: date | None = None, all_done: bool = False
) -> PlanPage | None:
    """The plan with its derived state; None without a plan.

    `week_of`: also load the exercise library and the ticks of the plan week containing that date.
    `all_done`: also load every tick of the plan (timeline, export).
    """
    plan = (
        Plan.objects.filter(user=user)
        .prefetch_related(Prefetch("checks", queryset=Check.objects.order_by("date")))
        .first()
    )
    if plan is None:
        return None
    today = today or user_today()
    rows = DailyLog.objects.filter(plan=plan).order_by("date").values_list(*LOG_COLUMNS)
    logs = {row[0]: LogRow(*row) for row in rows}
    checks = {check.date: check for check in plan.checks.all()}
    screens = _screens(user, plan)
    state = compute(
        start_date=plan.start_date,
        logs=[log.entry() for log in logs.values()],
        checks=[check.entry() for check in checks.values()],
        screens=screens,
        today=today,
    )
    page = PlanPage(plan=plan, state=state, logs=logs, checks=checks, screens=screens)
    if week_of is not None:
        page.load_week(week_of)
    elif all_done:
        done: dict[date, set[str]] = defaultdict(set)
        for day, slug in Completion.objects.filter(plan=plan).values_list("date", "exercise_id"):
            done[day].add(slug)
        page.done = dict(done)
    return page


def _screens(user, plan: Plan) -> list[ScreenEntry]:
    """Screens that can resume the plan (itbs_likely, since its start date) or pause it (any other
    outcome, taken after the plan was created); never the screen the plan was started from."""
    start = timezone.make_aware(datetime.combine(plan.start_date, time.min))
    rows = (
        Screening.objects.filter(user=user, taken_at__gte=start)
        .filter(Q(outcome=Outcome.ITBS_LIKELY) | Q(taken_at__gt=plan.created_at))
        .exclude(pk=plan.screening_id)
        .values_list("taken_at", "outcome")
    )
    return [ScreenEntry(date=timezone.localdate(taken_at), outcome=outcome) for taken_at, outcome in rows]


def library_with_week(plan: Plan, day: date) -> tuple[dict[str, Exercise], dict[date, set[str]]]:
    """The exercise library and the plan's ticks in the week of `day`, in one LEFT JOIN."""
    first, last, _number = week_bounds(plan.start_date, day)
    week = Q(completions__plan=plan, completions__date__gte=first, completions__date__lte=last)
    rows = Exercise.objects.annotate(week=FilteredRelation("completions", condition=week)).annotate(
        done_date=F("week__date")
    )
    library: dict[str, Exercise] = {}
    done: dict[date, set[str]] = defaultdict(set)
    for exercise in rows:
        library.setdefault(exercise.slug, exercise)
        if exercise.done_date is not None:
            done[exercise.done_date].add(exercise.slug)
    return library, dict(done)


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


def timeline_length(state: PlanState) -> int:
    return max(PLAN_DAYS, state.day)
