"""The timeline's window, grid and pain chart: plain data for the templates (server-rendered SVG, no JS).

The page shows one window of days: the plan's days (1 to 30, or up to day 43 while the plan runs
on), or, once a plan is older than that, one calendar month at a time with earlier/later links.
The whole history stays in the data table behind a link, and in the export.

The chart is drawn in CSS pixels vertically and in percentages of its width horizontally, with no
`viewBox`: it spans the width of any screen and its text is never scaled down (13 CSS px on a
390 px phone as on a desktop).

Each function reads a `page`: the plan, its state and the rows the page read (`selectors.PlanPage`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS_ABBR
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kit.dates import EARLIEST, LATEST

from .explain import describe_all
from .progression import E5_DAY, PAUSED, PLAN_DAYS, REST, Event

PHASE_LABELS = {
    "rest": gettext_lazy("Rest"),
    "return": gettext_lazy("Return"),
    "build": gettext_lazy("Build-back"),
    "complete": gettext_lazy("Done"),
}

#: The chart's height and its bands, in CSS px; x runs from X0 % to X1 % of the width.
HEIGHT, TOP, BOTTOM = 270, 44, 30
X0, X1 = 8.0, 97.0
#: The session rule's line: above 3/10 during a session, stop (plan.md, pain-monitoring model).
STOP_ABOVE = 3

#: Marker kinds, in legend order: the glyph drawn above the plot and its legend words.
MARKERS = {
    "check": ("■", gettext_lazy("progress check taken")),
    "return": ("▲", gettext_lazy("graded return starts")),
    "setback": ("▼", gettext_lazy("a step back (level down, a flare, rest again or rest extended)")),
    "clinician": ("◆", gettext_lazy("see a clinician (plan paused or stopped)")),
    "other": ("●", gettext_lazy("another change to the plan")),
}
#: The kind of marker each engine rule gets; a rule not listed (a future one) is "other".
#: `pass` is the plan going as planned: it shows as "level n ✓" in the grid, not as a marker.
RULE_MARKER = {
    "check_pass": "return",
    "check_extend": "setback",
    "E2": "setback",
    "E3": "setback",
    "E4": "setback",
    "check_refer": "clinician",
    "E1": "clinician",
    "E5": "clinician",
}
NOT_MARKED = {"pass"}

MONTH_PARAM = re.compile(r"^(\d{4})-(\d{2})$")


# --- The window -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    first: date
    last: date
    label: str
    earlier: str = ""  # query strings ("?month=2026-10"), empty when there is none
    later: str = ""
    is_default: bool = True
    refused: bool = False  # the month asked for was not a month of this plan

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def _month_param(day: date) -> str:
    return f"?month={day.year:04d}-{day.month:02d}"


def plan_end(page) -> date:
    """The last day the timeline can show: day 30, or today once the plan is past day 30."""
    return page.plan.start_date + timedelta(days=max(PLAN_DAYS, page.state.day) - 1)


def timeline_window(page, month: str | None) -> Window:
    """The window for `?month=YYYY-MM` (None: the default); a bad or foreign month gets the default."""
    start, end, today = page.plan.start_date, plan_end(page), page.state.today
    asked = _parse_month(month, start, end) if month else None
    refused = bool(month) and asked is None
    if asked is None and page.state.day <= E5_DAY:
        return Window(
            first=start,
            last=end,
            label=_("The plan's days: 1–%(last)s") % {"last": (end - start).days + 1},
            refused=refused,
        )
    bounds = asked or _month_bounds(today.year, today.month)
    first, last = max(start, bounds[0]), min(end, bounds[1])
    return Window(
        first=first,
        last=last,
        label=_("%(month)s: days %(first)s–%(last)s")
        % {
            "month": date_format(first, "YEAR_MONTH_FORMAT"),
            "first": (first - start).days + 1,
            "last": (last - start).days + 1,
        },
        earlier=_month_param(first - timedelta(days=1)) if first > start else "",
        later=_month_param(last + timedelta(days=1)) if last < end else "",
        is_default=asked is None,
        refused=refused,
    )


def _parse_month(value: str, start: date, end: date) -> tuple[date, date] | None:
    match = MONTH_PARAM.match(value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and EARLIEST.year <= year <= LATEST.year):
        return None  # before the window's arithmetic, which overflows at the calendar's ends
    first, last = _month_bounds(year, month)
    return (first, last) if last >= start and first <= end else None


# --- The grid -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One day of the timeline grid, with its words ready (translating and formatting happen here,
    once per cell; the template only prints)."""

    date: date
    day: int
    future: bool
    is_today: bool
    phase: str | None
    pain_worst: int | None
    logged: bool
    title: str = ""
    date_label: str = ""
    date_long: str = ""
    lines: tuple[str, ...] = ()
    markers: str = ""  # the glyphs of the day's chart markers, for sighted people matching them up
    note: bool = False
    url: str = ""

    @property
    def pain_class(self) -> str:
        return f"pain-{self.pain_worst}"


