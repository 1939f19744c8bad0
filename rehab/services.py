"""Writes for the plan: each one validated and a single statement where it can be, so that
concurrent saves are settled by the database's unique constraints, not by luck.

Every write of an engine input (plan start, log with its activity entries, deletion of a log,
check, activity, target and build days) runs in one transaction that first locks the plan row,
then writes, then refreshes the plan's snapshot (`rehab.snapshots.refresh`: one replay) before it
commits. It returns the saved row and the refreshed state together (`Saved`), so the view renders
them without reading or replaying again. `today` is the person's today (the active time zone's
date unless given)."""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Generic, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from . import snapshots
from .buildback import Activity
from .change import PSFS_MAX_ACTIVITIES
from .forms import DAY_MINUTES, MAX_ACTIVITIES
from .models import (
    LOG_COLUMNS,
    ActivityEntry,
    Check,
    Completion,
    DailyLog,
    Exercise,
    Plan,
    PsfsActivity,
    PsfsScore,
    Target,
    WriteKey,
    log_values,
)
from .progression import ACTIVE, BUILD, PlanState
from .rows import LogRow

LOG_FIELDS = tuple(column for column in LOG_COLUMNS if column != "date")
CHECK_FIELDS = ("new_symptoms", "daily_pain", "walk_30", "squat_pain", "hop_pain")

Row = TypeVar("Row")


@dataclass(frozen=True)
class Saved(Generic[Row]):
    """What a write of an engine input returns: the row it saved and the plan's state after it
    (the write's own replay)."""

    row: Row
    state: PlanState


@transaction.atomic
def plan_start(
    *,
    user,
    screening,
    start_date: date,
    activity: str,
    targets: Mapping[str, tuple[int, Decimal | None]] | None = None,
    build_days: Sequence[str] | None = None,
    today: date | None = None,
) -> Saved[Plan]:
    """Start a plan; with `targets` (the start page's optional usual week), its rows are dated
    the plan's start date (load.md §2)."""
    plan = Plan(user=user, screening=screening, start_date=start_date, activity=activity)
    if build_days:
        plan.build_days = list(build_days)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save()
    if targets:
        target_save(
            plan=plan, rows=targets, build_days=plan.build_days, today=start_date, set_on=start_date, refresh=False
        )
    return Saved(plan, snapshots.refresh(plan, today, locked=True))  # a new row: nobody else sees it yet


def log_save(
    *,
    plan: Plan,
    day: date,
    data: dict,
    activities: Sequence[Activity] | None = None,
    previous: Sequence[Activity] | None = None,
    today: date | None = None,
    entered_at: datetime | None = None,
) -> Saved[LogRow]:
    """Create or update the log of `day` in one INSERT … ON CONFLICT (plan, date) DO UPDATE.

    Two saves of the same day at the same moment both succeed and leave one row: the later one's.
    `activities` (load.md §1): the day's entries, which replace the saved ones in the same
    transaction; None leaves them as they are (a 2026.1 client). `previous`: the entries the page
    read, so that an unchanged set costs no writes (and, with `activities` None, what the saved
    row holds). The plan's row lock queues concurrent saves; the snapshot is the later one's too.
    `entered_at`: when the person entered it (now, unless it comes from the offline queue).
    """
    with transaction.atomic():
        snapshots.lock(plan)
        log = _log_upsert(plan=plan, day=day, data=data, entered_at=entered_at)
        if activities is not None and (previous is None or list(activities) != list(previous)):
            activities_replace(log=log, activities=activities, had_any=previous is None or bool(previous))
        state = snapshots.refresh(plan, today, locked=True)
    entries = tuple(activities if activities is not None else previous or ())
    return Saved(LogRow(*(getattr(log, column) for column in LOG_COLUMNS), activities=entries), state)


@transaction.atomic
def log_delete(*, plan: Plan, day: date, today: date | None = None) -> PlanState:
    """Delete the log of `day` (if any, with its activity entries); returns the state without it."""
    snapshots.lock(plan)
    DailyLog.objects.filter(plan=plan, date=day).delete()
    return snapshots.refresh(plan, today, locked=True)


