"""Small builders for the black-box tests of `rehab.progression.compute`.

Everything is expressed in plan day numbers: day n is START + (n - 1) days (plan.md, "Shape of
the plan": day n = (date - start_date).days + 1). Expected values in the tests are derived by
hand from /work/shared/domain/plan.md, never from the implementation.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from rehab.progression import CheckEntry, LogEntry, PlanState, ScreenEntry, compute

START = date(2026, 11, 1)

# exercises.md, Summary: the five stretches, the rest-phase strength set and the return-phase one.
STRETCHES = frozenset(
    {"figure-4-stretch", "kneeling-tfl-stretch", "standing-itb-stretch", "hip-flexor-stretch", "calf-stretch"}
)
REST_SET = frozenset({"side-lying-hip-abduction", "clamshell", "glute-bridge", "side-plank", "hip-hike"})
RETURN_SET = frozenset(
    {"banded-lateral-walk", "single-leg-bridge", "side-plank", "hip-hike", "single-leg-squat-step-down"}
)
FOAM_ROLL = "foam-roll-lateral-thigh"

# screening.md, "Outcomes": the five codes, most to least urgent. Written from the spec, not imported
# from the code, so the tests stay an independent check of it.
OUTCOMES = ["emergency", "urgent_today", "clinician_soon", "not_typical", "itbs_likely"]

# plan.md, daily red-flag list, with the outcome level of each flag.
RED_FLAG_OUTCOME = {
    "hot_swollen_fever": "emergency",
    "chest_or_breathing": "emergency",
    "foot_cold_or_numb": "emergency",
    "calf_swelling": "urgent_today",
    "locked_knee": "urgent_today",
    "catching_giving_way": "clinician_soon",
    "night_or_rest_pain": "clinician_soon",
    "numbness_shin_foot": "clinician_soon",
}


def d(day: int) -> date:
    """The calendar date of plan day `day` (day 1 == START)."""
    return START + timedelta(days=day - 1)


def log(day: int, pain_worst: int = 2, **kw) -> LogEntry:
    """A daily log on plan day `day`; only what the test cares about is overridden."""
    return LogEntry(date=d(day), pain_worst=pain_worst, **kw)


def session(day: int, pain_during: int = 0, stopped_early: bool = False, **kw) -> LogEntry:
    """A log with session_done = yes. Defaults make it a pass (pain_during <= 3, not stopped early)."""
    return log(day, session_done=True, pain_during=pain_during, stopped_early=stopped_early, **kw)


def failed_session(day: int, **kw) -> LogEntry:
    """A session that fires E2 (pain_during 5 > 3)."""
    kw.setdefault("pain_during", 5)
    return session(day, **kw)


def rest_logs(first: int, last: int, **kw) -> list[LogEntry]:
    """One log per day from `first` to `last` inclusive, rested = yes unless overridden."""
    kw.setdefault("rested", True)
    return [log(n, **kw) for n in range(first, last + 1)]


def check(day: int, **kw) -> CheckEntry:
    """A check on plan day `day`; defaults pass every criterion."""
    return CheckEntry(date=d(day), **kw)


def screen(day: int, outcome: str = "itbs_likely") -> ScreenEntry:
    return ScreenEntry(date=d(day), outcome=outcome)


def run(
    logs: Iterable[LogEntry] = (),
    checks: Iterable[CheckEntry] = (),
    screens: Iterable[ScreenEntry] = (),
    today_day: int = 14,
    start: date = START,
) -> PlanState:
    return compute(
        start_date=start,
        logs=list(logs),
        checks=list(checks),
        screens=list(screens),
        today=start + timedelta(days=today_day - 1),
    )


def ev(day: int, rule: str) -> tuple[date, str]:
    return (d(day), rule)


def rules(state: PlanState) -> list[tuple[date, str]]:
    """The events as (date, rule) pairs, in the order the engine reports them."""
    return [(e.date, e.rule) for e in state.events]


def events_of(state: PlanState, rule: str) -> list:
    return [e for e in state.events if e.rule == rule]


def due(state: PlanState) -> frozenset[str]:
    """Today's exercises as a set (order is not part of the contract); duplicates are a bug."""
    assert len(set(state.exercises_due)) == len(state.exercises_due), state.exercises_due
    return frozenset(state.exercises_due)


def day_entry(state: PlanState, day: int):
    """The `Day` record of plan day `day`."""
    matches = [x for x in state.days if x.date == d(day)]
    assert len(matches) == 1, f"expected exactly one Day for day {day}, got {matches}"
    return matches[0]


def nothing_due(state: PlanState) -> None:
    """plan.md: while paused, referred or complete nothing is due."""
    assert state.session_due is False
    assert state.check_due is False
    assert tuple(state.exercises_due) == ()


# --- Ready-made paths -------------------------------------------------------------------------


def passed_check_path(*extra_logs: LogEntry) -> list[LogEntry]:
    """Rest logs on days 1-13 (rested = yes) plus `extra_logs`. Use with `checks=[check(14)]`."""
    return [*rest_logs(1, 13), *extra_logs]


def passing_sessions(first_day: int, levels: int) -> list[LogEntry]:
    """Passing sessions every other day from `first_day`, `levels` of them."""
    return [session(first_day + 2 * i) for i in range(levels)]