def _words() -> dict[str, str]:
    """The grid's repeated words, translated once per page rather than once per cell."""
    return {
        "paused": _("paused"),
        "pain": _("pain %(pain)s"),
        "morning": _("morning %(pain)s"),
        "rest_kept": _("rest kept"),
        "not_rested": _("not rested"),
        "pass": _("level %(level)s ✓"),
        "fail": _("level %(level)s: too much"),
        "exercises": _("%(done)s/%(due)s exercises"),
        "day": _("Day %(day)s"),
        "check": _("check taken"),
        "check_pass": _("check passed: return starts"),
        "check_extend": _("rest extended"),
        "check_refer": _("see a clinician"),
        "E1": _("warning sign: paused"),
        "E2": _("too much: no session tomorrow"),
        "E3": _("flare: no session tomorrow"),
        "E4": _("back to rest"),
        "E5": _("6 weeks: see a clinician"),
        "E6": _("painkiller advice"),
        "complete": _("plan complete"),
        "resume": _("plan resumed"),
        "other": _("plan change (%(rule)s)"),
        # Build-back (load.md): a session has no level there, and the weeks have outcomes.
        "build_pass": _("session ✓"),
        "build_fail": _("session: too much"),
        "build_start": _("build-back starts"),
        "week_up": _("week: moved up"),
        "week_hold": _("week: held"),
        "week_down": _("week: stepped down"),
        "week_missed": _("week: missed"),
        "week_absent": _("week: missed again"),
        "week_at_goal": _("week: at your goal"),
        "L1": _("load jump"),
        "L2": _("long session"),
        **{phase: str(label) for phase, label in PHASE_LABELS.items()},
    }


def _event_line(words: dict[str, str], event: Event) -> str:
    return words.get(event.rule) or words["other"] % {"rule": event.rule}


def _cell_lines(words, info, log, rested, due: int, done: int, checked: bool) -> tuple[str, ...]:
    phase = words.get(info.phase, "")
    lines = [f"{phase} · {words['paused']}" if info.status == PAUSED else phase]
    if log is not None:
        lines.append(words["pain"] % {"pain": log.pain_worst})
        if log.pain_morning is not None:
            lines.append(words["morning"] % {"pain": log.pain_morning})
        if rested is True:
            lines.append(words["rest_kept"])
        elif rested is False:
            lines.append(words["not_rested"])
    if checked:
        lines.append(words["check"])
    if info.session in ("pass", "fail"):
        key = info.session if info.level is not None else f"build_{info.session}"
        lines.append(words[key] % {"level": info.level})
    lines.extend(_event_line(words, event) for event in info.events if event.rule not in NOT_MARKED)
    if due:
        lines.append(words["exercises"] % {"done": done, "due": due})
    return tuple(lines)


def _marker_kinds(events, checked: bool) -> list[str]:
    kinds = ["check"] if checked else []
    for event in events:
        if event.rule not in NOT_MARKED:
            kind = RULE_MARKER.get(event.rule, "other")
            if kind not in kinds:
                kinds.append(kind)
    return kinds


def timeline_cells(page, window: Window) -> list[Cell]:
    """One cell per day of the window (days after today are empty, "to come")."""
    days = {d.date: d for d in page.state.days_between(window.first, window.last)}
    log_url = reverse("rehab:log", args=["2000-01-01"]).replace("2000-01-01", "{}")
    weekdays = [str(WEEKDAYS_ABBR[n]) for n in range(7)]
    months_short = {n: str(MONTHS_3[n]).title() for n in MONTHS_3}
    months = {n: str(MONTHS[n]) for n in MONTHS}
    words = _words()
    cells = []
    for offset in range(window.days):
        when = window.first + timedelta(days=offset)
        day = (when - page.plan.start_date).days + 1
        info = days.get(when)
        log = page.logs.get(when)
        checked = when in page.checks
        due = set(info.exercises_due) if info else set()
        done = len(due & page.done_on(when))
        rested = log.rested if log and info and info.phase == REST else None
        kinds = _marker_kinds(info.events, checked) if info else []
        cells.append(
            Cell(
                date=when,
                day=day,
                future=info is None,
                is_today=when == page.state.today,
                phase=info.phase if info else None,
                pain_worst=log.pain_worst if log else None,
                logged=log is not None,
                title=words["day"] % {"day": day},
                date_label=f"{weekdays[when.weekday()]} {when.day} {months_short[when.month]}",
                date_long=f"{when.day} {months[when.month]}",
                lines=_cell_lines(words, info, log, rested, len(due), done, checked) if info else (),
                markers=" ".join(MARKERS[kind][0] for kind in kinds),
                note=bool(log and log.notes),
                url=log_url.format(when.isoformat()),
            )
        )
    return cells


