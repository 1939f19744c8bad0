"""Builders for load.md §6's worked scenarios: "Base P", exactly as written there.

Base P: `running`; G 240 sent with /rehab/start/ (set_on = day 1); build_days = the weekdays of
days 30, 32, 34. A log every day: pain_worst 1 (days 1–13: 2, rested yes), pain_morning 1, no
swelling, symptoms or NSAIDs. The day-14 check passes. Return sessions d14, d16 … d28 pass
(pain_during 1) with running entries 24, 24, 24, 25, 30, 25, 24, 20 min. `dN:m` = a session on
day N (session_done yes, pain_during 1, not stopped, one m-minute run).

Day n is START + (n − 1) days (START is Sunday 1 Nov 2026), so days 30, 32, 34 are Monday,
Wednesday and Friday. Expected values in the tests are worked out by hand from load.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from rehab.progression import Activity, LogEntry, PlanState, ScreenEntry, Target, compute
from tests.rehab.progression_helpers import START, check, d

#: The weekdays of days 30, 32 and 34 (Mon 30 Nov, Wed 2 Dec, Fri 4 Dec 2026).
BUILD_DAYS = ("mon", "wed", "fri")

RETURN_RUNS = {14: 24, 16: 24, 18: 24, 20: 25, 22: 30, 24: 25, 26: 24, 28: 20}
W1 = {30: 20, 32: 20, 34: 20}
W2 = {37: 22, 39: 22, 41: 22}
W3 = {44: 25, 46: 24, 48: 24}
W4 = {51: 27, 53: 27, 55: 26}
W5 = {58: 27, 60: 27, 62: 26}


def weeks(*parts: Mapping[int, int]) -> dict[int, int]:
    """Merge session tables, e.g. weeks(W1, W2, {44: 25})."""
    merged: dict[int, int] = {}
    for part in parts:
        merged.update(part)
    return merged


def run_(minutes: int, kind: str = "running", **kw) -> Activity:
    return Activity(kind=kind, duration_min=minutes, **kw)


def base_log(n: int) -> LogEntry:
    """Base P's log on day n (no session)."""
    if n <= 13:
        return LogEntry(date=d(n), pain_worst=2, pain_morning=1, rested=True, swelling="none", nsaid=False)
    return LogEntry(date=d(n), pain_worst=1, pain_morning=1, swelling="none", nsaid=False)


def session_log(n: int, minutes: int) -> LogEntry:
    """`dN:m`: session_done yes, pain_during 1, not stopped, one m-minute run."""
    return replace(base_log(n), session_done=True, pain_during=1, stopped_early=False, activities=(run_(minutes),))


def p_logs(
    today: int,
    sessions: Mapping[int, int] = (),
    changes: Mapping[int, dict] | None = None,
    no_logs: Iterable[int] = (),
    extra: Mapping[int, Iterable[Activity]] | None = None,
) -> list[LogEntry]:
    """Base P's logs for days 1..today, with build `sessions` {day: minutes}, field `changes`
    {day: {field: value}}, `extra` activity entries {day: [Activity]} and days with no log."""
    sessions = dict(sessions)
    skip = set(no_logs)
    logs = []
    for n in range(1, today + 1):
        if n in skip:
            continue
        if n in RETURN_RUNS:
            entry = session_log(n, RETURN_RUNS[n])
        elif n in sessions:
            entry = session_log(n, sessions[n])
        else:
            entry = base_log(n)
        if extra and n in extra:
            entry = replace(entry, activities=entry.activities + tuple(extra[n]))
        if changes and n in changes:
            entry = replace(entry, **changes[n])
        logs.append(entry)
    return logs


def p_target(goal: int | None = 240, set_on: int = 1, build_days: tuple[str, ...] = BUILD_DAYS) -> Target | None:
    return None if goal is None else Target(minutes=goal, set_on=d(set_on), build_days=build_days)


def p_run(
    today: int,
    sessions: Mapping[int, int] = (),
    *,
    goal: int | None = 240,
    set_on: int = 1,
    changes: Mapping[int, dict] | None = None,
    no_logs: Iterable[int] = (),
    extra: Mapping[int, Iterable[Activity]] | None = None,
    screens: Iterable[ScreenEntry] = (),
    checks=None,
    logs: Iterable[LogEntry] | None = None,
    activity: str = "running",
) -> PlanState:
    """Replay Base P (with the given additions) up to day `today`."""
    return compute(
        start_date=START,
        logs=list(logs) if logs is not None else p_logs(today, sessions, changes, no_logs, extra),
        checks=list(checks) if checks is not None else [check(14)],
        screens=list(screens),
        today=d(today),
        target=p_target(goal, set_on),
        activity=activity,
    )


def build_events(state: PlanState) -> list[tuple[int, str]]:
    """Events as (plan day, rule) pairs, from day 28 on (the 2026.1 path before is tested
    elsewhere)."""
    return [((e.date - START).days + 1, e.rule) for e in state.events if (e.date - START).days + 1 >= 28]


def outcomes(state: PlanState) -> list[str | None]:
    return [w.outcome for w in state.weeks]


def targets(state: PlanState) -> list[int]:
    return [w.target_minutes for w in state.weeks]
