"""Reads for the plan pages: a fixed number of queries, whatever the length of the history.

`plan_page` loads the plan (with its build-back goal joined in), its logs (as plain rows, with their
activity entries in the same LEFT JOIN) and checks (3 queries) and the screens that matter to it
(1); on request the exercise library with one week's ticks (1, a single LEFT JOIN) or every tick
(1). Then the engine runs in memory.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import F, FilteredRelation, Prefetch, Q
from django.utils import timezone

from screening.models import Screening
from screening.rules import Outcome

from .buildback import Activity
from .buildback import Target as Goal
from .models import LOG_COLUMNS, Check, Completion, DailyLog, Exercise, Plan, Target, log_entry
from .progression import PLAN_DAYS, CheckEntry, LogEntry, PlanState, ScreenEntry, compute

#: The activity entry's columns, read in the logs' own query (a LEFT JOIN, in row order).
ACTIVITY_COLUMNS = ("activities__kind", "activities__duration_min", "activities__distance_km", "activities__rpe")


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
    #: The log's activity entries (load.md §1), in their saved order.
    activities: tuple[Activity, ...] = ()

    def entry(self) -> LogEntry:
        return replace(log_entry(self), activities=self.activities)


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
    #: The build-back goal for the plan's activity (load.md §2), or None.
    target: Goal | None = None

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
            target=self.target,
            activity=self.plan.activity,
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
    # The goal row of the plan's own activity is joined in (unique per plan and activity), so the
    # engine's target costs no query; the other activities' rows are read by `plan_targets`.
    goal = FilteredRelation("targets", condition=Q(targets__activity=F("activity")))
    plan = (
        Plan.objects.filter(user=user)
        .annotate(goal=goal)
        .annotate(goal_minutes=F("goal__minutes"), goal_km=F("goal__km"), goal_set_on=F("goal__set_on"))
        .prefetch_related(Prefetch("checks", queryset=Check.objects.order_by("date")))
        .first()
    )
    if plan is None:
        return None
    today = today or user_today()
    logs = _log_rows(plan)
    checks = {check.date: check for check in plan.checks.all()}
    screens = _screens(user, plan)
    target = plan_goal(plan)
    state = compute(
        start_date=plan.start_date,
        logs=[log.entry() for log in logs.values()],
        checks=[check.entry() for check in checks.values()],
        screens=screens,
        today=today,
        target=target,
        activity=plan.activity,
    )
    page = PlanPage(plan=plan, state=state, logs=logs, checks=checks, screens=screens, target=target)
    if week_of is not None:
        page.load_week(week_of)
    elif all_done:
        done: dict[date, set[str]] = defaultdict(set)
        for day, slug in Completion.objects.filter(plan=plan).values_list("date", "exercise_id"):
            done[day].add(slug)
        page.done = dict(done)
    return page


def _log_rows(plan: Plan) -> dict[date, LogRow]:
    """The plan's logs with their activity entries, in one query: a LEFT JOIN gives one row per
    entry (or one row with NULLs for a log without entries), ordered by date and position."""
    rows = (
        DailyLog.objects.filter(plan=plan)
        .order_by("date", "activities__position")
        .values_list(*LOG_COLUMNS, *ACTIVITY_COLUMNS)
    )
    width = len(LOG_COLUMNS)
    logs: dict[date, LogRow] = {}
    entries: dict[date, list[Activity]] = defaultdict(list)
    for row in rows:
        day = row[0]
        if day not in logs:
            logs[day] = LogRow(*row[:width])
        kind, minutes, km, rpe = row[width:]
        if kind is not None:
            entries[day].append(Activity(kind=kind, duration_min=minutes, distance_km=km, rpe=rpe))
    for day, found in entries.items():
        logs[day].activities = tuple(found)
    return logs


def plan_goal(plan: Plan) -> Goal | None:
    """The engine's target from the goal row joined into `plan_page`'s plan query (None without one)."""
    minutes = getattr(plan, "goal_minutes", None)
    if minutes is None:
        return None
    return Goal(minutes=minutes, set_on=plan.goal_set_on, km=plan.goal_km, build_days=tuple(plan.build_days))


def plan_targets(plan: Plan) -> dict[str, Target]:
    """Every target row of the plan (1 query), by activity, in the activities' order."""
    return {target.activity: target for target in Target.objects.filter(plan=plan).order_by("activity")}


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
