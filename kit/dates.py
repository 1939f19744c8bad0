"""The window of dates the site takes from a URL, a query string or a form: a date outside it
is refused (a 404 for a URL, a message next to the field for a form) before any arithmetic, so
no date, however extreme (0001-01-01, 9999-12-31), can overflow `date + timedelta` into a 500.

Part of the shared kit: it imports no app. Every plan, log and check lies far inside the window
(a plan starts at most weeks before today); the window only has to be wide enough that no real
date is refused and narrow enough that a plan's arithmetic (years at most) stays in range."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)


def in_window(value: date) -> bool:
    return EARLIEST <= value <= LATEST


def parse_iso_date(value: str) -> date:
    """YYYY-MM-DD within the window; ValueError otherwise (a URL converter's "no match")."""
    day = date.fromisoformat(value)
    if not in_window(day):
        raise ValueError(f"{value} is outside {EARLIEST}..{LATEST}")
    return day


class DateField(forms.DateField):
    """A form's date field that refuses dates outside the window with a clear message. A form
    whose own `clean_<field>` bounds the date more tightly first (the plan's start, the check's
    date, when the pain began: comparisons only, no arithmetic on the value) keeps Django's field
    and its own, more helpful message."""

    def validate(self, value) -> None:
        super().validate(value)
        if value is not None and not in_window(value):
            raise forms.ValidationError(
                _("Please enter a date between %(earliest)s and %(latest)s.")
                % {"earliest": date_format(EARLIEST, "j F Y"), "latest": date_format(LATEST, "j F Y")},
                code="out_of_range",
            )