def activities_replace(*, log: DailyLog, activities: Sequence[Activity], had_any: bool = True) -> None:
    """Replace the log's activity entries with `activities` (0–10, in order). An imported entry
    the person edits on the day's form becomes a typed-in one (a later import of the same file
    finds it as a typed-in entry of that kind on that day and leaves it alone)."""
    rows = [
        ActivityEntry(
            log=log, position=i, kind=a.kind, duration_min=a.duration_min, distance_km=a.distance_km, rpe=a.rpe
        )
        for i, a in enumerate(activities)
    ]
    for row in rows:
        row.full_clean(exclude=["log"], validate_unique=False, validate_constraints=False)
    if had_any:
        ActivityEntry.objects.filter(log=log).delete()
    if rows:
        ActivityEntry.objects.bulk_create(rows)


# --- Imported activities (GPX, TCX, FIT files, a Strava export) ---------------------------------

#: Two entries of one kind that start within this of each other are the same activity.
DUPLICATE_WINDOW = timedelta(minutes=2)


@dataclass(frozen=True)
class ImportRow:
    """One activity read from a file, ready to be written: `day` is its start's date in the
    person's time zone."""

    external_id: str
    source: str
    started_at: datetime
    day: date
    kind: str
    duration_min: int
    distance_km: Decimal | None = None
    source_file: str = ""
    source_device: str = ""


class Skip:
    """Why an imported row is not written (codes; the words are the import pages')."""

    ALREADY = "already"  # the same external id is already saved
    DUPLICATE = "duplicate"  # an imported entry of the kind starts within 2 minutes
    IN_UPLOAD = "in_upload"  # an earlier row of this upload starts within 2 minutes, same kind
    SAME_DAY = "same_day"  # a typed-in entry of the kind that day (no start time to compare)
    FUTURE = "future"  # after today
    NO_LOG = "no_log"  # a day inside the plan that has no log: the plan needs the knee's answers
    SESSION_NO = "session_no"  # that day's log says no session, and this is the plan's activity
    FULL = "full"  # the day already has 10 entries
    DAY_MINUTES = "day_minutes"  # the day's entries would pass 1440 minutes
    NEEDS_ANSWERS = "needs_answers"  # build-back: it would be a session without its pain answers


@dataclass
class ImportDecision:
    """For each row (by external id): None = written (on `day`'s log inside the plan, as history
    before it), or a `Skip` code. `in_plan`: the row's day is inside the plan (start to today)."""

    skips: dict[str, str | None] = field(default_factory=dict)
    in_plan: set[str] = field(default_factory=set)

    def written(self) -> list[str]:
        return [key for key, skip in self.skips.items() if skip is None]


@dataclass(frozen=True)
class ExistingEntries:
    """What the plan already holds that an import is compared with."""

    external_ids: frozenset[str]
    #: (kind, start) of every imported entry
    starts: tuple[tuple[str, datetime], ...]
    #: day -> kinds of its typed-in entries
    typed_kinds: Mapping[date, frozenset[str]]
    #: day -> (entries, minutes, session_done, pain_during) of the day's log, for the days asked about
    logs: Mapping[date, tuple[int, int, bool | None, int | None]]


def existing_entries(plan: Plan, days: Iterable[date] = ()) -> ExistingEntries:
    """The plan's entries an import is compared with (3 queries), and the logs of `days`."""
    imported = list(
        ActivityEntry.objects.filter(plan=plan).exclude(external_id="").values_list("external_id", "kind", "started_at")
    )
    typed: dict[date, set[str]] = {}
    for day, kind in ActivityEntry.objects.filter(log__plan=plan, source="").values_list("log__date", "kind"):
        typed.setdefault(day, set()).add(kind)
    logs: dict[date, tuple[int, int, bool | None, int | None]] = {}
    days = sorted(set(days))
    if days:
        for log in DailyLog.objects.filter(plan=plan, date__in=days).prefetch_related("activities"):
            entries = list(log.activities.all())
            logs[log.date] = (len(entries), sum(e.duration_min for e in entries), log.session_done, log.pain_during)
    return ExistingEntries(
        external_ids=frozenset(key for key, _kind, _start in imported),
        starts=tuple((kind, start) for _key, kind, start in imported),
        typed_kinds={day: frozenset(kinds) for day, kinds in typed.items()},
        logs=logs,
    )


