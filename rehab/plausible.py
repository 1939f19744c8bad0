"""Is an activity entry believable? A plausibility check that asks to confirm, never refuses.

An entry whose average speed beats the world record for its kind at that distance (a typing slip
such as 28 km in 20 minutes), or a day whose entries add up to more minutes than today has had so
far, is kept on the form with a question next to the field; ticking "these are right" saves it.

World records (men's, as of 2025; the fastest average speed over each distance, km/h). For a
distance between two standard ones the shorter one's speed applies (the more lenient bound).
- running: 100 m 9.58 s; 400 m 43.03 s; 1,000 m 2:11.96; 1,500 m 3:26.00; 5 km 12:35;
  10 km 26:11; half marathon 57:30; marathon 2:00:35; 100 km 6:05:41.
- walking and hiking: race walking 20 km 1:16:36 (15.7 km/h; shorter track walks are no faster
  than about 16 km/h).
- cycling: the flying 200 m (about 77 km/h, paced) and the UCI hour record (56.79 km, 2022).
- swimming: 50 m 20.91 s; 100 m 46.40 s; 400 m 3:40.07; 1,500 m 14:30.67; 10 km open water
  about 1:50.
Gym and pool running take no distance (load.md §1); "other" could be anything, so no bound.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

#: (shortest distance in km the bound applies from, record speed in km/h), ascending distance.
RECORD_SPEEDS: dict[str, tuple[tuple[Fraction, Fraction], ...]] = {
    "running": (
        (Fraction(0), Fraction(376, 10)),
        (Fraction(4, 10), Fraction(335, 10)),
        (Fraction(1), Fraction(273, 10)),
        (Fraction(3, 2), Fraction(262, 10)),
        (Fraction(5), Fraction(238, 10)),
        (Fraction(10), Fraction(229, 10)),
        (Fraction(211, 10), Fraction(220, 10)),
        (Fraction(422, 10), Fraction(210, 10)),
        (Fraction(100), Fraction(164, 10)),
    ),
    "walking": ((Fraction(0), Fraction(16)),),
    "hiking": ((Fraction(0), Fraction(16)),),
    "cycling": ((Fraction(0), Fraction(77)), (Fraction(1), Fraction(568, 10))),
    "swimming": (
        (Fraction(0), Fraction(86, 10)),
        (Fraction(1, 10), Fraction(776, 100)),
        (Fraction(4, 10), Fraction(654, 100)),
        (Fraction(3, 2), Fraction(620, 100)),
        (Fraction(10), Fraction(545, 100)),
    ),
}


def record_speed(kind: str, km: Decimal | Fraction) -> Fraction | None:
    """The world-record average speed (km/h) for `kind` over `km`, or None without a bound."""
    table = RECORD_SPEEDS.get(kind)
    if not table:
        return None
    km = Fraction(km)
    speed = table[0][1]
    for start, record in table:
        if km >= start:
            speed = record
    return speed


def faster_than_record(kind: str, minutes: int, km: Decimal | None) -> bool:
    """Whether `km` in `minutes` is faster on average than the world record for the kind."""
    if km is None or minutes <= 0:
        return False
    record = record_speed(kind, km)
    return record is not None and Fraction(km) * 60 > record * minutes


@dataclass(frozen=True)
class Unlikely:
    """One entry to confirm: its row, the field to put the question by, and why."""

    row: int
    field: str
    reason: str  # "pace" or "day"


def unlikely_entries(
    entries: Iterable[tuple[int, str, int, Decimal | None]], minutes_so_far: int | None
) -> list[Unlikely]:
    """The rows (row, kind, minutes, km) to confirm: a pace beyond the world record; and, for
    today (`minutes_so_far` = minutes since midnight), the row where the total passes them."""
    found: list[Unlikely] = []
    total = 0
    over = False
    for row, kind, minutes, km in entries:
        if faster_than_record(kind, minutes, km):
            found.append(Unlikely(row, "distance_km", "pace"))
        total += minutes
        if minutes_so_far is not None and not over and total > minutes_so_far:
            over = True
            found.append(Unlikely(row, "duration_min", "day"))
    return found
