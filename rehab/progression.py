"""The plan's state, derived from what the person entered (`plan.md` 2026.1, `load.md` 2026.2).

One pure function, `compute`, replays the plan day by day from its start date to "today":
the logs, the day-14 checks, later screenings and the build-back target are the only inputs, so
editing a past log (or the target) simply changes the replay. Nothing here touches the database,
the request or the clock.

Within one date the order is fixed by the contract: E5, then a late-goal build start, then the
build week's evaluation, then the check, then the log, then a new screen. Within a build log:
E1, the session (E2), E3, the step-back, E4; the load warnings L1/L2 read only logged entries.

Without a `target` the plan behaves exactly as in 2026.1 (level 8 passed → `complete`). With one,
a level-8 pass hands the plan over to build-back (`phase = build`), whose weeks, targets and load
warnings are `rehab.buildback`'s (load.md); the statuses, events and plan.md's rules stay here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from screening.rules import DAILY_RED_FLAGS, Outcome, most_urgent

from . import buildback as bb
from .buildback import Activity, Build, BuildBack, LoadIndex, Target, Week, WeekRun
from .schedule import exercises_due

__all__ = [
    "BUILD",
    "Activity",
    "Build",
    "CheckEntry",
    "Day",
    "Event",
    "LogEntry",
    "PlanState",
    "ScreenEntry",
    "Target",
    "Week",
    "compute",
]


class Status(StrEnum):
    """A plan's status (plan.md, "Phases and status": contract codes; members equal their codes)."""

    ACTIVE = "active"
    PAUSED = "paused"
    REFERRED = "referred"
    COMPLETE = "complete"

    @property
    def is_active(self) -> bool:
        return self is Status.ACTIVE

    @property
    def is_paused(self) -> bool:
        return self is Status.PAUSED

    @property
    def is_referred(self) -> bool:
        return self is Status.REFERRED

    @property
    def is_complete(self) -> bool:
        return self is Status.COMPLETE

    @property
    def held(self) -> bool:
        """Paused or referred: a clinician first."""
        return self in (Status.PAUSED, Status.REFERRED)


class Phase(StrEnum):
    """A plan's phase (plan.md; `build` is load.md's): contract codes, members equal their codes."""

    REST = "rest"
    RETURN = "return"
    BUILD = "build"
    COMPLETE = "complete"

    @property
    def is_rest(self) -> bool:
        return self is Phase.REST

    @property
    def is_build(self) -> bool:
        return self is Phase.BUILD


ACTIVE, PAUSED, REFERRED, COMPLETE = Status
REST, RETURN, BUILD = Phase.REST, Phase.RETURN, Phase.BUILD

PLAN_DAYS = 30
MAX_LEVEL = 8

REST_DAYS = 14  # the first check is due on day 14
SHORT_REST_DAYS = 7  # after an extension, E4 or a resume
SESSION_GAP = 2  # sessions every other day
SESSION_MAX_PAIN = 3  # pain during a session: ≤ 3/10 passes
E3_MORNING_RISE = 2
E4_WINDOW_DAYS = 6  # 3 regressions with the first and third at most 6 days apart
E5_DAY = 43
E6_RUN_DAYS = 11
IMPROVING_DROP = 2
CHECK_MAX_DAILY_PAIN = 1
CHECK_MAX_SQUAT_PAIN = 2
CHECK_MAX_HOP_PAIN = 2

#: Whole-knee swelling is not on the screening's red-flag list; it points to a joint problem that
#: needs a clinician's look within days (screening.md's "whole_knee_swelling" / "rapid_swelling").
WHOLE_KNEE = "whole_knee"
WHOLE_KNEE_OUTCOME = Outcome.CLINICIAN_SOON


