"""The graded-return ladder per activity (`plan.md`, design choice built on walk-run programmes)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from screening.rules import ACTIVITIES

# The activities are the screening's own (its `activity` answer becomes the plan's default).
__all__ = ["ACTIVITIES", "LADDERS", "SESSION_RULES", "session_text"]

LADDERS: dict[str, tuple[str, ...]] = {
    "running": (
        _("8 × (1 minute easy running, 2 minutes walking)"),
        _("8 × (1½ minutes running, 1½ minutes walking)"),
        _("6 × (2 minutes running, 2 minutes walking)"),
        _("5 × (3 minutes running, 2 minutes walking)"),
        _("5 × (4 minutes running, 2 minutes walking)"),
        _("5 × (4 minutes running, 1 minute walking)"),
        _("2 × (10 minutes running, 2 minutes walking)"),
        _("20 minutes of continuous easy running"),
    ),
    "cycling": (
        _("15 minutes on the flat, easy gear, high cadence"),
        _("20 minutes on the flat, easy gear, high cadence"),
        _("25 minutes on the flat, easy gear, high cadence"),
        _("30 minutes on the flat, easy gear, high cadence"),
        _("40 minutes on the flat, easy gear, high cadence"),
        _("50 minutes on the flat, easy gear, high cadence"),
        _("60 minutes on the flat, easy gear, high cadence"),
        _("75 minutes on the flat, easy gear, high cadence"),
    ),
    "hiking": (
        _("30 minutes walking on flat ground"),
        _("40 minutes walking on flat ground"),
        _("50 minutes walking on flat ground"),
        _("60 minutes walking on flat ground"),
        _("45 minutes with a gentle uphill; walk down slowly"),
        _("60 minutes on gentle hills, with poles downhill"),
        _("90 minutes on gentle hills"),
        _("2 hours including descents, with poles"),
    ),
    "gym": (
        _("Sit-to-stand from a chair, 2 × 10"),
        _("Box squat to a high seat, 3 × 10"),
        _("Split squat in a small range, 3 × 8"),
        _("Goblet squat to chair height, 3 × 10"),
        _("Reverse lunge, 3 × 8"),
        _("Step-ups, 3 × 10"),
        _("Walking lunge, 3 × 8"),
        _("Your full usual session at half the usual volume"),
    ),
    # "other" uses the running ladder's times, as brisk walking building to easy jogging.
    "other": (
        _("8 × (1 minute brisk walking, 2 minutes easy walking)"),
        _("8 × (1½ minutes brisk walking, 1½ minutes easy walking)"),
        _("6 × (2 minutes brisk walking, 2 minutes easy walking)"),
        _("5 × (3 minutes brisk walking, 2 minutes easy walking)"),
        _("5 × (4 minutes very easy jogging, 2 minutes walking)"),
        _("5 × (4 minutes easy jogging, 1 minute walking)"),
        _("2 × (10 minutes easy jogging, 2 minutes walking)"),
        _("20 minutes of continuous easy jogging"),
    ),
}

SESSION_RULES = (
    _("Only every other day."),
    _("Flat ground: no downhill, sloping (cambered) roads or tight turns."),
    _("Easy effort, after a 5-minute brisk walk to warm up."),
    _(
        "Outside-of-knee pain up to 3 out of 10 that is not rising is fine. Above 3, rising, or a limp: stop and walk home."
    ),
    _("Pain should settle back to normal within 24 hours."),
)


def session_text(activity: str, level: int) -> str:
    """What the session at `level` (1–8) is for this activity."""
    return LADDERS.get(activity, LADDERS["running"])[level - 1]


#: Minutes of each level's session, walk breaks included (`load.md` §1), read off the ladder
#: above: running 8 × (1 + 2) = 24 … level 8 = 20; hiking level 8 = 2 hours. Gym levels are sets and
#: reps, not minutes. `other` follows the running ladder's times (plan.md).
LADDER_MINUTES: dict[str, tuple[int, ...] | None] = {
    "running": (24, 24, 24, 25, 30, 25, 24, 20),
    "cycling": (15, 20, 25, 30, 40, 50, 60, 75),
    "hiking": (30, 40, 50, 60, 45, 60, 90, 120),
    "gym": None,
    "other": (24, 24, 24, 25, 30, 25, 24, 20),
}


def level_minutes(activity: str, level: int) -> int | None:
    """Minutes of the session at `level` (1–8) for this activity; None for gym (not timed)."""
    minutes = LADDER_MINUTES.get(activity, LADDER_MINUTES["running"])
    return None if minutes is None else minutes[level - 1]
