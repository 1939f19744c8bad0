"""The timeline (`/rehab/timeline/`): every plan day in a grid, pain as colour, session results,
exercises done, and a pain chart with the same numbers as a table (plan.md, "What the person sees")."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.test.html import Element, parse_html

from tests.factories import make_check, make_completion, make_history, make_log, make_plan
from tests.rehab.support import TODAY
from tests.rehab.support import elements as _elements
from tests.rehab.support import text as _text

pytestmark = pytest.mark.usefixtures("frozen_clock")
URL = "/rehab/timeline/"


def _classes(element: Element) -> list[str]:
    return (dict(element.attributes).get("class") or "").split()


def cells(response) -> list[Element]:
    root = parse_html(response.content.decode())
    return [e for e in _elements(root) if e.name == "li" and "timeline-day" in _classes(e)]


def cell_text(cell: Element) -> str:
    return " ".join(html.unescape(_text(cell)).split())


def pain_classes(cell: Element) -> list[str]:
    return [
        c
        for e in _elements(cell)
        if "pain-dot" in _classes(e)
        for c in _classes(e)
        if c.startswith("pain-") and c != "pain-dot"
    ]


def chart(response) -> Element:
    root = parse_html(response.content.decode())
    charts = [e for e in _elements(root) if e.name == "svg"]
    assert len(charts) == 1, "one inline SVG chart"
    return charts[0]


def table_rows(response) -> list[list[str]]:
    """The rows of the chart's data table (the table right after the chart)."""
    root = parse_html(response.content.decode())
    tables = [e for e in _elements(root) if e.name == "table"]
    body = next(e for e in _elements(tables[0]) if e.name == "tbody")
    return [
        [" ".join(_text(td).split()) for td in row.children if isinstance(td, Element)]
        for row in body.children
        if isinstance(row, Element)
    ]


# --- The grid -----------------------------------------------------------------------------------


def test_a_new_plan_shows_30_days_in_the_grid_with_today_marked(alice, alice_client):
    make_plan(alice, start_date=TODAY)
    response = alice_client.get(URL)
    assert response.status_code == 200
    grid = cells(response)
    assert len(grid) == 30
    assert [cell_text(c).split(" ")[:2] for c in grid] == [["Day", str(n)] for n in range(1, 31)]
    assert dict(grid[0].attributes).get("aria-current") == "date"
    assert "to come" in cell_text(grid[1])
    assert "Nothing logged yet: the chart fills in as you log each day." in html.unescape(response.content.decode())


def test_a_plan_past_day_30_shows_every_day_so_far(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=39))
    grid = cells(alice_client.get(URL))
    assert len(grid) == 40
    assert dict(grid[-1].attributes).get("aria-current") == "date"


def test_each_logged_day_has_its_pain_as_a_colour_class(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, plan.start_date, pain_worst=0, rested=True)
    make_log(plan, plan.start_date + timedelta(days=2), pain_worst=7, rested=False)
    grid = cells(alice_client.get(URL))
    assert pain_classes(grid[0]) == ["pain-0"]
    assert pain_classes(grid[1]) == [], "an unlogged day has no pain colour"
    assert pain_classes(grid[2]) == ["pain-7"]
    assert "pain 7" in cell_text(grid[2])
    assert "rest kept" in cell_text(grid[0])
    assert "not rested" in cell_text(grid[2])
    assert "/rehab/log/" + (plan.start_date + timedelta(days=1)).isoformat() in str(grid[1]), "a link to log it"


def test_session_results_and_phases_show_per_day(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=15))  # day 16
    day = {n: plan.start_date + timedelta(days=n - 1) for n in range(1, 17)}
    make_check(plan, day[14])
    make_log(plan, day[14], session_done=True, pain_during=2, stopped_early=False)
    make_log(plan, day[16], session_done=True, pain_during=6, stopped_early=False)
    grid = cells(alice_client.get(URL))
    assert "phase-rest" in _classes(grid[12])
    assert "phase-return" in _classes(grid[13])
    assert "level 1 ✓" in cell_text(grid[13])
    assert "level 2: too much" in cell_text(grid[15])