@dataclass(frozen=True)
class LogEntry:
    date: date
    pain_worst: int
    pain_morning: int | None = None
    rested: bool | None = None
    session_done: bool | None = None
    pain_during: int | None = None
    stopped_early: bool | None = None
    #: None = unanswered (unknown), read by the rules as "none" / no.
    swelling: str | None = "none"
    nsaid: bool | None = False
    new_symptoms: tuple[str, ...] = ()
    #: The log's activity entries (load.md §1), 0–10 of them.
    activities: tuple[Activity, ...] = ()

    @property
    def swelling_read(self) -> str:
        return self.swelling or "none"


@dataclass(frozen=True)
class CheckEntry:
    date: date
    new_symptoms: tuple[str, ...] = ()
    daily_pain: int = 0
    walk_30: bool = True
    squat_pain: int = 0
    hop_pain: int = 0

    @property
    def passed(self) -> bool:
        return (
            not self.new_symptoms
            and self.daily_pain <= CHECK_MAX_DAILY_PAIN
            and self.walk_30
            and self.squat_pain <= CHECK_MAX_SQUAT_PAIN
            and self.hop_pain <= CHECK_MAX_HOP_PAIN
        )


@dataclass(frozen=True)
class ScreenEntry:
    date: date
    outcome: str


@dataclass(frozen=True)
class Event:
    date: date
    rule: str
    level: int | None = None
    #: Why it fired: E1 the flags; E2 "pain_above_3"/"stopped_early"; E3 "morning_pain"/"swelling";
    #: E4 "two_failed"/"three_regressions"; week_hold "short"/"spiky"/"rising".
    detail: tuple[str, ...] = ()
    #: Build-back events: the build number and the index of the week the event concerns (for
    #: build_start week 1; for week_<outcome> the week just decided; for a step-back the week it
    #: ended; for L1/L2 the week of the log, None on a gap day).
    build: int | None = None
    week: int | None = None


@dataclass(frozen=True)
class Day:
    date: date
    day: int
    phase: Phase
    status: Status
    session_day: bool
    level: int | None
    session: str | None
    events: tuple[Event, ...]
    exercises_due: tuple[str, ...]
    #: In `build`: the build number and the week the date belongs to (None on a gap day).
    build: int | None = None
    week: int | None = None
    gap: bool = False
    #: A daily log was saved for this date (the logging streak reads it; no rule does).
    logged: bool = False


@dataclass(frozen=True)
class PlanState:
    today: date
    day: int
    phase: Phase
    status: Status
    level: int | None
    session_due: bool
    check_due: bool
    check_due_date: date | None
    next_session_date: date | None
    advice: tuple[str, ...]
    events: tuple[Event, ...]
    rest_days_kept: int
    rest_days_logged: int
    pause_outcome: str | None
    pause_flags: tuple[str, ...]
    days: tuple[Day, ...]
    exercises_due: tuple[str, ...]
    #: load.md §5: today's build-back state (None unless active in `build`), every build week
    #: (old builds included; the current one with outcome None) and today's suggested length.
    build: Build | None = None
    weeks: tuple[Week, ...] = ()
    session_minutes: int | None = None
    #: Days logged in a row, up to today (or up to yesterday while today is not logged yet).
    log_streak: int = 0

    def events_on(self, day: date) -> tuple[Event, ...]:
        return tuple(event for event in self.events if event.date == day)

    # --- Days, looked up by index: pages read a few days without walking the whole history ---

    @property
    def start_date(self) -> date:
        return self.today - timedelta(days=self.day - 1)

    def day_of(self, day: date) -> Day | None:
        """The record of `day` (None outside the plan's days so far)."""
        index = (day - self.start_date).days
        return self.days[index] if 0 <= index < len(self.days) else None

    def days_between(self, first: date, last: date) -> tuple[Day, ...]:
        """The days from `first` to `last` (a slice, whatever the history's length)."""
        start = self.start_date
        return tuple(self.days[max(0, (first - start).days) : max(0, (last - start).days + 1)])

    def week_bounds(self, day: date) -> tuple[date, date, int]:
        """The plan week (days 1–7, 8–14, …) that holds `day`: first date, last date, week number."""
        index = max(0, (day - self.start_date).days) // 7
        first = self.start_date + timedelta(days=7 * index)
        return first, first + timedelta(days=6), index + 1

    @property
    def logged_dates(self) -> LoggedDates:
        """`day in state.logged_dates`: whether `day` has a daily log."""
        return LoggedDates(self)

    def adherence(
        self, done: Mapping[date, set[str]], first: date | None = None, last: date | None = None
    ) -> list[WeekAdherence]:
        """Done / due per plan week, given the slugs ticked per date; only exercises that were due
        count (plan.md). With `first`/`last`, only the (whole) weeks that touch those dates."""
        days = self.days
        if first is not None and last is not None:
            days = self.days_between(self.week_bounds(first)[0], self.week_bounds(last)[1])
        weeks: dict[int, WeekAdherence] = {}
        for day in days:
            start, end, number = self.week_bounds(day.date)
            week = weeks.setdefault(number, WeekAdherence(number, start, end))
            due = set(day.exercises_due)
            week.done += len(due & done.get(day.date, set()))
            week.due += len(due)
        return [weeks[number] for number in sorted(weeks)]


