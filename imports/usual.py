"""The usual week from imported history (pure): weekly knee minutes and km per kind over the
4–8 weeks before the pain began, their mean as the build-back target, and load.md's L2 spikes
in those weeks (a session over 10% longer than the longest of the 30 days before it).

Weeks are counted back from the day before the pain began: week 1 = [P−7, P−1], week i =
[P−7i, P−7i+6]. Only whole weeks the history reaches are used (a week is covered when the first
imported activity is on or before its first day), up to 8; fewer than 4 is not enough to call
usual. A covered week with nothing in it counts as a week of 0 (rest weeks are part of usual).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from types import SimpleNamespace

from rehab.buildback import KNEE_KINDS, L2_LOOKBACK, Activity, LoadIndex, r

MIN_WEEKS, MAX_WEEKS = 4, 8
#: The order kinds are listed and stacked in.
KNEE_ORDER = ("running", "cycling", "hiking", "gym", "other")


@dataclass(frozen=True)
class Entry:
    day: date
    kind: str
    minutes: int
    km: Decimal | None = None


@dataclass
class Week:
    index: int
    start: date
    end: date
    minutes: dict[str, int] = field(default_factory=dict)
    km: dict[str, Decimal] = field(default_factory=dict)

    @property
    def knee_minutes(self) -> int:
        return sum(self.minutes.values())


@dataclass(frozen=True)
class Spike:
    day: date
    minutes: int
    longest: int  # the longest of the 30 days before (or level 8's minutes when there was none)
    after_break: bool = False  # none of the plan's activity in the 30 days before


@dataclass
class Usual:
    pain_began: date
    first_history: date | None
    weeks: list[Week]  # oldest first
    minutes: dict[str, int]  # per knee kind with any minutes, the weekly mean (rounded half up)
    km: dict[str, Decimal | None]
    spikes: list[Spike]

    @property
    def enough(self) -> bool:
        return len(self.weeks) >= MIN_WEEKS

    def kinds(self) -> list[str]:
        return [kind for kind in KNEE_ORDER if self.minutes.get(kind)]


def usual_week(entries: list[Entry], *, pain_began: date, activity: str, first_history: date | None = None) -> Usual:
    """`first_history`: the earliest imported day (default: the earliest of `entries`), which
    decides how many weeks the history covers."""
    first = first_history or min((entry.day for entry in entries), default=None)
    weeks: list[Week] = []
    if first is not None:
        for i in range(1, MAX_WEEKS + 1):
            start = pain_began - timedelta(days=7 * i)
            if start < first:
                break
            weeks.append(Week(index=i, start=start, end=start + timedelta(days=6)))
    weeks.reverse()
    by_start = {week.start: week for week in weeks}
    for entry in entries:
        if entry.kind not in KNEE_KINDS or not weeks or not weeks[0].start <= entry.day <= weeks[-1].end:
            continue
        offset = (entry.day - weeks[0].start).days // 7
        week = by_start[weeks[0].start + timedelta(days=7 * offset)]
        week.minutes[entry.kind] = week.minutes.get(entry.kind, 0) + entry.minutes
        if entry.km is not None:
            week.km[entry.kind] = week.km.get(entry.kind, Decimal(0)) + entry.km
    n = len(weeks)
    minutes: dict[str, int] = {}
    km: dict[str, Decimal | None] = {}
    if n:
        for kind in KNEE_ORDER:
            total = sum(week.minutes.get(kind, 0) for week in weeks)
            if total:
                minutes[kind] = r(Fraction(total, n))
                distance = sum((week.km.get(kind, Decimal(0)) for week in weeks), Decimal(0))
                km[kind] = (distance / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if distance else None
    return Usual(
        pain_began=pain_began,
        first_history=first,
        weeks=weeks,
        minutes=minutes,
        km=km,
        spikes=_spikes(entries, weeks, first, activity),
    )


def _spikes(entries: list[Entry], weeks: list[Week], first: date | None, activity: str) -> list[Spike]:
    """load.md L2 on each day of the weeks: an entry of the plan's activity over 10% longer than
    the longest in [t−30, t−1] (level 8's minutes if none), where the history reaches t−30."""
    if not weeks or first is None:
        return []
    by_day: dict[date, list[Activity]] = {}
    for entry in entries:
        by_day.setdefault(entry.day, []).append(Activity(kind=entry.kind, duration_min=entry.minutes))
    index = LoadIndex({day: SimpleNamespace(activities=items) for day, items in by_day.items()}, activity)
    found = []
    for day in sorted(by_day):
        if not weeks[0].start <= day <= weeks[-1].end or day - timedelta(days=L2_LOOKBACK) < first:
            continue
        if index.l2(day):
            before = [day - timedelta(days=n) for n in range(1, L2_LOOKBACK + 1)]
            quiet = not any(index.main.get(d) for d in before)
            found.append(Spike(day=day, minutes=max(index.main[day]), longest=index.longest(day), after_break=quiet))
    return found
