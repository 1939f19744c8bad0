"""The site's window of dates (`kit.dates`): URLs and forms refuse what lies outside it."""

from __future__ import annotations

from datetime import date

import pytest

from kit.dates import EARLIEST, LATEST, parse_iso_date
from reports.forms import ReportOptionsForm


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_a_url_date_outside_the_window_is_no_match(value):
    with pytest.raises(ValueError):
        parse_iso_date(value)


def test_the_window_edges_are_taken():
    assert parse_iso_date(EARLIEST.isoformat()) == EARLIEST
    assert parse_iso_date(LATEST.isoformat()) == LATEST


@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_form_date_outside_the_window_gets_a_message(field, value):
    form = ReportOptionsForm({field: value})
    assert not form.is_valid()
    assert "Please enter a date between 1 January 1900 and 31 December 2199." in form.errors[field]


def test_a_form_date_inside_the_window_is_taken():
    form = ReportOptionsForm({"date_from": "2026-01-01", "date_to": date(2026, 2, 1).isoformat()})
    assert form.is_valid(), form.errors
