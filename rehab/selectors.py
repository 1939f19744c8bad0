"""One named read per plan page: a fixed number of queries, whatever the length of the history.

Each read takes the plan row (`rows.read_plan`: the plan, its stored state and its goal, one
query), the state for today (`snapshots.state_for`: no replay when the stored state is valid),
then every row the page shows in one more query (`rows.read`: a UNION ALL of the branches it
names). A page is a value: after a write the view builds the next one from what the write
returned (`after_log_saved`, `PlanPage.ticked`), it never patches one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils import timezone

from . import outcomes, rows, snapshots
from .buildback import Target as Goal
from .models import Check, Exercise, Plan, Target
from .progression import PlanState
from .rows import ALL, LogRow, Psfs
from .schedule import OPTIONAL


@dataclass(frozen=True)
class PlanPage:
    """One plan page's data: the plan, its state for today, its goal, and the rows the page read
    (`logs`, `checks`, `done` hold only the dates it asked for)."""

    plan: Plan
    state: PlanState
    #: The build-back goal for the plan's activity (load.md §2), or None.
    goal: Goal | None = None
    logs: dict[date, LogRow] = field(default_factory=dict)
    checks: dict[date, Check] = field(default_factory=dict)
    #: date -> slugs ticked done that day
    done: dict[date, set[str]] = field(default_factory=dict)
    #: slug -> Exercise
    library: dict[str, Exercise] = field(default_factory=dict)
    #: activity -> every target row of the plan (the usual week), in the activities' order
    targets: dict[str, Target] = field(default_factory=dict)
    #: date -> worst pain of week 1 and the last 7 days (`outcomes.pain_spans`), when asked for
    pain: dict[date, int] = field(default_factory=dict)
    #: The function score's activities and ratings (`rows.Psfs`), when asked for
    psfs: Psfs = field(default_factory=Psfs)

    def outcome(self) -> outcomes.Outcome:
        """What the page's numbers mean, in words (a page that read `_outcome_rows`)."""
        return outcomes.outcome(self.state, self.pain, self.psfs)

    def done_on(self, day: date) -> set[str]:
        return self.done.get(day, set())

    def ticked(self, day: date, slug: str, *, done: bool) -> PlanPage:
        """The page after a tick (or untick) of `day` was saved."""
        slugs = self.done_on(day) | {slug} if done else self.done_on(day) - {slug}
        return replace(self, done={**self.done, day: slugs})


def user_today() -> date:
    """Today in the person's own time zone (activated per request by the middleware)."""
    return timezone.localdate()


def _read(user, today: date | None, wanted: Callable[[PlanState], dict] = lambda state: {}) -> PlanPage | None:
    """The plan page of `user` for `today` (theirs by default) with the rows `wanted(state)` names
    (`rows.read`'s arguments); None without a plan."""
    row = rows.read_plan(user.pk)
    if row is None:
        return None
    state = snapshots.state_for(row.plan, row.snapshot, today or user_today())
    return _with_rows(PlanPage(plan=row.plan, state=state, goal=row.goal), **wanted(state))


def _with_rows(page: PlanPage, **wanted) -> PlanPage:
    """`page` with the rows `wanted` names, read in one query (none when it names none)."""
    if not wanted:
        return page
    found = rows.read(page.plan.pk, **wanted)
    return replace(page, **{name: getattr(found, name) for name in wanted})


def _exercise_rows(state: PlanState, day: date, exercise: str | None = None) -> dict:
    """The exercise list of `day`: its plan week's ticks, and the library rows of the exercises
    due that day, the optional ones and `exercise`."""
    first, last, _number = state.week_bounds(day)
    info = state.day_of(day)
    slugs = {*(info.exercises_due if info else ()), *OPTIONAL, *([exercise] if exercise else [])}
    return {"done": (first, last), "library": tuple(sorted(slugs))}