def decide_import(
    rows: Sequence[ImportRow],
    existing: ExistingEntries,
    *,
    start_date: date,
    today: date,
    activity: str,
    build_days: Collection[date] = (),
    same_day_ok: Collection[str] = (),
) -> ImportDecision:
    """Which rows an import writes and why the others are skipped (pure; the preview shows it,
    `import_activities` applies it under the plan's lock). Rows are taken in the order given.

    Before the plan start a row is history (no log). Inside the plan it joins that day's log, so
    the engine counts it: a day without a log is skipped (the plan never invents pain answers), as
    is the plan's activity on a day whose log says there was no session (the daily form refuses
    that contradiction too), and a day that would pass 10 entries or 1440 minutes. On `build_days`
    (dates the plan is active in build-back) an entry of the plan's activity makes the day a
    session, so it is added only where the log already holds the session's pain answer: the plan
    never scores a session whose pain it wasn't told.
    `same_day_ok`: rows the person chose to import although a typed-in entry of the kind is
    there that day (it may be the same activity typed by hand)."""
    decision = ImportDecision()
    saved, seen = _Starts(existing.starts), _Starts()
    counts = {day: (n, minutes) for day, (n, minutes, _done, _pain) in existing.logs.items()}
    for row in rows:
        inside = start_date <= row.day <= today
        if inside:
            decision.in_plan.add(row.external_id)
        skip = None
        if row.external_id in existing.external_ids:
            skip = Skip.ALREADY
        elif saved.near(row):
            skip = Skip.DUPLICATE
        elif seen.near(row) or row.external_id in decision.skips:
            skip = Skip.IN_UPLOAD
        elif row.day > today:
            skip = Skip.FUTURE
        elif row.kind in existing.typed_kinds.get(row.day, ()) and row.external_id not in same_day_ok:
            skip = Skip.SAME_DAY
        elif inside:
            log = existing.logs.get(row.day)
            if log is None:
                skip = Skip.NO_LOG
            elif log[2] is False and row.kind == activity:
                skip = Skip.SESSION_NO
            elif row.day in build_days and row.kind == activity and log[3] is None:
                skip = Skip.NEEDS_ANSWERS
            elif counts[row.day][0] >= MAX_ACTIVITIES:
                skip = Skip.FULL
            elif counts[row.day][1] + row.duration_min > DAY_MINUTES:
                skip = Skip.DAY_MINUTES
            else:
                counts[row.day] = (counts[row.day][0] + 1, counts[row.day][1] + row.duration_min)
        if skip not in (Skip.ALREADY, Skip.IN_UPLOAD):
            seen.add(row.kind, row.started_at)
        decision.skips.setdefault(row.external_id, skip)
    return decision


def build_days(state: PlanState) -> set[date]:
    """The dates on which the plan was active in build-back (from the plan's state)."""
    return {day.date for day in state.days if day.phase == BUILD and day.status == ACTIVE}


class _Starts:
    """Start times by kind, sorted: is there one within `DUPLICATE_WINDOW` of a row's start?"""

    def __init__(self, starts: Iterable[tuple[str, datetime]] = ()) -> None:
        self.by_kind: dict[str, list[datetime]] = {}
        for kind, start in starts:
            self.add(kind, start)

    def add(self, kind: str, start: datetime) -> None:
        bisect.insort(self.by_kind.setdefault(kind, []), start)

    def near(self, row: ImportRow) -> bool:
        starts = self.by_kind.get(row.kind, ())
        at = bisect.bisect_left(starts, row.started_at - DUPLICATE_WINDOW)
        return at < len(starts) and starts[at] <= row.started_at + DUPLICATE_WINDOW