class LoggedDates:
    """The dates of a state that have a daily log, as a container (no query, no walk)."""

    def __init__(self, state: PlanState) -> None:
        self.state = state

    def __contains__(self, day: date) -> bool:
        info = self.state.day_of(day)
        return info is not None and info.logged


@dataclass
class WeekAdherence:
    number: int
    first: date
    last: date
    done: int = 0
    due: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.due) if self.due else None


def flag_outcome(flag: str) -> str:
    return WHOLE_KNEE_OUTCOME if flag == WHOLE_KNEE else DAILY_RED_FLAGS[flag]


@dataclass
class _Replay:
    """The running state while the plan is replayed one date at a time."""

    start: date
    logs: dict[date, LogEntry]
    checks: dict[date, CheckEntry]
    screens: dict[date, list[str]]
    phase: Phase = REST
    status: Status = ACTIVE
    rest_reason: str = "initial"  # initial | extension | E4 | E1: only an initial rest may be extended
    check_due_date: date | None = None
    level: int = 1
    next_session: date | None = None
    last_session_level: int | None = None
    failed_run: int = 0
    regressions: list[date] = field(default_factory=list)
    e4_count: int = 0
    pause_date: date | None = None
    pause_outcome: str | None = None
    pause_flags: tuple[str, ...] = ()
    prev_log: LogEntry | None = None
    nsaid_run: int = 0
    nsaid_last: date | None = None
    nsaid_fired: bool = False  # E6 fired for the current run (once per run, load.md B14)
    rest_kept: int = 0
    rest_logged: int = 0
    events: list[Event] = field(default_factory=list)
    target: Target | None = None
    activity: str = "running"
    last_session_pain: int | None = None  # pain_during of the last counted session, any phase
    level8_date: date | None = None
    #: Build-back (load.md), handed over to at a level-8 pass.
    build: BuildBack = field(init=False)

    def __post_init__(self) -> None:
        self.check_due_date = self.start + timedelta(days=REST_DAYS - 1)
        self.build = BuildBack(self.target, self.activity, LoadIndex(self.logs, self.activity))

    # --- helpers -------------------------------------------------------------------------

    def fire(
        self,
        day: date,
        rule: str,
        level: int | None = None,
        detail: tuple[str, ...] = (),
        week: WeekRun | None = None,
    ) -> None:
        build, index = (week.build, week.index) if week is not None else (None, None)
        self.events.append(Event(day, rule, level, detail, build, index))

    def start_rest(self, day: date, reason: str) -> None:
        self.phase, self.rest_reason = REST, reason
        self.check_due_date = day + timedelta(days=SHORT_REST_DAYS)
        self.next_session = None
        self.last_session_level = None
        self.failed_run = 0
        self.regressions = []

    def start_return(self, day: date) -> None:
        self.phase, self.level, self.next_session = RETURN, 1, day
        self.last_session_level = None
        self.failed_run = 0
        self.regressions = []

    def pause(self, day: date, flags: tuple[str, ...], outcome: str) -> None:
        if self.phase == BUILD:
            self.build.interrupt(day)
        self.status = PAUSED
        self.pause_date, self.pause_flags, self.pause_outcome = day, flags, outcome
        self.fire(day, "E1", detail=flags)

    def improving(self, day: date) -> bool:
        pains = [log.pain_worst for d, log in sorted(self.logs.items()) if d <= day]
        if not pains:
            return False
        # Exact arithmetic: a drop of exactly 2 (16/3 - 10/3) must count, as floats would not.
        return Fraction(sum(pains[:3]), len(pains[:3])) - Fraction(sum(pains[-3:]), len(pains[-3:])) >= IMPROVING_DROP

    # --- the four things that can happen on a date, in contract order ----------------------

    def e5(self, day: date) -> None:
        # The contract's reading: only at the start of day 43, and only if the plan is active then;
        # load.md: only in rest/return of a plan never in build.
        if self.status == ACTIVE and not self.build.entered and (day - self.start).days + 1 == E5_DAY:
            self.status = REFERRED
            self.fire(day, "E5")

    def check(self, day: date) -> None:
        check = self.checks.get(day)
        if check is None or self.status != ACTIVE or self.phase != REST or day < self.check_due_date:
            return
        if check.new_symptoms:
            flags = tuple(check.new_symptoms)
            self.pause(day, flags, most_urgent(map(flag_outcome, flags)))
        elif check.passed:
            self.fire(day, "check_pass")
            self.start_return(day)
        elif self.rest_reason == "initial" and self.improving(day):
            self.fire(day, "check_extend")
            self.rest_reason = "extension"
            self.check_due_date = day + timedelta(days=SHORT_REST_DAYS)
        else:
            self.fire(day, "check_refer")
            self.status = REFERRED

    def log(self, day: date, session_day: bool) -> str | None:
        """Read the day's log; returns the session result ("pass"/"fail") if it held a session."""
        log = self.logs.get(day)
        if log is None:
            self.e6(day)  # a run that crossed a pause fires on the first active date (B14)
            return None
        self.track_nsaid(day, log)
        prev, self.prev_log = self.prev_log, log
        if self.status == COMPLETE and self.build.completed:
            # load.md §4: after a build-back completes, L1 and L2 keep running (a spike guard).
            self.fire_load_warnings(day, *self.build.load_warnings(day), None)
            return None
        if self.status != ACTIVE:
            return None  # kept as a baseline for later, but changes nothing now
        flags = tuple(log.new_symptoms) + ((WHOLE_KNEE,) if log.swelling == WHOLE_KNEE else ())
        if flags:
            self.pause(day, flags, most_urgent(map(flag_outcome, flags)))
            return None
        if self.phase == REST:
            self.rest_logged += 1
            self.rest_kept += bool(log.rested)
            return None
        if self.phase == BUILD:
            return self.build_log(day, log, prev)
        if self.phase != RETURN:
            return None
        return self.return_log(day, log, prev, session_day)

    @staticmethod
    def flare_why(log: LogEntry, prev: LogEntry | None) -> tuple[str, ...]:
        """E3's triggers against the previous logged day (plan.md)."""
        why: tuple[str, ...] = ()
        if prev is not None:
            if (
                log.pain_morning is not None
                and prev.pain_morning is not None
                and log.pain_morning - prev.pain_morning >= E3_MORNING_RISE
            ):
                why += ("morning_pain",)
            if log.swelling_read == "local" and prev.swelling_read == "none":
                why += ("swelling",)
        return why

    def e4(self, day: date) -> bool:
        """E4 after a regression on `day`; True if it fired (rest, or referred on the second)."""
        third_back = self.regressions[-3] if len(self.regressions) >= 3 else None
        three_in_a_week = third_back is not None and (day - third_back).days <= E4_WINDOW_DAYS
        if not (self.failed_run >= 2 or three_in_a_week):
            return False
        self.e4_count += 1
        self.fire(day, "E4", detail=("two_failed",) if self.failed_run >= 2 else ("three_regressions",))
        if self.e4_count >= 2:
            self.status = REFERRED
        else:
            self.start_rest(day, "E4")
        return True

    def return_log(self, day: date, log: LogEntry, prev: LogEntry | None, session_day: bool) -> str | None:
        flare_why = self.flare_why(log, prev)
        flare = bool(flare_why)
        result = None
        failed = False
        if session_day and log.session_done:
            level = self.level
            self.last_session_level = level
            self.last_session_pain = log.pain_during
            passed = log.pain_during is not None and log.pain_during <= SESSION_MAX_PAIN and not log.stopped_early
            if passed:
                result = "pass"
                self.fire(day, "pass", level)
                self.failed_run = 0  # a pass, even one E3 overrides, breaks a run of failures
                if not flare:
                    if level >= MAX_LEVEL:
                        self.level8_date = day
                        self.next_session = None
                        if self.target is not None and self.target.set_on <= day:
                            self.start_build(day, day + timedelta(days=bb.FIRST_WEEK_GAP))
                        else:
                            self.fire(day, "complete")
                            self.phase, self.status = Phase.COMPLETE, COMPLETE
                        return result
                    self.level = level + 1
            else:
                result, failed = "fail", True
                why = ("pain_above_3",) if log.pain_during is None or log.pain_during > SESSION_MAX_PAIN else ()
                self.fire(day, "E2", level, why + (("stopped_early",) if log.stopped_early else ()))
                self.failed_run += 1
                self.level = max(1, level - 1)
            self.next_session = day + timedelta(days=SESSION_GAP)
        if flare:
            if self.last_session_level is not None:
                self.level = max(1, self.last_session_level - 1)
            self.next_session = day + timedelta(days=SESSION_GAP)
            self.fire(day, "E3", self.level, flare_why)
        if failed or flare:
            self.regressions.append(day)
        self.e4(day)
        return result

    # --- build-back (load.md §3–4): the hand-over, and what of it is plan.md's ------------------

    def start_build(self, day: date, first_week: date) -> None:
        """Hand over to build-back on `day` (a level-8 pass, or a late goal); week 1 from `first_week`."""
        self.phase, self.status = BUILD, ACTIVE
        self.failed_run, self.regressions = 0, []  # E4 counts from the build start
        self.next_session = None
        self.fire(day, "build_start", week=self.build.start(first_week, self.last_session_pain))

    def late_start(self, day: date) -> None:
        """A goal first saved on `day` after a 2026.1 completion reopens the plan (load.md §3)."""
        if (
            self.target is not None
            and self.target.set_on == day
            and self.status == COMPLETE
            and self.phase == COMPLETE
            and not self.build.completed
            and self.level8_date is not None
        ):
            self.start_build(day, max(self.level8_date + timedelta(days=bb.FIRST_WEEK_GAP), day))

    def evaluate_week(self, day: date) -> None:
        """The week decision at a normal end, at the start of start + 7."""
        if self.status != ACTIVE or self.phase != BUILD:
            return
        decided = self.build.end_week(day, self.last_session_pain)
        if decided is None:
            return
        week, complete = decided
        self.fire(day, f"week_{week.outcome}", detail=week.reasons, week=week)
        if complete:
            self.fire(day, "complete")
            self.phase, self.status = Phase.COMPLETE, COMPLETE

    def fire_load_warnings(self, day: date, l1: bool, l2: bool, week: WeekRun | None) -> None:
        for rule in self.build.warnings_to_fire(day, l1, l2):
            self.fire(day, rule, week=week)

    def build_log(self, day: date, log: LogEntry, prev: LogEntry | None) -> str | None:
        """A log in `build`: E1 is done; then the session (E2), E3, the step-back, E4."""
        week, l1, l2 = self.build.take_log(day, log)
        result, failed = None, False
        if week is not None and self.build.session_done(log):
            self.last_session_pain = log.pain_during
            self.build.take_session(day, week, log.pain_during)
            # load.md "Precise readings" (B13): a counted session stored without the session
            # answers is no E2 (unknown pain is not > 3, an absent stopped_early is no); its
            # minutes count, and it is neither pain-free nor rising (buildback.WeekRun).
            too_painful = log.pain_during is not None and log.pain_during > SESSION_MAX_PAIN
            if too_painful or log.stopped_early:
                result, failed = "fail", True
                why = ("pain_above_3",) if too_painful else ()
                self.fire(day, "E2", detail=why + (("stopped_early",) if log.stopped_early else ()), week=week)
                self.failed_run += 1
            elif log.pain_during is None:
                result = "done"  # counted, neither a pass nor a failure
            else:
                result = "pass"
                self.failed_run = 0
        flare_why = self.flare_why(log, prev)
        if flare_why:
            self.fire(day, "E3", detail=flare_why, week=week)
        if failed or flare_why:
            step_back_to = self.build.step_back(day, week, flare=bool(flare_why))
            self.regressions.append(day)
            if self.e4(day):  # back to rest (or referred): no next week
                self.build.leave(day)
            elif step_back_to is not None:
                self.build.new_week(day + timedelta(days=bb.STEP_BACK_GAP), step_back_to, self.last_session_pain)
        self.fire_load_warnings(day, l1, l2, week)
        return result

    def track_nsaid(self, day: date, log: LogEntry) -> None:
        """E6 counts every logged date, logs stored while paused included (load.md "Precise
        readings", B14); a run that reached 11 days while paused fires on the first active date."""
        if not log.nsaid:
            self.nsaid_run, self.nsaid_last, self.nsaid_fired = 0, None, False
            return
        consecutive = self.nsaid_last is not None and day - self.nsaid_last == timedelta(days=1)
        if not consecutive:
            self.nsaid_fired = False
        self.nsaid_run = self.nsaid_run + 1 if consecutive else 1
        self.nsaid_last = day
        self.e6(day)

    def e6(self, day: date) -> None:
        """E6 once per run of 11+ NSAID days, on a date the plan is active (or complete) and the
        run is still current (its last day is today or yesterday)."""
        if (
            not self.nsaid_fired
            and self.nsaid_run >= E6_RUN_DAYS
            and self.nsaid_last is not None
            and (day - self.nsaid_last).days <= 1
            and self.status in (ACTIVE, COMPLETE)
        ):
            self.nsaid_fired = True
            self.fire(day, "E6")

    def screen(self, day: date) -> None:
        outcomes = self.screens.get(day, ())
        if self.status == PAUSED and Outcome.ITBS_LIKELY in outcomes and day >= self.pause_date:
            self.fire(day, "resume")
            self.status = ACTIVE
            self.pause_date, self.pause_flags, self.pause_outcome = None, (), None
            self.start_rest(day, "E1")
        # A later screen with a red-flag outcome pauses an active plan, as a daily red flag does.
        worst = most_urgent(o for o in outcomes if Outcome(o).is_red_flag)
        if worst is not None and self.status == ACTIVE:
            self.pause(day, (f"screen:{worst}",), worst)


