"""Build-back after level 8 (`load.md`, version 2026.2): the pure arithmetic of the `build` phase.

`rehab.progression.compute` replays the plan and hands it over to this module's `BuildBack` at the
level-8 pass: the weeks and the weekly targets (start volume, +10 % up, −20 % step-back, all
integer-exact), the load warnings L1 (weekly spike) and L2 (single-session spike), the week
decision and the records the engine returns (`Build`, `Week`). The export's form of them is in
`rehab.exports`.

Nothing here touches the database, the request or the clock; every number is an `int` or an
exact `Fraction` (load.md "Precise readings": r(a/b) = ⌊(2a + b)/(2b)⌋, half up).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .ladders import level_minutes
from .schedule import RETURN_STRENGTH, STRETCHES

#: Activity kinds of an entry (contract), and the ones that bend the knee (count for L1).
KINDS = ("running", "cycling", "hiking", "gym", "walking", "swimming", "pool_running", "other")
KNEE_KINDS = frozenset({"running", "cycling", "hiking", "gym", "other"})
#: Build-day codes, Monday first (`date.weekday()` order), and the default ticks.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_BUILD_DAYS = ("tue", "thu", "sat")

WEEK_LENGTH = 7
FIRST_WEEK_GAP = 2  # week 1 starts two days after the level-8 pass (return's day off)
STEP_BACK_GAP = 2  # after a step-back on D the next week starts D + 2; D + 1 is rest
START_SESSIONS = 3  # S = L8 × min(3, #build days)
MIN_TARGET = 10  # step(T) = max(10, r(0.8 T))
GROWTH = Fraction(11, 10)  # up: +10 %
STEP_BACK = Fraction(8, 10)  # step-back / down / absent: −20 %
DONE_SHARE = Fraction(9, 10)  # up only on ≥ 90 % of the target done
MISSED_SHARE = Fraction(1, 2)  # under half done: missed (or absent after a missed week)
RISING_MIN = 2  # rising needs a max pain_during ≥ 2 …
RISING_STEP = 1  # … and ≥ the previous max + 1
PAIN_FREE_MAX = 1  # a pain-free week: pain_worst and pain_during ≤ 1
GOAL_WEEKS_NEEDED = 2  # two pain-free weeks at the goal complete build-back
L1_WINDOWS = 3  # chronic windows W1..W3 of 7 days before the acute week
L1_BOUND = Fraction(13, 10)
L2_LOOKBACK = 30  # longest main-kind entry in [t − 30, t − 1]
L2_BOUND = Fraction(11, 10)
L3_WEEKS = 4  # 4 weeks in a row without up / at_goal

# Week outcomes (contract strings).
UP, HOLD, DOWN, MISSED, ABSENT, AT_GOAL, STEP_BACK_OUTCOME = (
    "up",
    "hold",
    "down",
    "missed",
    "absent",
    "at_goal",
    "step_back",
)
OUTCOMES = (UP, HOLD, DOWN, MISSED, ABSENT, AT_GOAL, STEP_BACK_OUTCOME)


# --- integer-exact arithmetic -------------------------------------------------------------------


def r(x: Fraction | int) -> int:
    """Round a non-negative rational half up: r(a/b) = ⌊(2a + b)/(2b)⌋."""
    x = Fraction(x)
    return (2 * x.numerator + x.denominator) // (2 * x.denominator)


def ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def floor(x: Fraction) -> int:
    return x.numerator // x.denominator


def step(target: int, goal: int) -> int:
    """The step-back target: max(10, r(0.8 T)), never above the goal."""
    return min(goal, max(MIN_TARGET, r(STEP_BACK * target)))


def grow(target: int, goal: int) -> int:
    """The `up` target: min(G, r(1.1 T))."""
    return min(goal, r(GROWTH * target))


def l8_minutes(activity: str) -> int | None:
    """Minutes of the activity's level-8 session (ladders.py); None for gym."""
    return level_minutes(activity, 8)


def start_minutes(goal: int, activity: str, build_days: Iterable[str]) -> int:
    """S = min(G, L8 × min(3, #build days)); gym: r(G/2) (level 8 is half volume). T₁ = S."""
    l8 = l8_minutes(activity)
    if l8 is None:
        return min(goal, r(Fraction(goal, 2)))
    return min(goal, l8 * min(START_SESSIONS, len(tuple(build_days))))


