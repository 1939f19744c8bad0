"""The timeline grid and the pain chart: plain data for the templates (server-rendered SVG, no JS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils.dates import MONTHS, MONTHS_3, WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import PlanPage

PHASE_LABELS = {"rest": gettext_lazy("Rest"), "return": gettext_lazy("Return"), "complete": gettext_lazy("Done")}

WIDTH, HEIGHT = 640, 240
DOTS_UP_TO = 62  # beyond two months of points, the lines alone stay readable
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28


@dataclass(frozen=True)
class Cell:
    """One day of the timeline grid, with its words ready (the grid can hold a year of days, so
    the template only prints; translating and formatting happen here, once per cell)."""

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
    url: str = ""

    @property
    def pain_class(self) -> str:
        return f"pain-{self.pain_worst}"


def _words() -> dict[str, str]:
    """The grid's repeated words, translated once per page rather than once per cell."""
    return {
        "paused": _("paused"),
        "pain": _("pain %(pain)s"),
        "rest_kept": _("rest kept"),
        "not_rested": _("not rested"),
        "pass": _("level %(level)s ✓"),
        "fail": _("level %(level)s: too much"),
        "exercises": _("%(done)s/%(due)s exercises"),
        "day": _("Day %(day)s"),
        **{phase: str(label) for phase, label in PHASE_LABELS.items()},
    }


def _cell_lines(words: dict[str, str], info, log, rested, due: int, done: int) -> tuple[str, ...]:
    phase = words.get(info.phase, "")
    lines = [f"{phase} · {words['paused']}" if info.status == "paused" else phase]
    if log is not None:
        lines.append(words["pain"] % {"pain": log.pain_worst})
        if rested is True:
            lines.append(words["rest_kept"])
        elif rested is False:
            lines.append(words["not_rested"])
    if info.session in ("pass", "fail"):
        lines.append(words[info.session] % {"level": info.level})
    if due:
        lines.append(words["exercises"] % {"done": done, "due": due})
    return tuple(lines)


def timeline_cells(page: PlanPage, *, length: int) -> list[Cell]:
    """One cell per plan day, from day 1 to `length` (future days are empty)."""
    days = {d.date: d for d in page.state.days}
    log_url = reverse("rehab:log", args=["2000-01-01"]).replace("2000-01-01", "{}")
    weekdays = [str(WEEKDAYS_ABBR[n]) for n in range(7)]
    months_short = {n: str(MONTHS_3[n]).title() for n in MONTHS_3}
    months = {n: str(MONTHS[n]) for n in MONTHS}
    words = _words()
    cells = []
    for offset in range(length):
        when = page.plan.start_date + timedelta(days=offset)
        info = days.get(when)
        log = page.logs.get(when)
        due = set(info.exercises_due) if info else set()
        done = len(due & page.done_on(when))
        rested = log.rested if log and info and info.phase == "rest" else None
        cells.append(
            Cell(
                date=when,
                day=offset + 1,
                future=info is None,
                is_today=when == page.state.today,
                phase=info.phase if info else None,
                pain_worst=log.pain_worst if log else None,
                logged=log is not None,
                title=words["day"] % {"day": offset + 1},
                date_label=f"{weekdays[when.weekday()]} {when.day} {months_short[when.month]}",
                date_long=f"{when.day} {months[when.month]}",
                lines=_cell_lines(words, info, log, rested, len(due), done) if info else (),
                url=log_url.format(when.isoformat()),
            )
        )
    return cells


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    worst_path: str
    during_path: str
    worst_points: tuple[tuple[float, float, int, date], ...]
    during_points: tuple[tuple[float, float, int, date], ...]
    y_ticks: tuple[tuple[float, int], ...]
    x_ticks: tuple[tuple[float, int], ...]
    rows: tuple[tuple[str, str, str, str], ...]  # date, day, worst, during: the data table, as text
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not self.rows


def pain_chart(page: PlanPage) -> Chart:
    """`pain_worst` and `pain_during` (0–10) over the plan's days, as SVG coordinates."""
    span = max(30, page.state.day)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: int) -> float:
        return round(LEFT + (day - 1) * plot_w / max(1, span - 1), 1)

    def y(pain: int) -> float:
        return round(TOP + plot_h * (10 - pain) / 10, 1)

    months_short = {n: str(MONTHS_3[n]).title() for n in MONTHS_3}
    rows, worst, during = [], [], []
    for when, log in sorted(page.logs.items()):
        day = (when - page.plan.start_date).days + 1
        if day < 1 or when > page.state.today:
            continue
        during_text = "–" if log.pain_during is None else str(log.pain_during)
        rows.append((f"{when.day} {months_short[when.month]}", str(day), str(log.pain_worst), during_text))
        worst.append((x(day), y(log.pain_worst), log.pain_worst, when))
        if log.pain_during is not None:
            during.append((x(day), y(log.pain_during), log.pain_during, when))

    def path(points) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{px},{py}" for i, (px, py, _v, _d) in enumerate(points))

    step = 7 if span <= 70 else 28
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        worst_path=path(worst),
        during_path=path(during),
        worst_points=tuple(worst) if len(worst) <= DOTS_UP_TO else (),
        during_points=tuple(during) if len(during) <= DOTS_UP_TO else (),
        y_ticks=tuple((y(v), v) for v in (0, 2, 4, 6, 8, 10)),
        x_ticks=tuple((x(d), d) for d in [1, *range(step + 1, span + 1, step)]),
        rows=tuple(rows),
    )