# --- The chart and its table ----------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    name: str  # "worst", "morning", "during": CSS classes line-<name> and dot-<name>
    segments: tuple[tuple[float, float, float, float], ...]  # x1 %, y1 px, x2 %, y2 px
    points: tuple[tuple[float, float], ...]  # x %, y px


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    kind: str
    glyph: str


@dataclass(frozen=True)
class Row:
    date: str
    day: str
    worst: str
    morning: str
    during: str
    markers: str
    events: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class Chart:
    series: tuple[Series, ...]
    markers: tuple[Marker, ...]
    marker_lines: tuple[float, ...]  # x % of each marked day: a thin vertical line
    y_ticks: tuple[tuple[float, int], ...]
    x_ticks: tuple[tuple[float, str], ...]
    stop_y: float
    rows: tuple[Row, ...]
    legend: tuple[tuple[str, str, str], ...]  # kind, glyph, words: only the kinds drawn
    height: int = HEIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    x0: float = X0
    x1: float = X1

    @property
    def empty(self) -> bool:
        return not any(series.points for series in self.series)

    @property
    def label_y(self) -> int:
        return self.height - 10

    @property
    def stop_label_y(self) -> float:
        return round(self.stop_y - 5, 1)


def _y(pain: int) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (10 - pain) / 10, 1)


def pain_chart(page, window: Window) -> Chart:
    """Worst, morning and session pain (0–10) over the window's days, with the checks and every
    plan-changing event marked, a line at 3, and the same facts as table rows."""
    start, span = page.plan.start_date, max(1, window.days - 1)

    def x(when: date) -> float:
        return round(X0 + (X1 - X0) * (when - window.first).days / span, 2)

    in_window = [(when, log) for when, log in sorted(page.logs.items()) if window.first <= when <= window.last]
    logged = {when for when, _log in in_window}
    worst = _series("worst", [(when, log.pain_worst) for when, log in in_window], x, logged, joins=_next_day)
    morning = _series("morning", [(when, log.pain_morning) for when, log in in_window], x, logged, joins=_next_day)
    during = _series("during", [(when, log.pain_during) for when, log in in_window], x, logged, joins=_all_logged)

    events = [e for e in page.state.events if window.first <= e.date <= window.last and e.rule not in NOT_MARKED]
    checks = [when for when in page.checks if window.first <= when <= window.last]
    by_day: dict[date, list[str]] = {}
    for when in sorted(checks):
        by_day.setdefault(when, []).append("check")
    for event in events:
        kinds = by_day.setdefault(event.date, [])
        kind = RULE_MARKER.get(event.rule, "other")
        if kind not in kinds:
            kinds.append(kind)
    markers = tuple(
        Marker(x(when), 9 + 13 * min(i, 2), kind, MARKERS[kind][0])
        for when, kinds in sorted(by_day.items())
        for i, kind in enumerate(kinds)
    )
    drawn = {marker.kind for marker in markers}
    said = describe_all(page.state, events, page.plan.activity, flare_words=True, build_days=page.plan.build_days)
    words = dict(zip(map(id, events), said, strict=True))
    events_on: dict[date, list[str]] = {}
    for event in events:
        if words[id(event)]:  # a date's flare is one message, given with its first event
            events_on.setdefault(event.date, []).append(words[id(event)])
    months_short = {n: str(MONTHS_3[n]).title() for n in MONTHS_3}
    rows = []
    for when in sorted(logged | by_day.keys()):
        log = page.logs.get(when)
        rows.append(
            Row(
                date=f"{when.day} {months_short[when.month]}",
                day=str((when - start).days + 1),
                worst=_text(log.pain_worst if log else None),
                morning=_text(log.pain_morning if log else None),
                during=_text(log.pain_during if log else None),
                markers=" ".join(MARKERS[kind][0] for kind in by_day.get(when, ())),
                events=tuple(([_("Progress check taken.")] if when in page.checks else []) + events_on.get(when, [])),
                notes=log.notes if log else "",
            )
        )
    return Chart(
        series=(worst, morning, during),
        markers=markers,
        marker_lines=tuple(sorted({marker.x for marker in markers})),
        y_ticks=tuple((_y(v), v) for v in (0, 2, 4, 6, 8, 10)),
        x_ticks=_x_ticks(window, start, x),
        stop_y=_y(STOP_ABOVE),
        rows=tuple(rows),
        legend=tuple((kind, glyph, str(label)) for kind, (glyph, label) in MARKERS.items() if kind in drawn),
    )


