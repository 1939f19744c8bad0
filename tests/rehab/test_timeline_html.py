"""The timeline's chart and grid are written in Python (`kit.twins`) with exactly the markup of their
specs (`timeline_chart.spec.html`, `timeline_grid.spec.html`): for a plan in rest with a
check due, one in return with a flare, and a year's history, each with awkward notes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from kit import twins as html
from rehab import charts
from rehab.selectors import plan_page, timeline_page
from tests.factories import make_check, make_log, make_plan

TODAY = timezone.localdate()
WORDS = {"to_come": "to come", "log_label": "log", "edit_label": "edit", "note_label": "note <n>"}


def _plan(user, shape: str):
    if shape == "rest":
        plan = make_plan(user, start_date=TODAY - timedelta(days=13))
        for n in (0, 1, 2, 5, 9):
            make_log(plan, plan.start_date + timedelta(days=n), pain_worst=n % 5, pain_morning=1, rested=n != 5,
                     notes='stairs <"hurt"> & more' if n == 2 else "")  # fmt: skip
    elif shape == "return":
        plan = make_plan(user, start_date=TODAY - timedelta(days=24))
        for n in range(14):
            make_log(plan, plan.start_date + timedelta(days=n), pain_worst=1, rested=True)
        make_check(plan, plan.start_date + timedelta(days=13))
        for n in range(14, 24):
            make_log(plan, plan.start_date + timedelta(days=n), pain_worst=6 if n == 18 else 1,
                     session_done=n % 2 == 0, pain_during=4 if n == 18 else 1, stopped_early=n == 18)  # fmt: skip
    else:
        plan = make_plan(user, start_date=TODAY - timedelta(days=364))
        for n in range(0, 365, 3):
            make_log(plan, plan.start_date + timedelta(days=n), pain_worst=n % 4, notes="x" if n % 30 == 0 else "")
        make_check(plan, plan.start_date + timedelta(days=13))
    return plan


@pytest.mark.parametrize("shape", ["rest", "return", "year"])
def test_the_timeline_pieces_match_their_templates(alice, shape):
    _plan(alice, shape)
    bare = plan_page(alice)
    for month in (None, (TODAY - timedelta(days=40)).strftime("%Y-%m")):
        window = charts.timeline_window(bare, month)
        page = timeline_page(bare, window.first, window.last)
        cells = charts.timeline_cells(page, window)
        chart = charts.pain_chart(page, window)
        assert (
            html.timeline_grid(cells, **WORDS)
            == render_to_string("rehab/partials/timeline_grid.spec.html", {"cells": cells, **WORDS}).strip()
        )
        if not chart.empty:
            assert (
                html.timeline_chart(chart)
                == render_to_string("rehab/partials/timeline_chart.spec.html", {"chart": chart}).strip()
            )
    assert cells and chart.rows


def test_the_timeline_page_shows_the_grid_chart_and_table(alice, alice_client):
    _plan(alice, "return")
    page = alice_client.get("/rehab/timeline/").content.decode()
    assert page.count('<li class="timeline-day') >= 25
    assert '<svg class="chart"' in page and 'class="line-worst"' in page
    assert page.count("<tr><td>") >= 20