def ratio_2dp(x: Fraction | None) -> Decimal | None:
    """An exact ratio as exported: rounded half up to 2 decimal places."""
    if x is None:
        return None
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- inputs -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Activity:
    """One activity entry of a daily log (load.md §1)."""

    kind: str
    duration_min: int
    distance_km: Decimal | None = None
    rpe: int | None = None

    @property
    def load_au(self) -> int | None:
        """Foster's session load: duration × RPE (None without an RPE)."""
        return None if self.rpe is None else self.duration_min * self.rpe


@dataclass(frozen=True)
class Target:
    """The goal for the plan's activity ("where you once were", load.md §2).

    `minutes` is G (usual minutes per week before the pain); `km` is shown, never decides;
    `set_on` is the date the goal counts from; `build_days` are weekday codes "mon".."sun".
    """

    minutes: int
    set_on: date
    km: Decimal | None = None
    build_days: tuple[str, ...] = DEFAULT_BUILD_DAYS

    def __post_init__(self) -> None:
        unknown = set(self.build_days) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown build days: {sorted(unknown)}")
        if self.minutes < 1:
            raise ValueError("a goal needs at least one minute a week")

    def is_build_day(self, day: date) -> bool:
        return WEEKDAYS[day.weekday()] in self.build_days


# --- outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    """One build week (load.md §5 `weeks`). `end` is the early-end date for `step_back`; the
    current week has `outcome` None (so does a week cut short by a red flag, `interrupted`)."""

    build: int
    index: int
    start: date
    end: date
    target_minutes: int
    done_minutes: int
    knee_minutes: int
    load_au: int
    max_pain_during: int | None
    outcome: str | None
    interrupted: bool = False


@dataclass(frozen=True)
class Build:
    """Today's build-back state (load.md §5 `build`); only while the plan is active in `build`."""

    week_index: int
    week_start: date
    week_end: date
    week_target_minutes: int
    week_done_minutes: int
    week_left_minutes: int
    session_minutes: int | None
    longest_allowed_minutes: int | None
    load_ratio: Fraction | None
    goal_minutes: int
    goal_km: Decimal | None
    start_minutes: int
    goal_weeks: int
    goal_weeks_needed: int
    build_days: tuple[str, ...]
    number: int = 1


# --- the load index: minutes per date, read from the logs' entries ------------------------------


class LoadIndex:
    """Knee minutes and main-kind entries per date, for the L1 and L2 windows."""

    def __init__(self, logs: Mapping[date, object], activity: str) -> None:
        self.activity = activity
        self.knee: dict[date, int] = {}
        self.main: dict[date, tuple[int, ...]] = {}
        for day, log in logs.items():
            entries = getattr(log, "activities", ())
            self.knee[day] = sum(e.duration_min for e in entries if e.kind in KNEE_KINDS)
            self.main[day] = tuple(e.duration_min for e in entries if e.kind == activity)

    def knee_minutes(self, first: date, last: date) -> int:
        total, day = 0, first
        while day <= last:
            total += self.knee.get(day, 0)
            day += timedelta(days=1)
        return total

    def windows(self, t: date, s1: date) -> tuple[int, int, int]:
        """(acute, n, C): knee minutes in [t−6, t]; n windows Wᵢ = [t−7i−6, t−7i] starting ≥ S₁,
        with C knee minutes in all of them."""
        acute = self.knee_minutes(t - timedelta(days=6), t)
        n = chronic = 0
        for i in range(1, L1_WINDOWS + 1):
            first, last = t - timedelta(days=7 * i + 6), t - timedelta(days=7 * i)
            if first >= s1:
                n += 1
                chronic += self.knee_minutes(first, last)
        return acute, n, chronic

    def l1(self, t: date, s1: date) -> bool:
        acute, n, chronic = self.windows(t, s1)
        return n >= 1 and n * acute > L1_BOUND * chronic

    def load_ratio(self, t: date, s1: date) -> Fraction | None:
        acute, n, chronic = self.windows(t, s1)
        return None if n == 0 or chronic == 0 else Fraction(n * acute, chronic)

    def longest(self, t: date) -> int | None:
        """The longest main-kind entry in [t − 30, t − 1], or the L8 minutes (None for gym)."""
        best, day = None, t - timedelta(days=L2_LOOKBACK)
        while day < t:
            for minutes in self.main.get(day, ()):
                best = minutes if best is None else max(best, minutes)
            day += timedelta(days=1)
        return best if best is not None else l8_minutes(self.activity)

    def longest_allowed(self, t: date) -> int | None:
        longest = self.longest(t)
        return None if longest is None else floor(L2_BOUND * longest)

    def l2(self, t: date) -> bool:
        longest = self.longest(t)
        return longest is not None and any(m > L2_BOUND * longest for m in self.main.get(t, ()))