def _text(value: int | None) -> str:
    return "–" if value is None else str(value)


def _next_day(a: date, b: date, logged: set[date]) -> bool:
    return (b - a).days == 1


def _all_logged(a: date, b: date, logged: set[date]) -> bool:
    """Sessions fall every other day: join two when every day between them was logged."""
    return all(a + timedelta(days=n) in logged for n in range(1, (b - a).days))


def _series(name: str, values, x, logged: set[date], *, joins) -> Series:
    points = [(when, x(when), _y(value)) for when, value in values if value is not None]
    segments = tuple(
        (px, py, qx, qy) for (a, px, py), (b, qx, qy) in zip(points, points[1:], strict=False) if joins(a, b, logged)
    )
    return Series(name, segments, tuple((px, py) for _when, px, py in points))


def _x_ticks(window: Window, start: date, x) -> tuple[tuple[float, str], ...]:
    """A label every 7 days from the window's first day; none so close to the right edge that it
    would be cut off."""
    ticks = []
    for offset in range(0, window.days, 7):
        when = window.first + timedelta(days=offset)
        if offset and x(when) > 88:
            break
        ticks.append((x(when), _("day %(day)s") % {"day": (when - start).days + 1}))
    return tuple(ticks)


# --- Build-back: the load-vs-pain chart (load.md §5) ---------------------------------------------

OUTCOME_WORDS = {
    "up": gettext_lazy("went well: moved up"),
    "hold": gettext_lazy("held at the same minutes"),
    "down": gettext_lazy("stepped down (load and pain rose together)"),
    "missed": gettext_lazy("too little logged: repeated"),
    "absent": gettext_lazy("too little logged again: restarted lower"),
    "at_goal": gettext_lazy("at your usual week"),
    "step_back": gettext_lazy("ended early: a step back"),
}
#: Pain is drawn on its own 0–10 scale on the right; minutes on the left.
BUILD_X0, BUILD_X1 = 11.0, 91.0


@dataclass(frozen=True)
class BuildBar:
    x: float  # left edge, % of the width
    width: float  # %
    main_y: float
    main_height: float
    other_y: float
    other_height: float
    target_y: float
    pain_y: float | None
    step_back: bool
    label: str
    current: bool

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class BuildRow:
    week: str
    dates: str
    target: int
    done: int
    other: int
    load_au: int
    pain: str
    outcome: str


@dataclass(frozen=True)
class BuildChart:
    bars: tuple[BuildBar, ...]
    target_steps: tuple[tuple[float, float, float], ...]  # x1 %, x2 %, y px of each week's target
    goal_y: float | None
    y_ticks: tuple[tuple[float, int], ...]  # minutes, on the left
    pain_ticks: tuple[tuple[float, int], ...]  # pain 0–10, on the right
    rows: tuple[BuildRow, ...]
    height: int = HEIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    x0: float = BUILD_X0
    x1: float = BUILD_X1

    @property
    def empty(self) -> bool:
        return not self.bars

    @property
    def label_y(self) -> int:
        return self.height - 10

    @property
    def goal_label_y(self) -> float:
        return round((self.goal_y or 0) - 5, 1)

    @property
    def pain_x(self) -> float:
        return self.x1 + 1.5

    @property
    def has_other(self) -> bool:
        return any(bar.other_height for bar in self.bars)

    @property
    def has_step_back(self) -> bool:
        return any(bar.step_back for bar in self.bars)


