"""The rows a plan page shows, read in one query (issue 13: session, user, the plan with its
stored state, and this: at most 4 a page).

A page asks for any of: the logs between two dates (with their activity entries), the checks
between two dates, the ticks between two dates, the exercise library, the plan's targets, the
worst pain of a few spans of dates (the progress words) and the function score (PSFS). `read`
writes one `UNION ALL` of the branches asked for over one wide row: each branch fills its own
columns and the others are typed NULLs (PostgreSQL resolves a UNION's column types pairwise, so a NULL must
say what it stands for). Each column is converted by Django's own converters for its field
(SQLite's dates and booleans, JSON, decimals), so a row reads as the ORM would read it. The
branches then go back to their own kind: `LogRow`s, `Check` and `Exercise` instances, ticks.

Written as SQL because building the ORM's union cost more than running it (about 1 ms a branch
on the bench machine, against 0.3 ms for the whole query); tables, columns and types all come
from the models.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.db import connection

from .buildback import Activity
from .buildback import Target as Goal
from .models import (
    LOG_COLUMNS,
    ActivityEntry,
    Check,
    Completion,
    DailyLog,
    Exercise,
    Plan,
    PlanSnapshot,
    PsfsActivity,
    PsfsScore,
    Target,
    log_entry,
)
from .progression import LogEntry

#: `(first, last)` for a span of dates; None for no bound on that side.
Span = tuple[date | None, date | None]
#: Every date.
ALL: Span = (None, None)

LOGS, CHECKS, DONE, LIBRARY, TARGETS, PAIN, PSFS = 1, 2, 3, 4, 5, 6, 7
_PSFS_ACTIVITY = ("id", "position", "name", "retired_on")
_ACTIVITY = ("kind", "duration_min", "distance_km", "rpe", "source", "source_file", "source_device", "position")


def _fields(model, names=None):
    if names is None:
        return tuple(model._meta.concrete_fields)
    return tuple(model._meta.get_field(name) for name in names)


#: Each branch's table alias and columns, in the wide row's order after the branch number.
_BRANCHES = {
    LOGS: (("l", _fields(DailyLog, LOG_COLUMNS)), ("a", _fields(ActivityEntry, _ACTIVITY))),
    CHECKS: (("c", _fields(Check)),),
    DONE: (("t", _fields(Completion, ("date", "exercise"))),),
    LIBRARY: (("e", _fields(Exercise)),),
    TARGETS: (("g", _fields(Target)),),
    PAIN: (("w", _fields(DailyLog, ("date", "pain_worst"))),),
    PSFS: (("fa", _fields(PsfsActivity, _PSFS_ACTIVITY)), ("fs", _fields(PsfsScore, ("date", "score")))),
}
_SLOTS = [(kind, alias, f) for kind, parts in _BRANCHES.items() for alias, fields in parts for f in fields]


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
    #: Where each of `activities` came from, in the same order: `(source, file, device)`, with
    #: `source` blank for an entry typed in (imports: "gpx", "tcx", "fit", "strava").
    sources: tuple[tuple[str, str, str], ...] = ()

    def entry(self) -> LogEntry:
        return log_entry(self, activities=self.activities)


@dataclass(frozen=True, slots=True)
class PsfsItem:
    """An activity of the function score as the pages read it."""

    id: int
    position: int
    name: str
    retired_on: date | None


@dataclass
class Psfs:
    """The person's function score: every activity (the rated ones and the retired ones, in
    their order) and every rating, `{date: {activity id: score}}` in date order."""

    activities: tuple[PsfsItem, ...] = ()
    scores: dict[date, dict[int, int]] = field(default_factory=dict)

    @property
    def rated(self) -> tuple[PsfsItem, ...]:
        """The activities still rated (not retired), in their positions' order."""
        return tuple(item for item in self.activities if item.retired_on is None)

    @property
    def last_date(self) -> date | None:
        return next(reversed(self.scores), None)


@dataclass
class Rows:
    logs: dict[date, LogRow] = field(default_factory=dict)
    checks: dict[date, Check] = field(default_factory=dict)
    done: dict[date, set[str]] = field(default_factory=dict)
    library: dict[str, Exercise] = field(default_factory=dict)
    #: activity -> the plan's target row (the usual week), in the activities' order
    targets: dict[str, Target] = field(default_factory=dict)
    #: date -> worst pain of the logs in the spans asked for (`read(pain=…)`)
    pain: dict[date, int] = field(default_factory=dict)
    psfs: Psfs = field(default_factory=Psfs)


@cache
def _select(kind: int, vendor: str) -> str:
    """One branch's SELECT list: its own columns, typed NULLs for everybody else's."""
    quote = connection.ops.quote_name
    columns = [str(kind)]
    for owner, alias, f in _SLOTS:
        if owner == kind:
            columns.append(f"{alias}.{quote(f.column)}")
        else:
            columns.append(f"CAST(NULL AS {f.cast_db_type(connection)})")
    return ", ".join(columns)


def _field_converters(alias: str, f) -> tuple:
    """`((converter, column), …)`: what Django's compiler applies to this field's column."""
    column = f.get_col(alias)
    return tuple(
        (converter, column) for converter in connection.ops.get_db_converters(column) + f.get_db_converters(connection)
    )