# --- the week in progress ------------------------------------------------------------------------


@dataclass
class WeekRun:
    """A build week while it is replayed (mutable); `freeze` gives the `Week` record."""

    build: int
    index: int
    start: date
    target: int
    #: pain_during of the last counted session before this week (level 8 for week 1), or None.
    pain_before: int | None
    end: date | None = None  # set on an early end (step-back) or a red-flag interruption
    done: int = 0
    knee: int = 0
    load_au: int = 0
    max_pain: int | None = None
    logged: bool = False
    pain_free: bool = True
    spiky: bool = False
    outcome: str | None = None
    interrupted: bool = False
    reasons: tuple[str, ...] = field(default=())

    @property
    def planned_end(self) -> date:
        return self.start + timedelta(days=WEEK_LENGTH - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= (self.end or self.planned_end)

    def add_log(self, log, activity: str) -> None:
        """Count a log dated in this week (before any early end)."""
        entries = getattr(log, "activities", ())
        self.logged = True
        self.done += sum(e.duration_min for e in entries if e.kind == activity)
        self.knee += sum(e.duration_min for e in entries if e.kind in KNEE_KINDS)
        self.load_au += sum(e.load_au for e in entries if e.load_au is not None)
        if log.pain_worst > PAIN_FREE_MAX:
            self.pain_free = False

    def add_session(self, pain_during: int | None) -> None:
        if pain_during is not None:
            self.max_pain = pain_during if self.max_pain is None else max(self.max_pain, pain_during)
        if pain_during is None or pain_during > PAIN_FREE_MAX:
            self.pain_free = False

    def freeze(self) -> Week:
        return Week(
            build=self.build,
            index=self.index,
            start=self.start,
            end=self.end or self.planned_end,
            target_minutes=self.target,
            done_minutes=self.done,
            knee_minutes=self.knee,
            load_au=self.load_au,
            max_pain_during=self.max_pain,
            outcome=self.outcome,
            interrupted=self.interrupted,
        )


def decide(week: WeekRun, previous: WeekRun | None, goal: int) -> tuple[str, int, tuple[str, ...]]:
    """The week decision at a normal end (load.md §3 table, first match wins).

    Returns (outcome, next target, reasons); reasons name why a week holds: "short", "spiky",
    "rising".
    """
    target, done = week.target, week.done
    reference = previous.max_pain if previous is not None and previous.max_pain is not None else week.pain_before
    rising = (
        week.max_pain is not None
        and reference is not None
        and week.max_pain >= RISING_MIN
        and week.max_pain >= reference + RISING_STEP
    )
    spiky = week.spiky
    if spiky and rising:
        return DOWN, step(target, goal), ("spiky", "rising")
    if done < MISSED_SHARE * target:
        if previous is not None and previous.outcome in (MISSED, ABSENT):
            return ABSENT, step(target, goal), ()
        return MISSED, min(goal, target), ()
    enough = done >= DONE_SHARE * target
    if enough and not spiky and not rising:
        if target >= goal:
            return AT_GOAL, goal, ()
        return UP, grow(target, goal), ()
    reasons = (("short",) if not enough else ()) + (("spiky",) if spiky else ()) + (("rising",) if rising else ())
    return HOLD, min(goal, target), reasons


def session_minutes(left: int, today: date, week_end: date, target: Target, allowed: int | None) -> int | None:
    """min(⌈left/m⌉, longest allowed), m = build days in [today, week end]."""
    m, day = 0, today
    while day <= week_end:
        m += target.is_build_day(day)
        day += timedelta(days=1)
    if m == 0 or left <= 0:
        return None
    suggested = ceil(Fraction(left, m))
    return suggested if allowed is None else min(suggested, allowed)


# --- The phase while a plan is replayed ----------------------------------------------------------


@dataclass
class BuildBack:
    """Build-back's running state while `progression` replays a plan: the phase the plan is handed
    over to at a level-8 pass with a goal (or when a goal is first saved after a 2026.1
    completion). `progression` keeps the statuses, the events and plan.md's rules (E2 to E4);
    here are the weeks, their targets and decisions, and the load warnings (load.md §3–5)."""

    target: Target | None
    activity: str
    load: LoadIndex
    entered: bool = False  # E5 never applies once a plan has been in build
    completed: bool = False  # completed by build-back: L1/L2 keep running as advice
    number: int = 0
    first_week_start: date | None = None  # S₁ of the current (or last) build
    week: WeekRun | None = None  # the current week, or the next one during a gap
    weeks: list[WeekRun] = field(default_factory=list)
    goal_weeks: int = 0
    stalled_weeks: int = 0  # weeks in a row ended without up / at_goal (L3)
    counted_days: set[date] = field(default_factory=set)
    l1_held: bool = False  # L1 on the previous evaluated log date (events mark a run's start)
    l2_days: list[date] = field(default_factory=list)

    def start(self, first_week: date, pain_before: int | None) -> WeekRun:
        """A new build whose week 1 starts on `first_week`; returns week 1."""
        assert self.target is not None
        self.entered = True
        self.number += 1
        self.first_week_start = first_week
        self.goal_weeks = self.stalled_weeks = 0
        self.l1_held = False
        first = start_minutes(self.target.minutes, self.activity, self.target.build_days)
        return self.new_week(first_week, first, pain_before)

    def new_week(self, start: date, target: int, pain_before: int | None) -> WeekRun:
        previous = self.week if self.week is not None and self.week.build == self.number else None
        week = WeekRun(
            build=self.number,
            index=previous.index + 1 if previous is not None else 1,
            start=start,
            target=min(self.target.minutes, target),
            pain_before=pain_before,
        )
        self.weeks.append(week)
        self.week = week
        return week

    def previous_week(self, week: WeekRun) -> WeekRun | None:
        at = self.weeks.index(week)
        before = self.weeks[at - 1] if at > 0 else None
        return before if before is not None and before.build == week.build else None

    def interrupt(self, day: date) -> None:
        """A red flag in build: the week in progress stops (kept, outcome None); a week that had
        not started yet is dropped."""
        week, self.week = self.week, None
        if week is None:
            return
        if week.start > day:
            self.weeks.remove(week)
        else:
            week.end, week.interrupted = day, True

    def end_week(self, day: date, pain_before: int | None) -> tuple[WeekRun, bool] | None:
        """The week decision at a normal end, at the start of start + 7: the week decided and
        whether build-back is complete (two pain-free weeks at the goal); None on any other day."""
        week = self.week
        if week is None or week.end is not None or day != week.planned_end + timedelta(days=1):
            return None
        outcome, following, reasons = decide(week, self.previous_week(week), self.target.minutes)
        week.outcome, week.reasons = outcome, reasons
        self.goal_weeks = self.goal_weeks + 1 if outcome == AT_GOAL and week.pain_free else 0
        self.stalled_weeks = 0 if outcome in (UP, AT_GOAL) else self.stalled_weeks + 1
        if self.goal_weeks >= GOAL_WEEKS_NEEDED:
            self.completed = True
            self.week = None
            return week, True
        self.new_week(day, following, pain_before)
        return week, False

    def load_warnings(self, day: date) -> tuple[bool, bool]:
        """(L1, L2) on a log dated `day` (t ≥ S₁); remembered for events, advice and `spiky`."""
        if self.first_week_start is None or day < self.first_week_start:
            return False, False
        l1 = self.load.l1(day, self.first_week_start)
        l2 = self.load.l2(day)
        if l2:
            self.l2_days.append(day)
        return l1, l2

    def warnings_to_fire(self, day: date, l1: bool, l2: bool) -> tuple[str, ...]:
        """The load events of a log: L1 where a run of it starts, L2 each time."""
        fired = (("L1",) if l1 and not self.l1_held else ()) + (("L2",) if l2 else ())
        if self.first_week_start is not None and day >= self.first_week_start:
            self.l1_held = l1
        return fired

    def take_log(self, day: date, log) -> tuple[WeekRun | None, bool, bool]:
        """A log in `build`: its load warnings, counted in the week it falls in (before any early
        end). Returns that week (None on a gap day), L1 and L2."""
        week = self.week
        in_week = week is not None and week.end is None and week.contains(day)
        l1, l2 = self.load_warnings(day)
        if in_week:
            week.add_log(log, self.activity)
            week.spiky = week.spiky or l1 or l2
        return (week if in_week else None), l1, l2

    def session_done(self, log) -> bool:
        """load.md §1: `session_done` is asked every day; absent, it is yes iff a main-kind entry."""
        if log.session_done is not None:
            return log.session_done
        return any(entry.kind == self.activity for entry in log.activities)

    def take_session(self, day: date, week: WeekRun, pain_during: int | None) -> None:
        self.counted_days.add(day)
        week.add_session(pain_during)

    def step_back(self, day: date, week: WeekRun | None, *, flare: bool) -> int | None:
        """A failed session or a flare on `day`: the week it fell in ends there (the next target,
        step(T), is returned); a flare on a gap day only moves the next start to D + 2."""
        if week is not None:
            week.end, week.outcome = day, STEP_BACK_OUTCOME
            self.goal_weeks = 0
            self.stalled_weeks += 1
            return step(week.target, self.target.minutes)
        if flare and self.week is not None and self.week.start > day:
            self.week.start = max(self.week.start, day + timedelta(days=STEP_BACK_GAP))
            if self.week.index == 1:
                self.first_week_start = self.week.start
        return None

    def leave(self, day: date) -> None:
        """Back to rest (E4): no next week."""
        if self.week is not None and self.week.start > day:
            self.weeks.remove(self.week)
        self.week = None

    def day(self, day: date) -> tuple[int, int | None, bool, bool]:
        """A replayed date of an active build: the build number, its week (None on a gap day),
        whether it is a gap day, whether a session is planned."""
        week = self.week
        gap = week is None or day < week.start
        return self.number, None if gap else week.index, gap, not gap and self.target.is_build_day(day)

    def exercises(self, active: bool, day: date) -> tuple[str, ...]:
        """load.md §4: in `build` the stretches daily, the return-phase strength set on non-build days."""
        if not active:
            return ()
        return STRETCHES + (() if self.target.is_build_day(day) else RETURN_STRENGTH)

    def today(self, today: date, active: bool) -> tuple[Build | None, bool, int | None]:
        """(build, session_due, session_minutes) on `today` (load.md §4 "Precise readings");
        `active`: the plan is active in `build`."""
        week, target = self.week, self.target
        if not active or week is None or target is None:
            return None, False, None
        started = week.start <= today
        done = week.done if started else 0
        left = max(0, week.target - done)
        allowed = self.load.longest_allowed(today)
        due = started and target.is_build_day(today) and today not in self.counted_days and left > 0
        minutes = session_minutes(left, today, week.planned_end, target, allowed) if due else None
        build = Build(
            week_index=week.index,
            week_start=week.start,
            week_end=week.planned_end,
            week_target_minutes=week.target,
            week_done_minutes=done,
            week_left_minutes=left,
            session_minutes=minutes,
            longest_allowed_minutes=allowed,
            load_ratio=self.load.load_ratio(today, self.first_week_start),
            goal_minutes=target.minutes,
            goal_km=target.km,
            start_minutes=start_minutes(target.minutes, self.activity, target.build_days),
            goal_weeks=self.goal_weeks,
            goal_weeks_needed=GOAL_WEEKS_NEEDED,
            build_days=tuple(code for code in WEEKDAYS if code in target.build_days),
            number=week.build,
        )
        return build, due, minutes

    def advice(self, today: date, *, load_on: bool, active: bool) -> list[str]:
        """L1 and L2 (while `load_on`: active in build, or completed by build-back) and L3."""
        advice = []
        if load_on and self.first_week_start is not None and today >= self.first_week_start:
            if self.load.l1(today, self.first_week_start):
                advice.append("L1")
            if any((today - when).days in (0, 1) for when in self.l2_days):
                advice.append("L2")
        if active and self.stalled_weeks >= L3_WEEKS:
            advice.append("L3")
        return advice