def _minutes_scale(top_value: int) -> int:
    """A round top for the minutes axis: the next multiple of 30 (60 at least)."""
    return max(60, -(-top_value // 30) * 30)


def build_chart(state, goal: int | None) -> BuildChart:
    """Weekly main-kind minutes stacked with the other knee minutes, each week's target as a step
    line, the goal dashed, the week's highest session pain as a dot (0–10, right axis) and the
    step-backs marked; the same facts as rows of a table."""
    weeks = list(state.weeks)
    plot = HEIGHT - TOP - BOTTOM
    top_value = _minutes_scale(
        max(
            [goal or 0]
            + [w.knee_minutes for w in weeks]
            + [w.done_minutes for w in weeks]
            + [w.target_minutes for w in weeks]
        )
    )

    def y_minutes(value: int) -> float:
        return round(TOP + plot * (top_value - min(value, top_value)) / top_value, 1)

    def y_pain(value: int) -> float:
        return round(TOP + plot * (10 - value) / 10, 1)

    count = max(1, len(weeks))
    band = (BUILD_X1 - BUILD_X0) / count
    bars, steps, rows = [], [], []
    months_short = {n: str(MONTHS_3[n]).title() for n in MONTHS_3}
    for i, week in enumerate(weeks):
        left = BUILD_X0 + band * i
        other = max(0, week.knee_minutes - week.done_minutes)
        main_top = y_minutes(week.done_minutes)
        other_top = y_minutes(week.done_minutes + other)
        label = _("%(index)s") % {"index": week.index}
        bars.append(
            BuildBar(
                x=round(left + band * 0.15, 2),
                width=round(band * 0.7, 2),
                main_y=main_top,
                main_height=round(HEIGHT - BOTTOM - main_top, 1),
                other_y=other_top,
                other_height=round(main_top - other_top, 1),
                target_y=y_minutes(week.target_minutes),
                pain_y=None if week.max_pain_during is None else y_pain(week.max_pain_during),
                step_back=week.outcome == "step_back",
                label=label,
                current=week.outcome is None and not week.interrupted,
            )
        )
        steps.append((round(left, 2), round(left + band, 2), y_minutes(week.target_minutes)))
        if week.outcome is None:
            outcome = _("stopped: plan paused") if week.interrupted else _("this week, so far")
        else:
            outcome = str(OUTCOME_WORDS.get(week.outcome, week.outcome))
        rows.append(
            BuildRow(
                week=(
                    _("Week %(index)s") % {"index": week.index}
                    if week.build == 1
                    else _("Build %(build)s, week %(index)s") % {"build": week.build, "index": week.index}
                ),
                dates=f"{week.start.day} {months_short[week.start.month]}–{week.end.day} {months_short[week.end.month]}",
                target=week.target_minutes,
                done=week.done_minutes,
                other=other,
                load_au=week.load_au,
                pain=_text(week.max_pain_during),
                outcome=outcome,
            )
        )
    ticks = sorted({0, top_value // 2, top_value})
    return BuildChart(
        bars=tuple(bars),
        target_steps=tuple(steps),
        goal_y=y_minutes(goal) if goal else None,
        y_ticks=tuple((y_minutes(v), v) for v in ticks),
        pain_ticks=tuple((y_pain(v), v) for v in (0, 5, 10)),
        rows=tuple(rows),
    )


def activity_text(entry) -> str:
    """One activity entry in words: "Running 20 min · 3.2 km · effort 3"."""
    from .forms import KIND_CHOICES  # the activity rows' own wording (forms import no charts)

    kind = dict(KIND_CHOICES).get(entry.kind, entry.kind)
    parts = [_("%(kind)s %(minutes)s min") % {"kind": kind, "minutes": entry.duration_min}]
    if entry.distance_km is not None:
        parts.append(_("%(km)s km") % {"km": entry.distance_km})
    if entry.rpe is not None:
        parts.append(_("effort %(rpe)s") % {"rpe": entry.rpe})
    return " · ".join(parts)


def activity_days(page, window: Window) -> list[tuple[date, str]]:
    """The window's days with activity entries, each with its entries in words (the timeline)."""
    return [
        (when, "; ".join(activity_text(e) for e in log.activities))
        for when, log in sorted(page.logs.items())
        if window.first <= when <= window.last and log.activities
    ]


# --- The plan's chapters: rest, return, build-back ------------------------------------------------


@dataclass(frozen=True)
class PhaseSpan:
    phase: str
    label: str
    first_day: int
    last_day: int
    current: bool


def phase_spans(state) -> tuple[PhaseSpan, ...]:
    """The plan's phases as chapters, in order (rest, return, build-back; a phase that comes back,
    after E4 or a pause, is a new chapter), each with its first and last plan day."""
    spans: list[list] = []
    for info in state.days:
        phase = str(info.phase)
        if phase == "complete":
            continue
        if spans and spans[-1][0] == phase:
            spans[-1][2] = info.day
        else:
            spans.append([phase, info.day, info.day])
    last = len(spans) - 1
    return tuple(
        PhaseSpan(phase, str(PHASE_LABELS.get(phase, phase)), first, end, i == last and state.status == "active")
        for i, (phase, first, end) in enumerate(spans)
    )