@dataclass
class ImportResult:
    decision: ImportDecision
    state: PlanState | None


def import_activities(
    *,
    plan: Plan,
    rows: Sequence[ImportRow],
    today: date | None = None,
    same_day_ok: Collection[str] = (),
) -> ImportResult:
    """Write imported activities in one transaction (see `decide_import` for which).

    Like `log_save`: the plan row is locked first (two imports of one plan queue, so the
    comparison with what is saved holds), entries inside the plan join their day's log (after
    its entries), history before the start is written without a log, and the snapshot is
    refreshed when the engine's inputs changed. The unique (plan, external id) constraint makes
    a second import of the same activity impossible, whatever happens in between."""
    today = today or timezone.localdate()
    with transaction.atomic():
        snapshots.lock(plan)
        days = {row.day for row in rows if plan.start_date <= row.day <= today}
        existing = existing_entries(plan, days)
        decision = decide_import(
            rows,
            existing,
            start_date=plan.start_date,
            today=today,
            activity=plan.activity,
            build_days=build_days(snapshots.state_of(plan, today)),
            same_day_ok=same_day_ok,
        )
        logs = {log.pk: log for log in DailyLog.objects.filter(plan=plan, date__in=sorted(days))}
        next_position = {log.date: 0 for log in logs.values()}
        tops = (
            ActivityEntry.objects.filter(log__in=list(logs)).values_list("log_id").annotate(top=models.Max("position"))
        )
        for log_id, top in tops:
            next_position[logs[log_id].date] = top + 1
        by_day = {log.date: log for log in logs.values()}
        entries, written = [], set()
        for row in rows:
            if decision.skips.get(row.external_id, "") is not None or row.external_id in written:
                continue
            written.add(row.external_id)
            log = by_day.get(row.day) if row.external_id in decision.in_plan else None
            position = 0
            if log is not None:
                position = next_position[row.day]
                next_position[row.day] = position + 1
            entry = ActivityEntry(
                log=log,
                position=position,
                plan=plan,
                date=row.day,
                started_at=row.started_at,
                kind=row.kind,
                duration_min=row.duration_min,
                distance_km=row.distance_km,
                source=row.source,
                external_id=row.external_id,
                source_file=row.source_file[:200],
                source_device=row.source_device[:100],
            )
            entry.full_clean(exclude=["log", "plan"], validate_unique=False, validate_constraints=False)
            entries.append(entry)
        if entries:
            ActivityEntry.objects.bulk_create(entries, batch_size=500)
        changed = any(entry.log is not None for entry in entries)
        state = snapshots.refresh(plan, today, locked=True) if changed else None
    return ImportResult(decision=decision, state=state)


def _log_row(*, plan: Plan, day: date, data: dict, entered_at: datetime | None = None) -> DailyLog:
    """The log of `day` holding the form's answers (not saved)."""
    values = {name: data.get(name) for name in LOG_FIELDS}
    values["new_symptoms"] = list(values["new_symptoms"] or [])
    values["notes"] = values["notes"] or ""
    values["swelling"] = values["swelling"] or None  # unanswered stays unknown (plan.md 2026.2)
    now = timezone.now()
    return DailyLog(plan=plan, date=day, updated_at=now, entered_at=entered_at or now, **values)


def _log_upsert(*, plan: Plan, day: date, data: dict, entered_at: datetime | None = None) -> DailyLog:
    log = _log_row(plan=plan, day=day, data=data, entered_at=entered_at)
    log.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    (log,) = DailyLog.objects.bulk_create(
        [log],
        update_conflicts=True,
        unique_fields=["plan", "date"],
        update_fields=[*LOG_FIELDS, "updated_at", "entered_at"],
    )
    return log


# --- Writes sent from a phone's offline queue -----------------------------------------------------


@dataclass(frozen=True)
class OfflineWrite:
    """A write saved on a phone while offline and sent later: the key the phone made for it, the
    moment it was saved there (already on the server's clock), and the fields as posted (kept
    with a conflict, so that the person can still apply them)."""

    key: object  # uuid.UUID
    made_at: datetime
    fields: tuple[tuple[str, str], ...] = ()


