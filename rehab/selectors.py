"""Reads for the plan pages: a fixed number of queries, whatever the length of the history.

`plan_page` reads the plan joined with its stored state (`rehab.snapshots`: one query, no replay
when the snapshot is valid for today) and its goal, then the rows the page
shows in one more query (`rehab.rows`: a UNION ALL of the logs, checks, ticks and library rows
asked for). A page that needs other rows later asks with `PlanPage.load` (1 query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from . import rows, snapshots
from .buildback import Target as Goal
from .models import Check, Exercise, Plan, Target
from .progression import PAUSED, REFERRED, PlanState
from .rows import LogRow
from .schedule import OPTIONAL


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
    #: activity -> every target row of the plan, when the page asked for them (`load`)
    targets: dict[str, Target] = field(default_factory=dict)
    #: Which of logs, checks, done, library and targets were read (`load`).
    loaded: set[str] = field(default_factory=set)

    def done_on(self, day: date) -> set[str]:
        return self.done.get(day, set())

    def load(
        self,
        *,
        logs: rows.Span | None = None,
        checks: rows.Span | None = None,
        done: rows.Span | None = None,
        library: bool = False,
        targets: bool = False,
    ) -> None:
        """The rows asked for, in one query: the logs (with their activity entries), checks and
        ticks between two dates (`rows.ALL` for every one), the exercise library, the targets."""
        found = rows.read(self.plan.pk, logs=logs, checks=checks, done=done, library=library, targets=targets)
        asked = {"logs": logs, "checks": checks, "done": done, "library": library or None, "targets": targets or None}
        self.loaded |= {name for name, value in asked.items() if value is not None}
        if logs is not None:
            self.logs = found.logs
        if checks is not None:
            self.checks = found.checks
        if done is not None:
            self.done = found.done
        if library:
            self.library = found.library
        if targets:
            self.targets = found.targets

    def load_week(self, day: date) -> None:
        """The ticks of the plan week containing `day` and the exercises due then (1 query)."""
        self.load(**week_rows(self, day))

    def mark(self, day: date, slug: str, *, done: bool) -> None:
        """Reflect a tick or untick just saved, without reading the week again."""
        if done:
            self.done.setdefault(day, set()).add(slug)
        else:
            self.done.get(day, set()).discard(slug)


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
    held_checks: bool = False,
    exercise: str | None = None,
    targets: bool = False,
) -> PlanPage | None:
    """The plan with its derived state for `today` (the person's today by default); None without
    a plan. One query for the plan, its snapshot and its goal; a
    replay only when the snapshot is missing or stale (`snapshots.state_for`); then one query for
    every row asked for:

    `history`: every log and check (pages that show a window pass False and load theirs).
    `week_of`: the ticks of the plan week containing that date and the library rows of the
    exercises due that day, the optional ones and `exercise`.
    `all_done`: every tick of the plan (export, report). `log_of`: the log of that one date, with
    its activity entries. `held_checks`: every check, when the plan is paused or referred (the
    page names the check that stopped it). `targets`: every target row of the plan.
    """
    # The goal row of the plan's own activity is joined in (unique per plan and activity), so the
    # page's target costs no query; every target row comes with the page's rows (`targets`), or
    # from `plan_targets` (the export).
    plan = rows.read_plan(user.pk)
    if plan is None:
        return None
    today = today or user_today()
    page = PlanPage(plan=plan, state=snapshots.state_for(plan, today), target=plan_goal(plan))
    wanted: dict = {}
    if log_of is not None:
        wanted["logs"] = (log_of, log_of)
    if history:
        wanted |= {"logs": rows.ALL, "checks": rows.ALL}
    elif held_checks and page.state.status in (PAUSED, REFERRED):
        wanted["checks"] = rows.ALL
    if week_of is not None:
        wanted |= week_rows(page, week_of, exercise)
    elif all_done:
        wanted["done"] = rows.ALL
    if targets:
        wanted["targets"] = True
    if wanted:
        page.load(**wanted)
    return page


def week_rows(page: PlanPage, day: date, exercise: str | None = None) -> dict:
    """What `PlanPage.load` needs for the exercise list of `day`: its plan week's ticks, and the
    library rows of the exercises due that day, the optional ones and `exercise`."""
    first, last, _number = page.state.week_bounds(day)
    info = page.state.day_of(day)
    slugs = {*(info.exercises_due if info else ()), *OPTIONAL, *([exercise] if exercise else [])}
    return {"done": (first, last), "library": tuple(sorted(slugs))}


def plan_goal(plan: Plan) -> Goal | None:
    """The engine's target from the goal row joined into `plan_page`'s plan query (None without one)."""
    minutes = getattr(plan, "goal_minutes", None)
    if minutes is None:
        return None
    return Goal(minutes=minutes, set_on=plan.goal_set_on, km=plan.goal_km, build_days=tuple(plan.build_days))


def plan_targets(plan: Plan) -> dict[str, Target]:
    """Every target row of the plan (1 query), by activity, in the activities' order."""
    return {target.activity: target for target in Target.objects.filter(plan=plan).order_by("activity")}
