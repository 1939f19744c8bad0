"""The plan's derived state, stored: pages read one row instead of replaying the whole history.

Why a snapshot of the derived state (and not a checkpoint to resume from, nor a cache in memory):

- `progression.compute` stays the one pure function and the only definition of the plan. The
  snapshot is exactly its output for (inputs, today, time zone, engine version), so a snapshot can
  never disagree with the engine: either it is the replay's result or it is not used. A checkpoint
  ("the replay's internals on day n, resume from there") would make the engine resumable — a second
  entry point to keep equal to the first, and invalidated by every back-dated edit anyway.
- The state depends on the date even with no new input (a rest day passes, a check falls due), so
  a row is trusted only for the `for_date` it was computed for. The first page of a new day
  replays once and stores the result; every later page that day reads it.
- It lives in the database (PostgreSQL in production), next to the facts and written in the same
  transaction as them, so every worker and machine sees the same state and no write can commit
  without its snapshot. A process-local cache could not promise that.
- It is droppable: deleting rows changes nothing anyone sees, only the cost of the next page.
  `manage.py rebuild_snapshots` drops and rebuilds them all.

Writes (`refresh`, called by every service that changes an engine input, inside its transaction):
lock the plan row (`SELECT … FOR UPDATE`, so writers of one plan queue), replay once from the
facts, upsert the row with `generation + 1`, and return the state (the view renders it: no second
replay after a save).

Reads (`state_for`): a row whose engine version, date and time zone match is used as it is.
Otherwise the page replays and stores its result with `INSERT … ON CONFLICT DO UPDATE … WHERE
generation = <the generation it saw>`: if a write committed in between, the page's result (read
from older facts) is dropped, never stored over the writer's. Any row that does not load (a
bad signature, a changed class, a truncated value) is a miss.

The engine's inputs are read by one function, `load_inputs`; a new input of `compute` is added
there and nowhere else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import importlib
import pickle
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from screening.models import Screening
from screening.rules import Outcome

from .models import LOG_COLUMNS, Check, DailyLog, Plan, PlanSnapshot, Target, log_entry
from .progression import Activity, CheckEntry, Day, LogEntry, PlanState, ScreenEntry, compute
from .progression import Target as EngineTarget

#: The modules whose code decides the state: a change to any of them is a new engine.
ENGINE_MODULES = ("rehab.progression", "rehab.buildback", "rehab.schedule", "rehab.ladders", "screening.rules")


def _engine_version() -> str:
    digest = hashlib.sha256()
    for name in ENGINE_MODULES:
        digest.update(Path(importlib.import_module(name).__file__).read_bytes())
    return digest.hexdigest()[:32]


#: A hash of the engine's source, read once per process.
ENGINE = _engine_version()


# --- The engine's inputs: the one loader -------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """Everything `compute` reads about one plan, as plain values."""

    start_date: date
    activity: str
    logs: tuple[LogEntry, ...]
    checks: tuple[CheckEntry, ...]
    screens: tuple[ScreenEntry, ...]
    target: EngineTarget | None

    def compute(self, today: date) -> PlanState:
        return compute(
            start_date=self.start_date,
            logs=self.logs,
            checks=self.checks,
            screens=self.screens,
            today=today,
            target=self.target,
            activity=self.activity,
        )


#: A log's columns with its activity entries' (a LEFT JOIN: one row per entry, or one without).
_ACTIVITY_COLUMNS = ("activities__kind", "activities__duration_min", "activities__distance_km", "activities__rpe")


def load_inputs(plan: Plan) -> Inputs:
    """The plan's facts as the engine reads them, in 4 queries whatever the history: logs with
    their activity entries (one LEFT JOIN), checks, the screens that matter, the target."""
    logs: dict[date, dict] = {}
    entries: dict[date, list[Activity]] = {}
    rows = (
        DailyLog.objects.filter(plan=plan)
        .order_by("date", "activities__position")
        .values_list(*LOG_COLUMNS, *_ACTIVITY_COLUMNS)
    )
    width = len(LOG_COLUMNS)
    for row in rows:
        day = row[0]
        if day not in logs:
            logs[day] = dict(zip(LOG_COLUMNS, row[:width], strict=True))
            entries[day] = []
        kind, minutes, km, rpe = row[width:]
        if kind is not None:
            entries[day].append(Activity(kind=kind, duration_min=minutes, distance_km=_decimal(km), rpe=rpe))
    log_entries = tuple(_log_entry(values, tuple(entries[day])) for day, values in logs.items())
    checks = tuple(check.entry() for check in Check.objects.filter(plan=plan).order_by("date"))
    target = None
    row = Target.objects.filter(plan=plan, activity=plan.activity).values_list("minutes", "set_on", "km").first()
    if row is not None:
        minutes, set_on, km = row
        target = EngineTarget(minutes=minutes, set_on=set_on, km=_decimal(km), build_days=tuple(plan.build_days))
    return Inputs(
        start_date=plan.start_date,
        activity=plan.activity,
        logs=log_entries,
        checks=checks,
        screens=tuple(screens_of(plan)),
        target=target,
    )


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def _log_entry(values: dict, activities: tuple[Activity, ...]) -> LogEntry:
    return log_entry(SimpleNamespace(**values), activities=activities)


def screens_of(plan: Plan) -> list[ScreenEntry]:
    """Screens that can resume the plan (itbs_likely, since its start date) or pause it (any other
    outcome, taken after the plan was created); never the screen the plan was started from. Dated
    in the current time zone (the person's)."""
    start = timezone.make_aware(datetime.combine(plan.start_date, time.min))
    rows = (
        Screening.objects.filter(user_id=plan.user_id, taken_at__gte=start)
        .filter(Q(outcome=Outcome.ITBS_LIKELY) | Q(taken_at__gt=plan.created_at))
        .exclude(pk=plan.screening_id)
        .order_by("taken_at")
        .values_list("taken_at", "outcome")
    )
    return [ScreenEntry(date=timezone.localdate(taken_at), outcome=outcome) for taken_at, outcome in rows]


def replay(plan: Plan, today: date) -> PlanState:
    """The full replay from day 1 (what every snapshot must equal)."""
    return load_inputs(plan).compute(today)


# --- Reading and writing rows ------------------------------------------------------------------


def _sign(payload: bytes) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), payload, hashlib.sha256).digest()