@cache
def _converters(vendor: str) -> dict[int, tuple]:
    """Per branch: `(position in the branch's values, ((converter, column), …))` for each of its
    columns that Django converts on this database (dates and booleans on SQLite, JSON, …)."""
    result: dict[int, list] = {kind: [] for kind in _BRANCHES}
    position = dict.fromkeys(_BRANCHES, 0)
    for owner, alias, f in _SLOTS:
        found = _field_converters(alias, f)
        if found:
            result[owner].append((position[owner], found))
        position[owner] += 1
    return {kind: tuple(found) for kind, found in result.items()}


def _between(column: str, span: Span, params: list) -> str:
    clauses = []
    if span[0] is not None:
        clauses.append(f"{column} >= %s")
        params.append(span[0])
    if span[1] is not None:
        clauses.append(f"{column} <= %s")
        params.append(span[1])
    return "".join(f" AND {clause}" for clause in clauses)


def read(
    plan_id: int,
    *,
    logs: Span | None = None,
    checks: Span | None = None,
    done: Span | None = None,
    library: bool | tuple[str, ...] = False,
    targets: bool = False,
    pain: tuple[Span, ...] | None = None,
    psfs: bool = False,
) -> Rows:
    """The rows asked for, in one query (none when nothing is asked for). `library`: True for
    every exercise, or the slugs of those wanted; `targets`: every target row of the plan;
    `pain`: the worst pain of the logs in any of these spans (a few weeks, not the history);
    `psfs`: every function-score activity with its ratings."""
    quote = connection.ops.quote_name
    vendor = connection.vendor
    parts: list[str] = []
    params: list = []
    if logs is not None:
        log_table, entry_table = quote(DailyLog._meta.db_table), quote(ActivityEntry._meta.db_table)
        entry_log = quote(ActivityEntry._meta.get_field("log").column)
        parts.append(
            f"SELECT {_select(LOGS, vendor)} FROM {log_table} l LEFT JOIN {entry_table} a ON a.{entry_log} = l.id"
            f" WHERE l.{quote('plan_id')} = %s"
        )
        params.append(plan_id)
        parts[-1] += _between(f"l.{quote('date')}", logs, params)
    if checks is not None:
        parts.append(
            f"SELECT {_select(CHECKS, vendor)} FROM {quote(Check._meta.db_table)} c WHERE c.{quote('plan_id')} = %s"
        )
        params.append(plan_id)
        parts[-1] += _between(f"c.{quote('date')}", checks, params)
    if done is not None:
        parts.append(
            f"SELECT {_select(DONE, vendor)} FROM {quote(Completion._meta.db_table)} t WHERE t.{quote('plan_id')} = %s"
        )
        params.append(plan_id)
        parts[-1] += _between(f"t.{quote('date')}", done, params)
    if library:
        parts.append(f"SELECT {_select(LIBRARY, vendor)} FROM {quote(Exercise._meta.db_table)} e")
        if library is not True:
            parts[-1] += f" WHERE e.{quote('slug')} IN ({', '.join(['%s'] * len(library))})"
            params.extend(library)
    if targets:
        parts.append(
            f"SELECT {_select(TARGETS, vendor)} FROM {quote(Target._meta.db_table)} g WHERE g.{quote('plan_id')} = %s"
        )
        params.append(plan_id)
    if pain:
        dates: list = []
        spans = " OR ".join("(1 = 1" + _between(f"w.{quote('date')}", span, dates) + ")" for span in pain)
        parts.append(
            f"SELECT {_select(PAIN, vendor)} FROM {quote(DailyLog._meta.db_table)} w"
            f" WHERE w.{quote('plan_id')} = %s AND ({spans})"
        )
        params.extend([plan_id, *dates])
    if psfs:
        activity_table, score_table = quote(PsfsActivity._meta.db_table), quote(PsfsScore._meta.db_table)
        parts.append(
            f"SELECT {_select(PSFS, vendor)} FROM {activity_table} fa"
            f" LEFT JOIN {score_table} fs ON fs.{quote('activity_id')} = fa.{quote('id')}"
            f" WHERE fa.{quote('plan_id')} = %s"
        )
        params.append(plan_id)
    rows = Rows()
    if not parts:
        return rows
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        fetched = cursor.fetchall()
    return _sort(fetched, _converters(vendor), rows)


