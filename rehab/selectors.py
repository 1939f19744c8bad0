"""Reads for the plan pages: a fixed number of queries, whatever the length of the history.

`plan_page` reads the plan joined with its stored state (`rehab.snapshots`: one query, no replay
when the snapshot is valid for today), then only the rows the page shows: by default every log
and check (exports, reports: 2 queries), or none (`history=False`), after which the page loads
its window with `load_logs` / `load_checks` / `load_done` (1 query each), or the exercise library
with one week's ticks (`week_of`, 1 query, a single LEFT JOIN).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import F, FilteredRelation, Q
from django.utils import timezone

from . import snapshots
from .buildback import Activity
from .buildback import Target as Goal
from .models import LOG_COLUMNS, Check, Completion, DailyLog, Exercise, Plan, Target, log_entry
from .progression import PLAN_DAYS, Day, LogEntry, PlanState

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
        return log_entry(self, activities=self.activities)


@dataclass
class PlanPage:
    """One plan page's data: the plan, its state for today, and the rows the page asked for
    (`logs`, `checks`, `done` hold only those dates)."""

    plan: Plan
    state: PlanState
    logs: dict[date, LogRow] = field(default_factory=dict)
    checks: dict[date, Check] = field(default_factory=dict)
    #: date -> slugs ticked done that day (only the dates that were asked for)
    done: dict[date, set[str]] = field(default_factory=dict)
    #: slug -> Exercise, when the page asked for the library
    library: dict[str, Exercise] = field(default_factory=dict)
    #: The build-back goal for the plan's activity (load.md §2), or None.
    target: Goal | None = None

    def done_on(self, day: date) -> set[str]:
        return self.done.get(day, set())

    def load_logs(self, first: date | None = None, last: date | None = None) -> None:
        """The logs from `first` to `last` (every log without bounds) with their activity
        entries, 1 query (a LEFT JOIN: one row per entry, or one with NULLs without entries)."""
        self.logs = _log_rows(DailyLog.objects.filter(plan=self.plan, **_between(first, last)))

    def load_checks(self, first: date | None = None, last: date | None = None) -> None:
        """The checks from `first` to `last` (every check without bounds), 1 query."""
        rows = Check.objects.filter(plan=self.plan, **_between(first, last)).order_by("date")
        self.checks = {check.date: check for check in rows}

    def load_done(self, first: date | None = None, last: date | None = None) -> None:
        """The ticks from `first` to `last` (every tick without bounds), 1 query."""
        done: dict[date, set[str]] = defaultdict(set)
        rows = Completion.objects.filter(plan=self.plan, **_between(first, last)).values_list("date", "exercise_id")
        for day, slug in rows:
            done[day].add(slug)
        self.done = dict(done)

    def load_week(self, day: date) -> None:
        """Load the exercise library and the ticks of the plan week containing `day` (1 query)."""
        self.library, self.done = library_with_week(self.plan, day)

    def mark(self, day: date, slug: str, *, done: bool) -> None:
        """Reflect a tick or untick just saved, without reading the week again."""
        if done:
            self.done.setdefault(day, set()).add(slug)
        else:
            self.done.get(day, set()).discard(slug)


def _between(first: date | None, last: date | None) -> dict:
    bounds = {}
    if first is not None:
        bounds["date__gte"] = first
    if last is not None:
        bounds["date__lte"] = last
    return bounds


def user_today() -> date:
    """Today in the person's own time zone (activated per request by the middleware)."""
    return timezone.localdate()


