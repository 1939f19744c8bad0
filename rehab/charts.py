"""The timeline grid and the pain chart: plain data for the templates (server-rendered SVG, no JS)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .selectors import PlanPage

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 36, 12, 12, 28


@dataclass(frozen=True)
class Cell:
    date: date
    day: int
    future: bool
    is_today: bool
    phase: str | None
    status: str | None
    pain_worst: int | None
    pain_during: int | None
    rested: bool | None
    session: str | None
    level: int | None
    due: int
    done: int
    events: tuple[str, ...]
    logged: bool


def timeline_cells(page: PlanPage, *, length: int) -> list[Cell]:
    """One cell per plan day, from day 1 to `length` (future days are empty)."""
    days = {d.date: d for d in page.state.days}
    cells = []
    for offset in range(length):
        when = page.plan.start_date + timedelta(days=offset)
        info = days.get(when)
        log = page.logs.get(when)
        due = set(info.exercises_due) if info else set()
        cells.append(
            Cell(
                date=when,
                day=offset + 1,
                future=info is None,
                is_today=when == page.state.today,
                phase=info.phase if info else None,
                status=info.status if info else None,
                pain_worst=log.pain_worst if log else None,
                pain_during=log.pain_during if log else None,
                rested=log.rested if log and info and info.phase == "rest" else None,
                session=info.session if info else None,
                level=info.level if info else None,
                due=len(due),
                done=len(due & page.done_on(when)),
                events=tuple(e.rule for e in info.events) if info else (),
                logged=log is not None,
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
    rows: tuple[tuple[date, int, int | None, int | None], ...]  # date, day, worst, during (the data table)
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

    rows, worst, during = [], [], []
    for when, log in sorted(page.logs.items()):
        day = (when - page.plan.start_date).days + 1
        if day < 1 or when > page.state.today:
            continue
        rows.append((when, day, log.pain_worst, log.pain_during))
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
        worst_points=tuple(worst),
        during_points=tuple(during),
        y_ticks=tuple((y(v), v) for v in (0, 2, 4, 6, 8, 10)),
        x_ticks=tuple((x(d), d) for d in [1, *range(step + 1, span + 1, step)]),
        rows=tuple(rows),
    )
