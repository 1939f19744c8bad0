"""The plan's numbers for every template, so no page writes 30, 8 or 7 by hand."""

from __future__ import annotations

from .progression import MAX_LEVEL, PLAN_DAYS, SHORT_REST_DAYS

_NUMBERS = {"PLAN_DAYS": PLAN_DAYS, "MAX_LEVEL": MAX_LEVEL, "SHORT_REST_DAYS": SHORT_REST_DAYS}


def plan_numbers(request) -> dict[str, int]:
    return _NUMBERS