def _by_date(entries, start: date, today: date, what: str) -> dict:
    found = {}
    for entry in entries:
        if start <= entry.date <= today:
            if entry.date in found:
                raise ValueError(f"two {what} on {entry.date}: there is one per plan and date")
            found[entry.date] = entry
    return found


def compute(
    *,
    start_date: date,
    logs: Iterable[LogEntry],
    checks: Iterable[CheckEntry],
    screens: Iterable[ScreenEntry],
    today: date,
    target: Target | None = None,
    activity: str = "running",
) -> PlanState:
    """The plan's whole state on `today`, replayed from `start_date`.

    `target` is the build-back goal for the plan's `activity` (load.md §2); without one the plan
    is exactly plan.md 2026.1. `activity` is the plan's activity: the "main kind" of the log's
    activity entries and the level-8 minutes of build-back's start volume.
    """
    screens_by_date: dict[date, list[str]] = {}
    for screen in screens:
        if start_date <= screen.date <= today:
            screens_by_date.setdefault(screen.date, []).append(screen.outcome)
    replay = _Replay(
        start=start_date,
        logs=_by_date(logs, start_date, today, "logs"),
        checks=_by_date(checks, start_date, today, "checks"),
        screens=screens_by_date,
        target=target,
        activity=activity,
    )
    days: list[Day] = []
    day = start_date
    while day <= today:
        number = (day - start_date).days + 1
        first_event = len(replay.events)
        replay.e5(day)
        replay.late_start(day)
        replay.evaluate_week(day)
        replay.check(day)
        phase, level = replay.phase, replay.level
        build_no = week_no = None
        gap = False
        if replay.status == ACTIVE and phase == BUILD:
            build_no, week_no, gap, session_day = replay.build.day(day)
        else:
            session_day = (
                replay.status == ACTIVE
                and phase == RETURN
                and replay.next_session is not None
                and day >= replay.next_session
            )
        session = replay.log(day, session_day)
        replay.screen(day)
        if phase == BUILD:
            due_today = replay.build.exercises(replay.status == ACTIVE, day)
        else:
            due_today = exercises_due(phase=phase, status=replay.status, day=number, session_day=session_day)
        days.append(
            Day(
                date=day,
                day=number,
                phase=phase,
                status=replay.status,
                session_day=session_day,
                level=level if session_day and phase == RETURN else None,
                session=session,
                events=tuple(replay.events[first_event:]),
                exercises_due=due_today,
                build=build_no,
                week=week_no,
                gap=gap,
                logged=day in replay.logs,
            )
        )
        day += timedelta(days=1)

    active = replay.status == ACTIVE
    in_return = replay.phase == RETURN
    build, build_due, session_minutes = replay.build.today(today, active and replay.phase == BUILD)
    # L1/L2 are advice in build and after a build-back completes (load.md §4).
    load_on = (active and replay.phase == BUILD) or (replay.status == COMPLETE and replay.build.completed)
    advice: list[str] = []
    if active and replay.phase == REST and replay.rest_reason == "E4":
        advice.append("E4")
    if (
        replay.status in (ACTIVE, COMPLETE)
        and replay.nsaid_run >= E6_RUN_DAYS
        and replay.nsaid_last is not None
        and (today - replay.nsaid_last).days <= 1
    ):
        advice.append("E6")
    advice += replay.build.advice(today, load_on=load_on, active=active and replay.phase == BUILD)
    return PlanState(
        today=today,
        day=(today - start_date).days + 1,
        phase=replay.phase,
        status=replay.status,
        level=replay.level if in_return else None,
        session_due=build_due
        or (active and in_return and replay.next_session is not None and today >= replay.next_session),
        check_due=active and replay.phase == REST and today >= replay.check_due_date,
        check_due_date=replay.check_due_date if active and replay.phase == REST else None,
        next_session_date=replay.next_session if active and in_return else None,
        advice=tuple(advice),
        events=tuple(replay.events),
        rest_days_kept=replay.rest_kept,
        rest_days_logged=replay.rest_logged,
        pause_outcome=replay.pause_outcome if replay.status == PAUSED else None,
        pause_flags=replay.pause_flags if replay.status == PAUSED else (),
        days=tuple(days),
        exercises_due=days[-1].exercises_due if days else (),
        build=build,
        weeks=tuple(week.freeze() for week in replay.build.weeks),
        session_minutes=session_minutes,
        log_streak=_streak(days),
    )


def _streak(days: list[Day]) -> int:
    """Logged days in a row, ending today, or yesterday while today has no log yet."""
    index = len(days) - 1
    if index >= 0 and not days[index].logged:
        index -= 1
    run = 0
    while index >= 0 and days[index].logged:
        run += 1
        index -= 1
    return run