def written(plan: Plan, key) -> WriteKey | None:
    """The answer already given to the write with this key, if it was sent before."""
    return WriteKey.objects.filter(plan=plan, key=key).first()


def _plain(values: Mapping[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def log_replay(
    *,
    plan: Plan,
    day: date,
    data: dict,
    write: OfflineWrite,
    activities: Sequence[Activity] | None = None,
    previous: Sequence[Activity] | None = None,
    today: date | None = None,
) -> WriteKey:
    """Apply a day's log sent from the offline queue at most once, and return what it is told.

    The key's row is inserted first, in the write's own transaction: a second sending of the same
    key (even at the same moment, from another tab) waits on the unique constraint and fails,
    the whole of its transaction with it, and is told what the first was told. Under the plan's
    lock, a log of that day entered after the phone saved this one (on another device) is kept:
    the answer is a conflict holding both entries, and nothing is written but the key.
    """
    try:
        with transaction.atomic():
            claim = WriteKey.objects.create(plan=plan, key=write.key, date=day, outcome=WriteKey.Outcome.APPLIED)
            snapshots.lock(plan)
            current = DailyLog.objects.filter(plan=plan, date=day).first()
            changed_at = current and (current.entered_at or current.updated_at)
            if changed_at and changed_at > write.made_at:
                claim.outcome = WriteKey.Outcome.CONFLICT
                claim.answer = {
                    "outcome": claim.outcome,
                    "day": day.isoformat(),
                    "changed_at": changed_at.isoformat(),
                    "server": _plain(log_values(current)),
                    "offline": _plain(log_values(_log_row(plan=plan, day=day, data=data))),
                    "fields": [list(pair) for pair in write.fields],
                }
            else:
                log_save(
                    plan=plan,
                    day=day,
                    data=data,
                    activities=activities,
                    previous=previous,
                    today=today,
                    entered_at=write.made_at,
                )
                claim.answer = {"outcome": claim.outcome, "day": day.isoformat()}
            claim.save(update_fields=["outcome", "answer"])
            return claim
    except IntegrityError:
        repeat = written(plan, write.key)
        if repeat is None:
            raise
        return repeat


#: How long the key of a write sent from the offline queue is kept (`manage.py purge`).
WRITE_KEY_DAYS = 30


def purge_write_keys(*, now: datetime) -> int:
    return WriteKey.objects.filter(created_at__lt=now - timedelta(days=WRITE_KEY_DAYS)).delete()[0]


def tick_replay(*, plan: Plan, day: date, exercise: Exercise, done: bool, write: OfflineWrite) -> WriteKey:
    """An exercise tick (or untick) sent from the offline queue, applied at most once (see
    `log_replay`). A tick sets a state ("done" or "not done"), so it never conflicts."""
    try:
        with transaction.atomic():
            claim = WriteKey.objects.create(
                plan=plan,
                key=write.key,
                date=day,
                outcome=WriteKey.Outcome.APPLIED,
                answer={"outcome": WriteKey.Outcome.APPLIED, "day": day.isoformat(), "done": done},
            )
            exercise_toggle(plan=plan, day=day, exercise=exercise, done=done)
            return claim
    except IntegrityError:
        repeat = written(plan, write.key)
        if repeat is None:
            raise
        return repeat


@transaction.atomic
def check_save(*, plan: Plan, data: dict, today: date | None = None) -> Saved[Check]:
    """Create or update the check of its date, in one statement (see `log_save`)."""
    snapshots.lock(plan)
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
    return Saved(check, snapshots.refresh(plan, today, locked=True))


def exercise_toggle(*, plan: Plan, day: date, exercise: Exercise, done: bool) -> bool:
    """Mark an exercise done (or not) on a date. Idempotent: a double tap does no harm. Ticks are
    not an input of the engine, so the snapshot stays as it is."""
    if done:
        Completion.objects.bulk_create([Completion(plan=plan, date=day, exercise=exercise)], ignore_conflicts=True)
    else:
        Completion.objects.filter(plan=plan, date=day, exercise=exercise).delete()
    return done


@transaction.atomic
def plan_set_activity(*, plan: Plan, activity: str, today: date | None = None) -> Saved[Plan]:
    snapshots.lock(plan)
    plan.activity = activity
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save(update_fields=["activity"])
    return Saved(plan, snapshots.refresh(plan, today, locked=True))


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    """Delete the plan with everything hanging on it (logs, checks, ticks, targets, its snapshot)."""
    plan.delete()


@transaction.atomic
def target_save(
    *,
    plan: Plan,
    rows: Mapping[str, tuple[int, Decimal | None]],
    build_days: Sequence[str],
    today: date,
    set_on: date | None = None,
    refresh: bool = True,
) -> None:
    """Save the usual week (load.md §2): one row per activity in `rows` ({activity: (minutes, km)}),
    the others removed, and the plan's build days.

    A new row is dated `set_on` (the plan's start date, from /rehab/start/) or else `today` (the
    person's own date); an edited row keeps its date. The goal and build days are engine inputs:
    the snapshot is refreshed for `today` (unless the caller, `plan_start`, does it itself).
    """
    if refresh:
        snapshots.lock(plan)
    plan.build_days = list(build_days)
    plan.full_clean(validate_unique=False, validate_constraints=False)
    plan.save(update_fields=["build_days"])
    Target.objects.filter(plan=plan).exclude(activity__in=list(rows)).delete()
    targets = [
        Target(plan=plan, activity=activity, minutes=minutes, km=km, set_on=set_on or today)
        for activity, (minutes, km) in rows.items()
    ]
    for target in targets:
        target.full_clean(exclude=["plan"], validate_unique=False, validate_constraints=False)
    if targets:
        Target.objects.bulk_create(
            targets, update_conflicts=True, unique_fields=["plan", "activity"], update_fields=["minutes", "km"]
        )
    if refresh:
        snapshots.refresh(plan, today, locked=True)


# --- The function score (PSFS, rehab/change.py): not an engine input, no snapshot to refresh ----


@transaction.atomic
def psfs_name(*, plan: Plan, names: Mapping[int, str], today: date) -> list[PsfsActivity]:
    """Save the activities as the person named them, `{position 1–3: name}` (blank: not rated).

    New words in a position that has an activity rename it (the same activity: its scores stay);
    a blank position retires its activity (dated `today`; its scores stay in the history); a
    name in an empty position adds one. Nothing else changes. Returns the activities now rated,
    in their order. Locked on the plan row: two saves at once can't both add to a position."""
    snapshots.lock(plan)
    current = {a.position: a for a in PsfsActivity.objects.filter(plan=plan, retired_on__isnull=True)}
    for position in range(1, PSFS_MAX_ACTIVITIES + 1):
        name = (names.get(position) or "").strip()
        activity = current.get(position)
        if activity is None and name:
            current[position] = PsfsActivity.objects.create(plan=plan, position=position, name=name)
        elif activity is not None and not name:
            activity.retired_on = today
            activity.save(update_fields=["retired_on", "updated_at"])
            del current[position]
        elif activity is not None and name != activity.name:
            activity.name = name
            activity.save(update_fields=["name", "updated_at"])
    return [current[position] for position in sorted(current)]


def psfs_rate(*, plan: Plan, day: date, scores: Mapping[int, int]) -> list[PsfsScore]:
    """Save `day`'s ratings, `{activity id: 0–10}` (the plan's own activities only: the caller
    passes the ids it read for this plan), in one INSERT … ON CONFLICT (activity, date) DO UPDATE."""
    rows = [
        PsfsScore(plan=plan, activity_id=activity, date=day, score=score, updated_at=timezone.now())
        for activity, score in scores.items()
    ]
    for row in rows:
        row.full_clean(exclude=["plan", "activity"], validate_unique=False, validate_constraints=False)
    return PsfsScore.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["activity", "date"], update_fields=["score", "updated_at"]
    )
