"""The plan's state, derived from what the person entered (`plan.md` 2026.1, `load.md` 2026.2).

One pure function, `compute`, replays the plan day by day from its start date to "today":
the logs, the day-14 checks, later screenings and the build-back target are the only inputs, so
editing a past log (or the target) simply changes the replay. Nothing here touches the database,
the request or the clock.

Within one date the order is fixed by the contract: E5, then a late-goal build start, then the
build week's evaluation, then the check, then the log, then a new screen. Within a build log:
E1, the session (E2), E3, the step-back, E4; the load warnings L1/L2 read only logged entries.

Without a `target` the plan behaves exactly as in 2026.1 (level 8 passed → `complete`). With one,
a level-8 pass starts build-back (`phase = build`); its arithmetic lives in `rehab.buildback`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from screening.rules import DAILY_RED_FLAGS, Outcome, most_urgent

from . import buildback as bb
from .buildback import BUILD, Activity, Build, LoadIndex, Target, Week, WeekRun
from .schedule import RETURN_STRENGTH, STRETCHES, exercises_due

__all__ = [
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

# Statuses and phases (contract strings).
ACTIVE, PAUSED, REFERRED, COMPLETE = "active", "paused", "referred", "complete"
REST, RETURN = "rest", "return"  # and BUILD = "build" (rehab.buildback)

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
    phase: str
    status: str
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
    # --- build-back (load.md) ---
    target: Target | None = None
    activity: str = "running"
    load: LoadIndex | None = None
    last_session_pain: int | None = None  # pain_during of the last counted session, any phase
    level8_date: date | None = None
    ever_build: bool = False  # E5 never applies once a plan has been in build
    built_complete: bool = False  # completed by build-back: L1/L2 keep running as advice
    build_number: int = 0
    first_week_start: date | None = None  # S₁ of the current (or last) build
    week: WeekRun | None = None  # the current week, or the next one during a gap
    weeks: list[WeekRun] = field(default_factory=list)
    goal_weeks: int = 0
    stalled_weeks: int = 0  # weeks in a row ended without up / at_goal (L3)
    counted_days: set[date] = field(default_factory=set)
    l1_held: bool = False  # L1 on the previous evaluated log date (events mark a run's start)
    l2_days: list[date] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.check_due_date = self.start + timedelta(days=REST_DAYS - 1)
        if self.load is None:
            self.load = LoadIndex(self.logs, self.activity)

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
            self.interrupt_week(day)
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
        if self.status == ACTIVE and not self.ever_build and (day - self.start).days + 1 == E5_DAY:
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
        if self.status == COMPLETE and self.built_complete:
            # load.md §4: after a build-back completes, L1 and L2 keep running (a spike guard).
            l1, l2 = self.load_warnings(day)
            self.fire_load_warnings(day, l1, l2, None)
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
                            self.phase = self.status = COMPLETE
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

    # --- build-back (load.md §3–4) -----------------------------------------------------------

    def start_build(self, day: date, first_week: date) -> None:
        """Enter `build` on `day` (a level-8 pass, or a late goal); week 1 from `first_week`."""
        assert self.target is not None
        self.phase, self.status = BUILD, ACTIVE
        self.ever_build = True
        self.build_number += 1
        self.first_week_start = first_week
        self.goal_weeks = self.stalled_weeks = 0
        self.failed_run, self.regressions = 0, []  # E4 counts from the build start
        self.l1_held = False
        self.next_session = None
        first = bb.start_minutes(self.target.minutes, self.activity, self.target.build_days)
        self.week = self.new_week(first_week, first)
        self.fire(day, "build_start", week=self.week)

    def new_week(self, start: date, target: int) -> WeekRun:
        previous = self.week if self.week is not None and self.week.build == self.build_number else None
        week = WeekRun(
            build=self.build_number,
            index=previous.index + 1 if previous is not None else 1,
            start=start,
            target=min(self.target.minutes, target),
            pain_before=self.last_session_pain,
        )
        self.weeks.append(week)
        return week

    def previous_week(self, week: WeekRun) -> WeekRun | None:
        at = self.weeks.index(week)
        before = self.weeks[at - 1] if at > 0 else None
        return before if before is not None and before.build == week.build else None

    def interrupt_week(self, day: date) -> None:
        """A red flag in build: the week in progress stops (kept, outcome None); a week that had
        not started yet is dropped."""
        week, self.week = self.week, None
        if week is None:
            return
        if week.start > day:
            self.weeks.remove(week)
        else:
            week.end, week.interrupted = day, True

    def late_start(self, day: date) -> None:
        """A goal first saved on `day` after a 2026.1 completion reopens the plan (load.md §3)."""
        if (
            self.target is not None
            and self.target.set_on == day
            and self.status == COMPLETE
            and self.phase == COMPLETE
            and not self.built_complete
            and self.level8_date is not None
        ):
            self.start_build(day, max(self.level8_date + timedelta(days=bb.FIRST_WEEK_GAP), day))

    def evaluate_week(self, day: date) -> None:
        """The week decision at a normal end, at the start of start + 7."""
        week = self.week
        if self.status != ACTIVE or self.phase != BUILD or week is None or week.end is not None:
            return
        if day != week.planned_end + timedelta(days=1):
            return
        goal = self.target.minutes
        outcome, following, reasons = bb.decide(week, self.previous_week(week), goal)
        week.outcome, week.reasons = outcome, reasons
        self.fire(day, f"week_{outcome}", detail=reasons, week=week)
        self.goal_weeks = self.goal_weeks + 1 if outcome == bb.AT_GOAL and week.pain_free else 0
        self.stalled_weeks = 0 if outcome in (bb.UP, bb.AT_GOAL) else self.stalled_weeks + 1
        if self.goal_weeks >= bb.GOAL_WEEKS_NEEDED:
            self.fire(day, "complete")
            self.phase = self.status = COMPLETE
            self.built_complete = True
            self.week = None
            return
        self.week = self.new_week(day, following)

    def load_warnings(self, day: date) -> tuple[bool, bool]:
        """(L1, L2) on a log dated `day` (t ≥ S₁); remembered for events, advice and `spiky`."""
        if self.first_week_start is None or day < self.first_week_start:
            return False, False
        l1 = self.load.l1(day, self.first_week_start)
        l2 = self.load.l2(day)
        if l2:
            self.l2_days.append(day)
        return l1, l2

    def fire_load_warnings(self, day: date, l1: bool, l2: bool, week: WeekRun | None) -> None:
        if l1 and not self.l1_held:
            self.fire(day, "L1", week=week)
        if l2:
            self.fire(day, "L2", week=week)
        if self.first_week_start is not None and day >= self.first_week_start:
            self.l1_held = l1

    def build_log(self, day: date, log: LogEntry, prev: LogEntry | None) -> str | None:
        """A log in `build`: E1 is done; then the session (E2), E3, the step-back, E4."""
        week = self.week
        in_week = week is not None and week.end is None and week.contains(day)
        l1, l2 = self.load_warnings(day)
        if in_week:
            week.add_log(log, self.activity)
            week.spiky = week.spiky or l1 or l2
        # load.md §1: session_done is asked every day; absent, it is yes iff a main-kind entry.
        done = log.session_done
        if done is None:
            done = any(entry.kind == self.activity for entry in log.activities)
        result, failed = None, False
        if in_week and done:
            self.counted_days.add(day)
            self.last_session_pain = log.pain_during
            week.add_session(log.pain_during)
            passed = log.pain_during is not None and log.pain_during <= SESSION_MAX_PAIN and not log.stopped_early
            if passed:
                result = "pass"
                self.failed_run = 0
            else:
                result, failed = "fail", True
                why = ("pain_above_3",) if log.pain_during is None or log.pain_during > SESSION_MAX_PAIN else ()
                self.fire(day, "E2", detail=why + (("stopped_early",) if log.stopped_early else ()), week=week)
                self.failed_run += 1
        flare_why = self.flare_why(log, prev)
        if flare_why:
            self.fire(day, "E3", detail=flare_why, week=week if in_week else None)
        step_back_to = None
        if in_week and (failed or flare_why):
            # Step-back: the week ends on D; the next starts D + 2 at step(T).
            week.end, week.outcome = day, bb.STEP_BACK_OUTCOME
            self.goal_weeks = 0
            self.stalled_weeks += 1
            step_back_to = bb.step(week.target, self.target.minutes)
        elif flare_why and week is not None and week.start > day:
            # E3 on a gap day only moves the next start.
            week.start = max(week.start, day + timedelta(days=bb.STEP_BACK_GAP))
            if week.index == 1:
                self.first_week_start = week.start
        if failed or flare_why:
            self.regressions.append(day)
            if self.e4(day):  # back to rest (or referred): no next week
                if self.week is not None and self.week.start > day:
                    self.weeks.remove(self.week)
                self.week = None
            elif step_back_to is not None:
                self.week = self.new_week(day + timedelta(days=bb.STEP_BACK_GAP), step_back_to)
        self.fire_load_warnings(day, l1, l2, week if in_week else None)
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


def _build_exercises(status: str, target: Target, day: date) -> tuple[str, ...]:
    """load.md §4: in `build` the stretches daily, the return-phase strength set on non-build days."""
    if status != ACTIVE:
        return ()
    return STRETCHES + (() if target.is_build_day(day) else RETURN_STRENGTH)


def _build_today(replay: _Replay, today: date) -> tuple[Build | None, bool, int | None]:
    """(build, session_due, session_minutes) on `today` (load.md §4 "Precise readings")."""
    week, target = replay.week, replay.target
    if replay.status != ACTIVE or replay.phase != BUILD or week is None or target is None:
        return None, False, None
    started = week.start <= today
    done = week.done if started else 0
    left = max(0, week.target - done)
    allowed = replay.load.longest_allowed(today)
    due = started and target.is_build_day(today) and today not in replay.counted_days and left > 0
    minutes = bb.session_minutes(left, today, week.planned_end, target, allowed) if due else None
    build = Build(
        week_index=week.index,
        week_start=week.start,
        week_end=week.planned_end,
        week_target_minutes=week.target,
        week_done_minutes=done,
        week_left_minutes=left,
        session_minutes=minutes,
        longest_allowed_minutes=allowed,
        load_ratio=replay.load.load_ratio(today, replay.first_week_start),
        goal_minutes=target.minutes,
        goal_km=target.km,
        start_minutes=bb.start_minutes(target.minutes, replay.activity, target.build_days),
        goal_weeks=replay.goal_weeks,
        goal_weeks_needed=bb.GOAL_WEEKS_NEEDED,
        build_days=tuple(code for code in bb.WEEKDAYS if code in target.build_days),
        number=week.build,
    )
    return build, due, minutes


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
            week = replay.week
            build_no = replay.build_number
            gap = week is None or day < week.start
            week_no = None if gap else week.index
            session_day = not gap and target.is_build_day(day)
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
            due_today = _build_exercises(replay.status, target, day)
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
    build, build_due, session_minutes = _build_today(replay, today)
    # L1/L2 are advice in build and after a build-back completes (load.md §4).
    load_on = (active and replay.phase == BUILD) or (replay.status == COMPLETE and replay.built_complete)
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
    if load_on and replay.first_week_start is not None and today >= replay.first_week_start:
        if replay.load.l1(today, replay.first_week_start):
            advice.append("L1")
        if any((today - when).days in (0, 1) for when in replay.l2_days):
            advice.append("L2")
    if active and replay.phase == BUILD and replay.stalled_weeks >= bb.L3_WEEKS:
        advice.append("L3")
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
        weeks=tuple(week.freeze() for week in replay.weeks),
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