def _outcome_rows(state: PlanState) -> dict:
    """What the progress words read: the worst pain of week 1 and the last 7 days, and the
    function score (a few rows, whatever the length of the history, in the page's one query)."""
    return {"pain": outcomes.pain_spans(state), "psfs": True}


def _held_checks(state: PlanState) -> dict:
    """A held plan's checks: the page names the one that held it."""
    return {"checks": ALL} if state.status.held else {}


# --- The named reads ------------------------------------------------------------------------------


def plan_page(user, today: date | None = None) -> PlanPage | None:
    """The plan and its state, no rows (the plan, check and settings pages; reminders)."""
    return _read(user, today)


def log_page(user, day: date, today: date | None = None) -> PlanPage | None:
    """A day's log page (and today's page): the day's log with its activity entries, the day's
    exercise list, and a held plan's checks."""
    return _read(user, today, lambda state: {"logs": (day, day), **_exercise_rows(state, day), **_held_checks(state)})


def today_page(user, day: date) -> PlanPage | None:
    """Today's page: the log page of `day`, today, with the progress words' rows."""
    return _read(
        user,
        day,
        lambda state: {
            "logs": (day, day),
            **_exercise_rows(state, day),
            **_held_checks(state),
            **_outcome_rows(state),
        },
    )


def outcome_page(user) -> PlanPage | None:
    """The plan page and the function score's pages: the plan, its state and the progress words'
    rows."""
    return _read(user, None, _outcome_rows)


def after_log_saved(page: PlanPage, day: date, row: LogRow, state: PlanState) -> PlanPage:
    """The log page of `day` after its log was saved: the saved row and the state the save
    returned. What that state shows and the page did not read (exercises now due, a newly held
    plan's checks) is read in one query; usually nothing is."""
    wanted = {}
    info = state.day_of(day)
    if any(slug not in page.library for slug in (info.exercises_due if info else ())):
        wanted |= _exercise_rows(state, day)
    if state.status.held and not page.state.status.held:
        wanted |= _held_checks(state)
    pain = {**page.pain, day: row.pain_worst}  # today's page (the one caller) read the last 7 days
    return _with_rows(replace(page, state=state, logs={**page.logs, day: row}, pain=pain), **wanted)


def exercise_page(user, day: date, slug: str, today: date | None = None) -> PlanPage | None:
    """An exercise's page, and a tick of `day`: that day's exercise list with `slug` in it."""
    return _read(user, today, lambda state: _exercise_rows(state, day, slug))


def timeline_page(page: PlanPage, first: date, last: date) -> PlanPage:
    """The timeline of `page`'s plan from `first` to `last`: the logs and checks of those dates,
    and the ticks of every plan week they touch (adherence counts whole weeks)."""
    weeks = (page.state.week_bounds(first)[0], page.state.week_bounds(last)[1])
    return _with_rows(page, logs=(first, last), checks=(first, last), done=weeks, **_outcome_rows(page.state))


def history_page(user) -> PlanPage | None:
    """Every log with its activity entries and every check (the timeline's whole history, the CSV,
    FHIR)."""
    return _read(user, None, lambda state: {"logs": ALL, "checks": ALL, **_outcome_rows(state)})


def build_page(user, day: date) -> PlanPage | None:
    """The build-back page: every target row, and `day`'s log (today's messages read it)."""
    return _read(user, day, lambda state: {"logs": (day, day), "targets": True})


def target_page(user) -> PlanPage | None:
    """The usual week's page: every target row."""
    return _read(user, None, lambda state: {"targets": True})


def export_data(user, today: date | None = None) -> PlanPage | None:
    """Everything the person entered about their plan (the export, the report): every log with
    its activity entries, check and tick."""
    return _read(user, today, lambda state: {"logs": ALL, "checks": ALL, "done": ALL, **_outcome_rows(state)})


def plan_targets(page: PlanPage) -> dict[str, Target]:
    """Every target row of the page's plan (1 query), by activity, in the activities' order."""
    return rows.read(page.plan.pk, targets=True).targets