#: A day's fields in order: a stored day is one plain tuple of them (the date as an ordinal).
_DAY_FIELDS = tuple(f.name for f in dataclasses.fields(Day))


class Days(Sequence):
    """A stored state's days: one plain tuple per day, a `Day` built only when a page reads it.

    Unpickling a year of `Day` objects cost ~1.3 ms a page; a year of plain tuples costs a tenth
    of that, and today's page reads about a week of days. Equal to the tuple of the same days.
    """

    __slots__ = ("_rows", "_built")

    def __init__(self, rows: tuple[tuple, ...]) -> None:
        self._rows = rows
        self._built: list[Day | None] = [None] * len(rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self._rows))))
        built = self._built[index]
        if built is None:
            row = self._rows[index]
            built = self._built[index] = Day(date.fromordinal(row[0]), *row[1:])
        return built

    def __iter__(self):
        return (self[i] for i in range(len(self._rows)))

    def __eq__(self, other) -> bool:
        if isinstance(other, (tuple, Days)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"Days({len(self)} days)"

    def __reduce__(self):
        return (tuple, (tuple(self),))


def dumps(state: PlanState) -> bytes:
    """The state as stored: an HMAC of the compressed pickle, then that (nothing unsigned is
    loaded). The days are pickled as plain tuples (`Days`)."""
    rows = tuple((day.date.toordinal(), *(getattr(day, name) for name in _DAY_FIELDS[1:])) for day in state.days)
    pickled = pickle.dumps((dataclasses.replace(state, days=()), rows), protocol=pickle.HIGHEST_PROTOCOL)
    # A year's state pickles to ~24 KB and compresses to ~2.6 KB: small enough for PostgreSQL to
    # keep in the row (migration 0008) instead of a TOAST table it would decompress on every read.
    payload = zlib.compress(pickled, 6)
    return _sign(payload) + payload


def loads(blob: bytes) -> PlanState | None:
    """The stored state, or None for anything that is not a state this code signed."""
    try:
        blob = bytes(blob)
        mac, payload = blob[:32], blob[32:]
        if len(mac) != 32 or not hmac.compare_digest(mac, _sign(payload)):
            return None
        shell, rows = pickle.loads(zlib.decompress(payload))  # noqa: S301 (signed above with the secret key)
        if not isinstance(shell, PlanState):
            return None
        return dataclasses.replace(shell, days=Days(rows))
    except Exception:  # noqa: BLE001 (any damage is a cache miss, never a 500)
        return None


def _zone() -> str:
    return timezone.get_current_timezone_name()


def cached(snapshot: PlanSnapshot | None, today: date) -> tuple[PlanState | None, int | None]:
    """The stored state when it is valid for `today` (else None), and the generation seen (None
    without a row)."""
    if snapshot is None:
        return None, None
    if snapshot.engine != ENGINE or snapshot.for_date != today or snapshot.time_zone != _zone():
        return None, snapshot.generation
    state = loads(snapshot.state)
    if state is None or state.today != today:
        return None, snapshot.generation
    return state, snapshot.generation


def state_for(plan: Plan, snapshot: PlanSnapshot | None, today: date) -> PlanState:
    """The read path: the stored state when valid, else one replay, stored unless a write raced it."""
    state, generation = cached(snapshot, today)
    if state is not None:
        return state
    state = replay(plan, today)
    try:
        with transaction.atomic():  # a savepoint when the caller is in a transaction
            _upsert(plan.pk, today, state, seen=generation)
    except IntegrityError:  # the plan was deleted meanwhile: nothing to store, the page is right
        pass
    return state


def state_of(plan: Plan, today: date) -> PlanState:
    """`state_for` a plan read without its snapshot row (1 more query): for code outside the plan
    pages, which read the row with the plan (`rows.read_plan`)."""
    return state_for(plan, PlanSnapshot.objects.filter(plan_id=plan.pk).first(), today)


def refresh(plan: Plan, today: date | None = None, *, locked: bool = False) -> PlanState:
    """The write path: call inside the transaction that changed an engine input, after the change.
    Locks the plan row unless the caller did (`lock`, before its change: writers of one plan
    queue there), replays once from the facts as this transaction sees them, stores, returns."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("refresh() belongs in the writer's transaction")
    today = today or timezone.localdate()
    if not locked:
        lock(plan)
    state = replay(plan, today)
    _upsert(plan.pk, today, state, seen=None, write=True)
    return state


def lock(plan: Plan) -> None:
    """Lock the plan row until the transaction ends (`SELECT … FOR UPDATE`; SQLite serialises
    writers by itself) and read its fields again, in case another writer changed them."""
    fresh = Plan.objects.select_for_update().filter(pk=plan.pk).values("start_date", "activity", "build_days").get()
    for name, value in fresh.items():
        setattr(plan, name, value)


def drop(plan_ids=None) -> int:
    """Delete snapshots (all, or of these plans): harmless, the next page rebuilds them."""
    rows = PlanSnapshot.objects.all() if plan_ids is None else PlanSnapshot.objects.filter(plan_id__in=plan_ids)
    return rows.delete()[0]


def _upsert(plan_id: int, today: date, state: PlanState, *, seen: int | None, write: bool = False) -> None:
    """INSERT … ON CONFLICT (plan) DO UPDATE, in one statement (SQLite and PostgreSQL).

    A writer (`write`) always wins and bumps the generation. A reader stores its replay only over
    the row it saw (same generation; none if it saw none, so an insert that meets a row does nothing).
    """
    table = connection.ops.quote_name(PlanSnapshot._meta.db_table)
    if write:
        condition = ""
        generation = f"{table}.generation + 1"
    else:
        condition = f" WHERE {table}.generation = %s" if seen is not None else " WHERE 1 = 0"
        generation = f"{table}.generation"
    sql = (
        f"INSERT INTO {table} (plan_id, for_date, engine, time_zone, generation, state, updated_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (plan_id) DO UPDATE SET for_date = EXCLUDED.for_date, engine = EXCLUDED.engine, "
        f"time_zone = EXCLUDED.time_zone, generation = {generation}, state = EXCLUDED.state, "
        f"updated_at = EXCLUDED.updated_at{condition}"
    )
    field = PlanSnapshot._meta.get_field
    params = [
        plan_id,
        field("for_date").get_db_prep_value(today, connection),
        ENGINE,
        _zone(),
        1 if write else 0,
        field("state").get_db_prep_value(dumps(state), connection),
        field("updated_at").get_db_prep_value(timezone.now(), connection),
    ]
    if not write and seen is not None:
        params.append(seen)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rebuild(plans=None, today_of=None) -> int:
    """Drop and rebuild the snapshots of `plans` (all by default), each under its plan's lock, in the
    owner's time zone. Safe to run on several machines at once: each plan is refreshed under its
    row lock, and a page racing a rebuild stores nothing over it."""
    queryset = Plan.objects.select_related("user").order_by("pk") if plans is None else plans
    count = 0
    for plan in queryset.iterator(chunk_size=200):
        with timezone.override(_zone_of(plan.user)), transaction.atomic():
            PlanSnapshot.objects.filter(plan_id=plan.pk).delete()
            refresh(plan, today_of(plan) if today_of else timezone.localdate())
        count += 1
    return count


def _zone_of(user):
    """The zone the middleware activates for `user` (the default zone when theirs is unknown)."""
    try:
        return ZoneInfo(user.time_zone) if getattr(user, "time_zone", "") else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def on_screens_changed(sender, user, **kwargs) -> None:
    """A screen was stored or attached (inside its transaction): refresh the person's plan, in
    their time zone (at log-in the request's zone is still the anonymous one)."""
    plan = Plan.objects.filter(user=user).first()
    if plan is not None:
        with timezone.override(_zone_of(user)):
            refresh(plan)
