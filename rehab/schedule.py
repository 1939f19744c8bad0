"""Which exercises are due on a day: the schedule table of `exercises.md`, as a pure function.

Adherence counts only what is due; foam rolling is offered every day but never due.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

STRETCHES = (
    "figure-4-stretch",
    "kneeling-tfl-stretch",
    "standing-itb-stretch",
    "hip-flexor-stretch",
    "calf-stretch",
)
OPTIONAL = ("foam-roll-lateral-thigh",)
REST_STRENGTH = ("side-lying-hip-abduction", "clamshell", "glute-bridge", "side-plank", "hip-hike")
RETURN_STRENGTH = ("banded-lateral-walk", "single-leg-bridge", "side-plank", "hip-hike", "single-leg-squat-step-down")
REST_STRENGTH_FROM_DAY = 3


def exercises_due(*, phase: str, status: str, day: int, session_day: bool) -> tuple[str, ...]:
    """Slugs due on plan day `day` in `phase`; nothing is due unless the plan is active."""
    if status != "active":
        return ()
    if phase == "rest":
        strength_day = day >= REST_STRENGTH_FROM_DAY and day % 2 == 1
        return STRETCHES + (REST_STRENGTH if strength_day else ())
    if phase == "return":
        return STRETCHES + (() if session_day else RETURN_STRENGTH)
    return ()


def schedule_of(slug: str) -> str:
    """When `slug` is due, in words, read from the sets above (the admin and the exercise page
    show it; nothing stores it)."""
    parts = []
    if slug in OPTIONAL:
        return str(_("Optional, any day: offered for comfort, never counted as due."))
    if slug in STRETCHES:
        parts.append(_("Every day of the plan"))
    if slug in REST_STRENGTH:
        parts.append(_("Rest phase: every other day from day %(day)s") % {"day": REST_STRENGTH_FROM_DAY})
    if slug in RETURN_STRENGTH:
        parts.append(_("Graded return: the days between sessions"))
    return "; ".join(str(part) for part in parts) or str(_("Not part of the plan's schedule"))
