"""The plan's state, derived from what the person entered (`plan.md`, version 2026.1).

One pure function, `compute`, replays the plan day by day from its start date to "today":
the logs, the day-14 checks and later screenings are the only inputs, so editing a past log
simply changes the replay. Nothing here touches the database, the request or the clock.

Within one date the order is fixed by the contract: E5, then the check, then the log, then a
new screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from screening.rules import DAILY_RED_FLAGS, Outcome, most_urgent

from .schedule import exercises_due

# Statuses and phases (contract strings).
ACTIVE, PAUSED, REFERRED, COMPLETE = "active", "paused", "referred", "complete"
REST, RETURN = "rest", "return"

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
    swelling: str = "none"
    nsaid: bool = False
    new_symptoms: tuple[str, ...] = ()


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
    #: E4 "two_failed"/"three_regressions".
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Day:
    date: date
    day: int
    phase: str
    status: str
    session_day: bool
    level: int | None
    session: str | None
    events: tuple[Event, ...]
    exercises_due: tuple[str, ...]


@dataclass(frozen=True)
class PlanState:
    today: date
    day: int
    phase: str
    status: str
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

    def events_on(self, day: date) -> tuple[Event, ...]:
        return tuple(event for event in self.events if event.date == day)


def flag_outcome(flag: str) -> str:
    return WHOLE_KNEE_OUTCOME if flag == WHOLE_KNEE else DAILY_RED_FLAGS[flag]


@dataclass
class _Replay:
    """The running state while the plan is replayed one date at a time."""

    start: date
    logs: dict[date, LogEntry]
    checks: dict[date, CheckEntry]
    screens: dict[date, list[str]]
    phase: str = REST
    status: str = ACTIVE
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
    rest_kept: int = 0
    rest_logged: int = 0
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check_due_date = self.start + timedelta(days=REST_DAYS - 1)

    # --- helpers -------------------------------------------------------------------------

    def fire(self, day: date, rule: str, level: int | None = None, detail: tuple[str, ...] = ()) -> None:
        self.events.append(Event(day, rule, level, detail))

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
        # The contract's reading: only at the start of day 43, and only if the plan is active then.
        if self.status == ACTIVE and (day - self.start).days + 1 == E5_DAY:
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
            return None
        self.track_nsaid(day, log)
        prev, self.prev_log = self.prev_log, log
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
        if self.phase != RETURN:
            return None
        return self.return_log(day, log, prev, session_day)

    def return_log(self, day: date, log: LogEntry, prev: LogEntry | None, session_day: bool) -> str | None:
        flare_why: tuple[str, ...] = ()
        if prev is not None:
            if (
                log.pain_morning is not None
                and prev.pain_morning is not None
                and log.pain_morning - prev.pain_morning >= E3_MORNING_RISE
            ):
                flare_why += ("morning_pain",)
            if log.swelling == "local" and prev.swelling == "none":
                flare_why += ("swelling",)
        flare = bool(flare_why)
        result = None
        failed = False
        if session_day and log.session_done:
            level = self.level
            self.last_session_level = level
            passed = log.pain_during is not None and log.pain_during <= SESSION_MAX_PAIN and not log.stopped_early
            if passed:
                result = "pass"
                self.fire(day, "pass", level)
                self.failed_run = 0  # a pass, even one E3 overrides, breaks a run of failures
                if not flare:
                    if level >= MAX_LEVEL:
                        self.fire(day, "complete")
                        self.phase = self.status = COMPLETE
                        self.next_session = None
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
        third_back = self.regressions[-3] if len(self.regressions) >= 3 else None
        three_in_a_week = third_back is not None and (day - third_back).days <= E4_WINDOW_DAYS
        if self.failed_run >= 2 or three_in_a_week:
            self.e4_count += 1
            self.fire(day, "E4", detail=("two_failed",) if self.failed_run >= 2 else ("three_regressions",))
            if self.e4_count >= 2:
                self.status = REFERRED
            else:
                self.start_rest(day, "E4")
        return result

    def track_nsaid(self, day: date, log: LogEntry) -> None:
        if not log.nsaid:
            self.nsaid_run, self.nsaid_last = 0, None
            return
        consecutive = self.nsaid_last is not None and day - self.nsaid_last == timedelta(days=1)
        self.nsaid_run = self.nsaid_run + 1 if consecutive else 1
        self.nsaid_last = day
        if self.nsaid_run == E6_RUN_DAYS and self.status in (ACTIVE, COMPLETE):
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
) -> PlanState:
    """The plan's whole state on `today`, replayed from `start_date`."""
    screens_by_date: dict[date, list[str]] = {}
    for screen in screens:
        if start_date <= screen.date <= today:
            screens_by_date.setdefault(screen.date, []).append(screen.outcome)
    replay = _Replay(
        start=start_date,
        logs=_by_date(logs, start_date, today, "logs"),
        checks=_by_date(checks, start_date, today, "checks"),
        screens=screens_by_date,
    )
    days: list[Day] = []
    day = start_date
    while day <= today:
        number = (day - start_date).days + 1
        first_event = len(replay.events)
        replay.e5(day)
        replay.check(day)
        session_day = (
            replay.status == ACTIVE
            and replay.phase == RETURN
            and replay.next_session is not None
            and day >= replay.next_session
        )
        phase, level = replay.phase, replay.level
        session = replay.log(day, session_day)
        replay.screen(day)
        days.append(
            Day(
                date=day,
                day=number,
                phase=phase,
                status=replay.status,
                session_day=session_day,
                level=level if session_day else None,
                session=session,
                events=tuple(replay.events[first_event:]),
                exercises_due=exercises_due(phase=phase, status=replay.status, day=number, session_day=session_day),
            )
        )
        day += timedelta(days=1)

    active = replay.status == ACTIVE
    in_return = replay.phase == RETURN
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
    return PlanState(
        today=today,
        day=(today - start_date).days + 1,
        phase=replay.phase,
        status=replay.status,
        level=replay.level if in_return else None,
        session_due=active and in_return and replay.next_session is not None and today >= replay.next_session,
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
    )