def test_the_exercises_done_show_per_day_and_per_week(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=2))  # days 1 and 2: 5 due; day 3: 10 due
    make_completion(plan, plan.start_date, "calf-stretch")
    make_completion(plan, plan.start_date, "figure-4-stretch")
    make_completion(plan, TODAY, "clamshell")
    response = alice_client.get(URL)
    grid = cells(response)
    assert "2/5 exercises" in cell_text(grid[0])
    assert "0/5 exercises" in cell_text(grid[1])
    assert "1/10 exercises" in cell_text(grid[2])
    content = " ".join(html.unescape(response.content.decode()).split())
    assert "<tr><td>1 (25 Nov–1 Dec)</td><td>3</td><td>20</td><td>15</td></tr>" in content


def test_rest_days_kept_are_counted(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    for offset, rested in enumerate([True, True, False]):
        make_log(plan, plan.start_date + timedelta(days=offset), rested=rested)
    assert "Rest kept on 2 of 3 logged rest days." in html.unescape(alice_client.get(URL).content.decode())


# --- The chart and its table ---------------------------------------------------------------------


def test_the_chart_is_an_accessible_inline_svg_with_a_title(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=3, rested=True)
    svg = chart(alice_client.get(URL))
    attrs = dict(svg.attributes)
    assert attrs["role"] == "img"
    titles = [e for e in svg.children if isinstance(e, Element) and e.name == "title"]
    assert len(titles) == 1
    assert "worst daily pain" in _text(titles[0])
    assert attrs["aria-labelledby"] == dict(titles[0].attributes)["id"]


def test_the_chart_draws_one_point_per_logged_pain_and_the_table_has_the_same_numbers(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=15))
    day = {n: plan.start_date + timedelta(days=n - 1) for n in range(1, 17)}
    make_log(plan, day[1], pain_worst=5, rested=True)
    make_log(plan, day[7], pain_worst=3, rested=True)
    make_check(plan, day[14])
    make_log(plan, day[14], pain_worst=2, session_done=True, pain_during=1, stopped_early=False)
    make_log(plan, day[16], pain_worst=4, session_done=True, pain_during=6, stopped_early=False)
    response = alice_client.get(URL)
    svg = chart(response)
    worst = [e for e in _elements(svg) if "dot-worst" in _classes(e)]
    during = [e for e in _elements(svg) if "dot-during" in _classes(e)]
    assert len(worst) == 4
    assert len(during) == 2
    # y grows downwards: pain 0 is at the bottom (y=212), pain 10 at the top (y=12).
    assert [float(dict(e.attributes)["cy"]) for e in worst] == [112.0, 152.0, 172.0, 132.0]
    assert [float(dict(e.attributes)["cy"]) for e in during] == [192.0, 92.0]
    assert table_rows(response) == [
        ["12 Nov", "1", "5", "–"],
        ["18 Nov", "7", "3", "–"],
        ["25 Nov", "14", "2", "1"],
        ["27 Nov", "16", "4", "6"],
    ]


# --- Access --------------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, f"/accounts/login/?next={URL}")


def test_bob_without_a_plan_gets_not_found(alice, bob_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=9, rested=True)
    response = bob_client.get(URL)
    assert response.status_code == 404
    assert "pain-9" not in response.content.decode()


def test_post_is_not_allowed(alice, alice_client):
    make_plan(alice, start_date=TODAY)
    assert alice_client.post(URL).status_code == 405


# --- Query counts --------------------------------------------------------------------------------

#: Measured: session + user, plan + logs + checks, screens, all completions.
TIMELINE_QUERIES = 7


@pytest.mark.parametrize("days", [7, 365])
def test_the_timeline_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = alice_client.get(URL)
    assert len(cells(response)) == max(30, days)


@pytest.mark.parametrize("days", [7, 365])
def test_the_timeline_stays_within_8_queries(alice, alice_client, django_assert_max_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    with django_assert_max_num_queries(8):
        response = alice_client.get(URL)
    assert len(cells(response)) == max(30, days)
