"""The usual-week chart: a server-rendered SVG of weekly knee minutes before the pain (the plan's
activity dark, other knee-bending kinds light on top), the usual week dashed and weeks with a
spike marked; the same numbers are the page's table. Geometry only; words are the template's."""

from __future__ import annotations

from dataclasses import dataclass

from .usual import Usual

HEIGHT, TOP, BOTTOM = 200, 28, 30
X0, X1 = 9.0, 99.0  # % of the width: room for the minutes axis on the left


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    main_y: float
    main_height: float
    other_y: float
    other_height: float
    label: str
    spike: bool

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    usual_y: float | None
    y_ticks: tuple[tuple[float, int], ...]
    height: int = HEIGHT
    top: int = TOP
    bottom_edge: int = HEIGHT - BOTTOM
    x0: float = X0
    x1: float = X1

    @property
    def label_y(self) -> int:
        return self.height - 10

    @property
    def has_other(self) -> bool:
        return any(bar.other_height for bar in self.bars)

    @property
    def has_spike(self) -> bool:
        return any(bar.spike for bar in self.bars)


def _scale(value: int) -> int:
    for step in (30, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200, 1800, 2400, 3600):
        if value <= step:
            return step
    return ((value + 599) // 600) * 600


def usual_chart(usual: Usual, activity: str) -> Chart:
    usual_total = sum(usual.minutes.values())
    top = _scale(max([usual_total, 1] + [week.knee_minutes for week in usual.weeks]))
    plot = HEIGHT - TOP - BOTTOM

    def y(value: int) -> float:
        return round(TOP + plot * (top - min(value, top)) / top, 1)

    spiky = {week.index for week in usual.weeks for spike in usual.spikes if week.start <= spike.day <= week.end}
    band = (X1 - X0) / max(1, len(usual.weeks))
    bars = []
    for i, week in enumerate(usual.weeks):
        main = week.minutes.get(activity, 0)
        main_top, other_top = y(main), y(week.knee_minutes)
        bars.append(
            Bar(
                x=round(X0 + band * i + band * 0.15, 2),
                width=round(band * 0.7, 2),
                main_y=main_top,
                main_height=round(HEIGHT - BOTTOM - main_top, 1),
                other_y=other_top,
                other_height=round(main_top - other_top, 1),
                label=f"{week.start.day}/{week.start.month}",
                spike=week.index in spiky,
            )
        )
    return Chart(
        bars=tuple(bars),
        usual_y=y(usual_total) if usual_total else None,
        y_ticks=tuple((y(v), v) for v in sorted({0, top // 2, top})),
    )
