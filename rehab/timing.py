"""How long to hold, or how many reps to count, read from an exercise's dosage text.

Pure. The exercise page's hold timer and rep counter (`static/js/exercise-timer.js`) take these
numbers; the dosage text itself stays on the page, so nothing depends on JavaScript. Where the
dosage gives a range ("Hold 20–30 s", "2 × 10–20") the timer uses its lower end: the smaller dose
is the safer default, and the text shows the rest of the range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Seconds of "get ready" before a hold starts.
GET_READY_SECONDS = 5

_SECONDS = re.compile(r"(\d+)(?:\s*[–-]\s*\d+)?\s*s\b")
_MINUTES = re.compile(r"(\d+)(?:\s*[–-]\s*\d+)?\s*minutes?\b")
_REPS = re.compile(r"×\s*(\d+)(?:\s*[–-]\s*\d+)?(?!\s*(?:[–-]\s*\d+\s*)?(?:s\b|minutes?\b))")


@dataclass(frozen=True)
class Timing:
    mode: str  # "hold" (a timer with a get-ready countdown) or "reps" (a counter)
    count: int  # seconds to hold, or reps to count
    ready: int = GET_READY_SECONDS


def timing(dosage: str) -> Timing | None:
    """The hold or the rep count the dosage text asks for first; None if it names neither."""
    seconds = _SECONDS.search(dosage)
    if seconds:
        return Timing("hold", int(seconds.group(1)))
    minutes = _MINUTES.search(dosage)
    if minutes:
        return Timing("hold", 60 * int(minutes.group(1)))
    reps = _REPS.search(dosage)
    if reps:
        return Timing("reps", int(reps.group(1)), ready=0)
    return None
