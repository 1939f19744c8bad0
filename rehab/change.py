"""Is this change real? The pure rules behind every "went from … to …" sentence.

Two measures, each with its threshold and its source here and nowhere else:

- **Function** (the Patient-Specific Functional Scale, PSFS): the person names up to three
  activities the knee makes hard and rates each 0–10 (0 = unable, 10 = as before the problem)
  [Stratford1995]; valid and responsive for knee problems [Chatman1997]. A change of the
  average of at least `PSFS_MDC` = 2 points is more than day-to-day variation explains (its
  minimum detectable change, about 2 points on the average score [Horn2012] (unverified:
  the review's exact figure, 90% confidence, was not re-read from the primary text)).
- **Worst pain** (0–10 numerical rating scale): a drop of at least `PAIN_MCID_POINTS` = 2 points
  or `PAIN_MCID_PERCENT` = 30% is the published minimal clinically important change
  [Farrar2001; Salaffi2004]. The app's own guard, not the sources': a 30% drop must still be at
  least `PAIN_MIN_DROP` = 1 point (30% of 1.0 is noise), and a rise counts only by the 2 points
  (the 30% was measured on drops).

And the app's rule for never claiming too much: a weekly pain average needs at least
`MIN_LOGGED_DAYS` = 3 logged days in that week, or there is no verdict ("not enough days").

Rounding: averages are rounded to one decimal, half up (5.05 → 5.1, never banker's 5.0), and
the verdict is read from the rounded numbers, so the words never contradict the figures shown
next to them ("3.7 to 5.7" is 2.0 points: real).

Sources (the keys follow /work/shared/domain/evidence.md):
- [Stratford1995] Stratford P, Gill C, Westaway M, Binkley J. Assessing disability and change on
  individual patients: a report of a patient specific measure. *Physiother Can* 1995;47(4):258–263.
- [Chatman1997] Chatman AB, Hyams SP, Neel JM, et al. The Patient-Specific Functional Scale:
  measurement properties in patients with knee dysfunction. *Phys Ther* 1997;77(8):820–829.
- [Horn2012] Horn KK, Jennings S, Richardson G, et al. The Patient-Specific Functional Scale:
  psychometrics, clinimetrics, and application as a clinical outcome measure. *J Orthop Sports
  Phys Ther* 2012;42(1):30–42.
- [Farrar2001] Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, Poole RM. Clinical importance of
  changes in chronic pain intensity measured on an 11-point numerical pain rating scale. *Pain*
  2001;94(2):149–158.
- [Salaffi2004] Salaffi F, Stancati A, Silvestri CA, Ciapetti A, Grassi W. Minimal clinically
  important changes in chronic musculoskeletal pain intensity measured on a numerical rating
  scale. *Eur J Pain* 2004;8(4):283–291.

Pure: no Django, no database, no dates of its own. The pages, the report and the export call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

#: PSFS: the minimum detectable change of the average score, in points [Horn2012].
PSFS_MDC = Decimal("2")
#: Pain: the minimal clinically important change, in points and as a share of the earlier
#: average [Farrar2001; Salaffi2004].
PAIN_MCID_POINTS = Decimal("2")
PAIN_MCID_PERCENT = Decimal("30")
#: The app's guard: a 30% drop is claimed only when it is at least this many points.
PAIN_MIN_DROP = Decimal("1")
#: The app's rule: a weekly average from fewer logged days than this claims nothing.
MIN_LOGGED_DAYS = 3
#: At most this many PSFS activities at a time [Stratford1995: "up to three" in the app's form].
PSFS_MAX_ACTIVITIES = 3

_TENTH = Decimal("0.1")

# Verdicts
BETTER = "better"
WORSE = "worse"
NO_CLEAR_CHANGE = "no_clear_change"
TOO_FEW_DAYS = "too_few_days"
#: Nothing to compare (one measurement, or no activity rated both times).
NOTHING_YET = "nothing_yet"
VERDICTS = (BETTER, WORSE, NO_CLEAR_CHANGE, TOO_FEW_DAYS, NOTHING_YET)


def average(values: Iterable[int]) -> Decimal | None:
    """The mean of `values` rounded to one decimal, half up; None when there are none."""
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(_TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    """A comparison of two averages: the figures as shown (one decimal) and what they mean."""

    verdict: str
    before: Decimal | None = None
    after: Decimal | None = None

    @property
    def real(self) -> bool:
        """Whether the words may call it a change (better or worse)."""
        return self.verdict in (BETTER, WORSE)

    @property
    def difference(self) -> Decimal | None:
        """after − before, from the rounded figures (None without both)."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def function_change(before: Mapping[object, int], after: Mapping[object, int]) -> Change:
    """PSFS, earlier ratings against later ones, each `{activity: score 0–10}`.

    Only the activities rated both times are compared (an activity named later, or no longer
    rated, would move the average without anything changing). Higher is better.
    """
    common = [key for key in before if key in after]
    if not common:
        return Change(NOTHING_YET)
    first = average(before[key] for key in common)
    last = average(after[key] for key in common)
    difference = last - first
    if difference >= PSFS_MDC:
        verdict = BETTER
    elif -difference >= PSFS_MDC:
        verdict = WORSE
    else:
        verdict = NO_CLEAR_CHANGE
    return Change(verdict, first, last)


def pain_change(before: Sequence[int], after: Sequence[int]) -> Change:
    """Worst pain (0–10), one week's logged values against a later week's. Lower is better.

    Fewer than `MIN_LOGGED_DAYS` values in either week: `TOO_FEW_DAYS`, with whatever averages
    there are (a page may show them, never a verdict on them).
    """
    first, last = average(before), average(after)
    if len(before) < MIN_LOGGED_DAYS or len(after) < MIN_LOGGED_DAYS:
        return Change(TOO_FEW_DAYS, first, last)
    drop = first - last
    if drop >= PAIN_MCID_POINTS or (drop >= PAIN_MIN_DROP and drop * 100 >= PAIN_MCID_PERCENT * first):
        verdict = BETTER
    elif -drop >= PAIN_MCID_POINTS:
        verdict = WORSE
    else:
        verdict = NO_CLEAR_CHANGE
    return Change(verdict, first, last)


def shown(value: Decimal | None) -> str:
    """A rounded average as the pages print it: one decimal, always ("6.0", not "6")."""
    return "" if value is None else f"{value:.1f}"