def plan_page(
    user,
    *,
    today: date | None = None,
    week_of: date | None = None,
    all_done: bool = False,
    history: bool = True,
    log_of: date | None = None,
) -> PlanPage | None:
    """The plan with its derived state for `today` (the person's today by default); None without
    a plan. One query for the plan and its snapshot; a replay only when the snapshot is missing or
    stale (`snapshots.state_for`).

    `history`: also load every log and check (2 queries); pages that show a window pass False and
    load theirs. `week_of`: also load the exercise library and the ticks of the plan week
    containing that date. `all_done`: also load every tick of the plan (export, report).
    `log_of`: the log of that one date, with its activity entries (1 query).
    """
    # The goal row of the plan's own activity is joined in (unique per plan and activity), so the
    # page's target costs no query; the other activities' rows are read by `plan_targets`.
    goal = FilteredRelation("targets", condition=Q(targets__activity=F("activity")))
    plans = (
        Plan.objects.filter(user=user)
        .select_related("snapshot")
        .annotate(goal=goal)
        .annotate(goal_minutes=F("goal__minutes"), goal_km=F("goal__km"), goal_set_on=F("goal__set_on"))
    )
    plan = plans.first()
    if plan is None:
        return None
    today = today or user_today()
    page = PlanPage(plan=plan, state=snapshots.state_for(plan, today), target=plan_goal(plan))
    if log_of is not None:
        page.load_logs(log_of, log_of)  # with its activity entries (1 query)
    if history:
        page.load_logs()
        page.load_checks()
    if week_of is not None:
        page.load_week(week_of)
    elif all_done:
        page.load_done()
    return page


def _log_rows(logs) -> dict[date, LogRow]:
    """Logs with their activity entries, in one query: a LEFT JOIN gives one row per entry (or
    one row with NULLs for a log without entries), ordered by date and position."""
    rows = logs.order_by("date", "activities__position").values_list(*LOG_COLUMNS, *ACTIVITY_COLUMNS)
    width = len(LOG_COLUMNS)
    found: dict[date, LogRow] = {}
    entries: dict[date, list[Activity]] = defaultdict(list)
    for row in rows:
        day = row[0]
        if day not in found:
            found[day] = LogRow(*row[:width])
        kind, minutes, km, rpe = row[width:]
        if kind is not None:
            entries[day].append(Activity(kind=kind, duration_min=minutes, distance_km=km, rpe=rpe))
    for day, activities in entries.items():
        found[day].activities = tuple(activities)
    return found


def plan_goal(plan: Plan) -> Goal | None:
    """The engine's target from the goal row joined into `plan_page`'s plan query (None without one)."""
    minutes = getattr(plan, "goal_minutes", None)
    if minutes is None:
        return None
    return Goal(minutes=minutes, set_on=plan.goal_set_on, km=plan.goal_km, build_days=tuple(plan.build_days))


def plan_targets(plan: Plan) -> dict[str, Target]:
    """Every target row of the plan (1 query), by activity, in the activities' order."""
    return {target.activity: target for target in Target.objects.filter(plan=plan).order_by("activity")}


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


def day_of(state: PlanState, day: date) -> Day | None:
    """The state's record of `day` (None outside the plan's days so far), by index: pages look
    up a day without walking the whole history."""
    if not state.days:
        return None
    index = (day - state.days[0].date).days
    return state.days[index] if 0 <= index < len(state.days) else None


class LoggedDates:
    """`day in LoggedDates(state)`: whether that date has a daily log, read from the state's days
    (no query)."""

    def __init__(self, state: PlanState) -> None:
        self.state = state

    def __contains__(self, day: date) -> bool:
        info = day_of(self.state, day)
        return info is not None and info.logged


def days_between(state: PlanState, first: date, last: date) -> tuple[Day, ...]:
    """The state's days from `first` to `last` (a slice, whatever the history's length)."""
    if not state.days:
        return ()
    origin = state.days[0].date
    return state.days[max(0, (first - origin).days) : max(0, (last - origin).days + 1)]


def adherence_by_week(page: PlanPage, first: date | None = None, last: date | None = None) -> list[WeekAdherence]:
    """Done / due per plan week; only exercises that were due count. With `first`/`last`, only
    the (whole) weeks that touch those dates."""
    weeks: dict[int, list[int]] = {}
    bounds: dict[int, tuple[date, date]] = {}
    days = page.state.days
    if first is not None and last is not None:
        start = page.plan.start_date
        days = days_between(page.state, week_bounds(start, first)[0], week_bounds(start, last)[1])
    for day in days:
        first, last, number = week_bounds(page.plan.start_date, day.date)
        bounds[number] = (first, last)
        counts = weeks.setdefault(number, [0, 0])
        due = set(day.exercises_due)
        counts[0] += len(due & page.done_on(day.date))
        counts[1] += len(due)
    return [WeekAdherence(n, *bounds[n], done=c[0], due=c[1]) for n, c in sorted(weeks.items())]


def timeline_length(state: PlanState) -> int:
    return max(PLAN_DAYS, state.day)