def _sort(fetched, converters, rows: Rows) -> Rows:
    width = {kind: sum(len(fields) for _alias, fields in parts) for kind, parts in _BRANCHES.items()}
    offset, start = {}, 1  # after the branch number
    for kind in _BRANCHES:
        offset[kind] = start
        start += width[kind]
    log_width = len(LOG_COLUMNS)
    entries: dict[date, list[tuple]] = defaultdict(list)
    done: dict[date, set[str]] = defaultdict(set)
    check_names = [f.attname for f in _fields(Check)]
    exercise_names = [f.attname for f in _fields(Exercise)]
    target_names = [f.attname for f in _fields(Target)]
    found_checks, found_library, found_targets = [], [], []
    psfs_items: dict[int, PsfsItem] = {}
    psfs_scores: dict[date, dict[int, int]] = defaultdict(dict)
    for row in fetched:
        kind = row[0]
        values = list(row[offset[kind] : offset[kind] + width[kind]])
        for index, steps in converters[kind]:
            value = values[index]
            for converter, column in steps:
                value = converter(value, column, connection)
            values[index] = value
        if kind == LOGS:
            day = values[0]
            if day not in rows.logs:
                rows.logs[day] = LogRow(*values[:log_width])
            if values[log_width] is not None:  # an activity entry (kind is never NULL)
                entries[day].append(tuple(values[log_width:]))
        elif kind == CHECKS:
            found_checks.append(Check.from_db(connection.alias, check_names, values))
        elif kind == DONE:
            done[values[0]].add(values[1])
        elif kind == LIBRARY:
            found_library.append(Exercise.from_db(connection.alias, exercise_names, values))
        elif kind == PAIN:
            rows.pain[values[0]] = values[1]
        elif kind == PSFS:
            psfs_items[values[0]] = PsfsItem(*values[:4])
            if values[4] is not None:  # a rating (its date is never NULL)
                psfs_scores[values[4]][values[0]] = values[5]
        else:
            found_targets.append(Target.from_db(connection.alias, target_names, values))
    rows.logs = dict(sorted(rows.logs.items()))
    for day, found in entries.items():
        found.sort(key=lambda entry: entry[-1])  # by position
        rows.logs[day].activities = tuple(
            Activity(kind=kind, duration_min=minutes, distance_km=km, rpe=rpe) for kind, minutes, km, rpe, *_ in found
        )
        rows.logs[day].sources = tuple(tuple(entry[4:7]) for entry in found)
    rows.checks = {check.date: check for check in sorted(found_checks, key=lambda check: check.date)}
    rows.done = dict(done)
    rows.library = {
        exercise.slug: exercise
        for exercise in sorted(found_library, key=lambda exercise: (exercise.order, exercise.slug))
    }
    rows.targets = {target.activity: target for target in sorted(found_targets, key=lambda target: target.activity)}
    rows.pain = dict(sorted(rows.pain.items()))
    rows.psfs = Psfs(
        activities=tuple(sorted(psfs_items.values(), key=lambda item: (item.position, item.id))),
        scores={day: psfs_scores[day] for day in sorted(psfs_scores)},
    )
    return rows


# --- The plan, its stored state and its goal: one row -----------------------------------------

_PLAN_PARTS = (
    ("p", _fields(Plan)),
    ("s", _fields(PlanSnapshot)),
    ("g", _fields(Target, ("minutes", "km", "set_on"))),
)


@cache
def _plan_sql(vendor: str) -> tuple[str, tuple]:
    quote = connection.ops.quote_name
    table = {model: quote(model._meta.db_table) for model in (Plan, PlanSnapshot, Target)}
    columns = ", ".join(f"{alias}.{quote(f.column)}" for alias, fields in _PLAN_PARTS for f in fields)
    sql = (
        f"SELECT {columns} FROM {table[Plan]} p"
        f" LEFT JOIN {table[PlanSnapshot]} s ON s.{quote('plan_id')} = p.{quote('id')}"
        f" LEFT JOIN {table[Target]} g ON g.{quote('plan_id')} = p.{quote('id')}"
        f" AND g.{quote('activity')} = p.{quote('activity')}"
        f" WHERE p.{quote('user_id')} = %s"
    )
    converters = []
    for alias, fields in _PLAN_PARTS:
        converters.extend(_field_converters(alias, f) for f in fields)
    return sql, tuple(converters)


@dataclass(frozen=True)
class PlanRow:
    """The person's plan as every plan page reads it, in one query."""

    plan: Plan
    #: The stored state's row (`rehab.snapshots`), None without one.
    snapshot: PlanSnapshot | None
    #: The build-back goal of the plan's own activity (load.md §2), None without one.
    goal: Goal | None


def read_plan(user_id: int) -> PlanRow | None:
    """The person's plan with its snapshot row and its goal; None without a plan."""
    sql, converters = _plan_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for index, steps in enumerate(converters):
        for converter, column in steps:
            values[index] = converter(values[index], column, connection)
    plan_width, snapshot_width = len(_PLAN_PARTS[0][1]), len(_PLAN_PARTS[1][1])
    plan = Plan.from_db(connection.alias, [f.attname for f in _PLAN_PARTS[0][1]], values[:plan_width])
    snapshot_values = values[plan_width : plan_width + snapshot_width]
    snapshot = None
    if snapshot_values[0] is not None:  # the primary key: the plan's own id
        snapshot = PlanSnapshot.from_db(connection.alias, [f.attname for f in _PLAN_PARTS[1][1]], snapshot_values)
    minutes, km, set_on = values[plan_width + snapshot_width :]
    goal = None if minutes is None else Goal(minutes=minutes, set_on=set_on, km=km, build_days=tuple(plan.build_days))
    return PlanRow(plan=plan, snapshot=snapshot, goal=goal)
