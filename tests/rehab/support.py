"""Shared by the rehab tests: the frozen moment and helpers to read rendered HTML; the engine's
black-box builders in plan day numbers; build-back's Base P (load.md §6); posting logs through the
log form; plans at a given point.

Day n is START + (n - 1) days (plan.md, "Shape of the plan": day n = (date - start_date).days + 1).
Expected values in the tests are derived by hand from the domain documents, never from the
implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from django.test import Client

from rehab.progression import Activity, CheckEntry, LogEntry, PlanState, ScreenEntry, Target, compute
from tests.factories import make_check, make_log, make_plan

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


def elements(node):
    """Every element below a `django.test.html` node, depth first."""
    from django.test.html import Element

    for child in getattr(node, "children", ()):
        if isinstance(child, Element):
            yield child
            yield from elements(child)


def text(node) -> str:
    return " ".join(child if isinstance(child, str) else text(child) for child in node.children)


def field_group_text(root, name: str) -> str:
    """The text of the field group (label or legend, help, errors, inputs) below `root` that holds
    the input called `name`."""
    import html

    for element in elements(root):
        classes = (dict(element.attributes).get("class") or "").split()
        if "field" in classes and any(dict(e.attributes).get("name") == name for e in elements(element)):
            return html.unescape(text(element))
    raise AssertionError(f"no field group holds an input named {name!r}")


def text_of(response) -> str:
    import html

    return html.unescape(response.content.decode())


# --- The engine's black-box builders (rehab.progression.compute) ----------------------------------

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


# --- Build-back: Base P of load.md §6 ---------------------------------------------------------------
# Base P, exactly as written there: `running`; G 240 sent with /rehab/start/ (set_on = day 1);
# build_days = the weekdays of days 30, 32, 34. A log every day: pain_worst 1 (days 1–13: 2, rested
# yes), pain_morning 1, no swelling, symptoms or NSAIDs. The day-14 check passes. Return sessions
# d14, d16 … d28 pass (pain_during 1) with running entries 24, 24, 24, 25, 30, 25, 24, 20 min.
# `dN:m` = a session on day N (session_done yes, pain_during 1, not stopped, one m-minute run).
# START is Sunday 1 Nov 2026, so days 30, 32, 34 are Monday, Wednesday and Friday.

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


# --- Logs through the log form ----------------------------------------------------------------------


def yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def log_data(entry) -> dict:
    """The log form's POST for an engine `LogEntry`, its activities as the formset's rows."""
    data = {
        "pain_worst": entry.pain_worst,
        "pain_morning": "" if entry.pain_morning is None else entry.pain_morning,
        "rested": "yes",  # asked only in rest; Base P rests on every rest day
        "swelling": entry.swelling or "",
        "nsaid": yes_no(entry.nsaid),
        "new_symptoms": list(entry.new_symptoms),
        "notes": "",
        "activities-TOTAL_FORMS": len(entry.activities) + 1,  # one blank row: ignored
        "activities-INITIAL_FORMS": 0,
    }
    if entry.session_done is not None:
        data["session_done"] = yes_no(entry.session_done)
        data["pain_during"] = "" if entry.pain_during is None else entry.pain_during
        data["stopped_early"] = yes_no(entry.stopped_early)
    for i, activity in enumerate(entry.activities):
        data[f"activities-{i}-kind"] = activity.kind
        data[f"activities-{i}-duration_min"] = activity.duration_min
        data[f"activities-{i}-distance_km"] = "" if activity.distance_km is None else activity.distance_km
        data[f"activities-{i}-rpe"] = "" if activity.rpe is None else activity.rpe
    return {key: value for key, value in data.items() if value != "" or key.startswith("activities-")}


def post_logs(client: Client, logs) -> None:
    for entry in logs:
        response = client.post(f"/rehab/log/{entry.date.isoformat()}/", log_data(entry))
        assert response.status_code == 302, (entry.date, response.context and response.context["form"].errors)


def return_at_level_3(user, activity: str = "running"):
    """The check passed on day 14 (its date is the first session day); two passes since: level 3."""
    start = TODAY - timedelta(days=19)
    plan = make_plan(user, start_date=start, activity=activity)
    for n in range(13):
        make_log(plan, start + timedelta(days=n), pain_worst=1, rested=True)
    make_check(plan, start + timedelta(days=13))
    for n in (13, 15):
        make_log(plan, start + timedelta(days=n), pain_worst=1, session_done=True, pain_during=1, stopped_early=False)
    return plan
