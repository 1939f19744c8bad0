"""The timeline (`/rehab/timeline/`): every plan day in a grid, pain as colour, session results,
exercises done, and a pain chart with the same numbers as a table (plan.md, "What the person sees")."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.test.html import Element, parse_html

from tests.factories import make_check, make_completion, make_history, make_log, make_plan, warm
from tests.rehab.support import TODAY, text_of
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
    response = alice_client.get(URL)
    grid = cells(response)
    assert len(grid) == 40
    assert dict(grid[-1].attributes).get("aria-current") == "date"
    # Past day 30 the timeline says "Day n", as today's page does, never "Day 40 of 30".
    content = text_of(response)
    assert "Day 40." in content and "of 30" not in content
    assert "Day 40" in text_of(alice_client.get("/rehab/")) and "Day 40 of 30" not in text_of(
        alice_client.get("/rehab/")
    )


def test_a_plan_within_30_days_says_day_n_of_30_on_the_timeline(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=9))
    assert "Day 10 of 30." in text_of(alice_client.get(URL))


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
    make_log(plan, day[1], pain_worst=5, pain_morning=4, rested=True)
    make_log(plan, day[7], pain_worst=3, rested=True)
    make_check(plan, day[14])
    make_log(plan, day[14], pain_worst=2, pain_morning=1, session_done=True, pain_during=1, stopped_early=False)
    make_log(plan, day[16], pain_worst=4, session_done=True, pain_during=6, stopped_early=False)
    response = alice_client.get(URL)
    svg = chart(response)
    # y in CSS px grows downwards: pain 10 at y=44, pain 0 at y=240; x in % of the width, day 1 at 8 %
    # and day 30 (the window's last) at 97 %.
    assert [(attr(e, "cx"), attr(e, "cy")) for e in dots(svg, "worst")] == [
        ("8.0%", "142.0"),
        ("26.41%", "181.2"),
        ("47.9%", "200.8"),
        ("54.03%", "161.6"),
    ]
    assert [attr(e, "cy") for e in dots(svg, "during")] == ["220.4", "122.4"]
    assert [attr(e, "y") for e in dots(svg, "morning")] == ["161.6", "220.4"], "morning pain: a third series"
    rows = table_rows(response)
    assert [row[:5] for row in rows] == [
        ["12 Nov", "1", "5", "4", "–"],
        ["18 Nov", "7", "3", "–", "–"],
        ["25 Nov", "14", "2", "1", "1"],
        ["27 Nov", "16", "4", "–", "6"],
    ]
    assert rows[2][5].startswith("■ ▲ Progress check taken. You passed the check")
    assert rows[3][5].startswith("▼ Your pain went above 3"), "the failed session (E2) is in the table"
    assert [row[5] for row in rows[:2]] == ["", ""]


def attr(element: Element, name: str) -> str:
    return dict(element.attributes)[name]


def dots(svg: Element, series: str) -> list[Element]:
    return [e for e in _elements(svg) if f"dot-{series}" in _classes(e)]


def segments(svg: Element, series: str) -> list[tuple[str, str]]:
    return [(attr(e, "x1"), attr(e, "x2")) for e in _elements(svg) if f"line-{series}" in _classes(e)]


def markers(svg: Element) -> list[tuple[str, str]]:
    return [(attr(e, "x"), _text(e).strip()) for e in _elements(svg) if "marker" in _classes(e)]


def test_lines_join_only_logged_days_in_a_row_gaps_stay_gaps(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=5))
    for offset, morning in [(0, 3), (1, 2), (3, 2), (4, None), (5, 1)]:
        make_log(plan, plan.start_date + timedelta(days=offset), pain_worst=2, pain_morning=morning, rested=True)
    svg = chart(alice_client.get(URL))
    x = {n: f"{round(8 + 89 * (n - 1) / 29, 2)}%" for n in range(1, 31)}
    assert segments(svg, "worst") == [(x[1], x[2]), (x[4], x[5]), (x[5], x[6])], "no line across day 3"
    assert segments(svg, "morning") == [(x[1], x[2])], "no line across a day without a morning answer"
    assert len(dots(svg, "morning")) == 4


def test_session_pain_joins_sessions_unless_a_day_between_them_is_unlogged(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=20))
    day = {n: plan.start_date + timedelta(days=n - 1) for n in range(1, 22)}
    make_check(plan, day[14])
    for n in (14, 15, 16, 17, 18, 20):  # day 19 unlogged: the session moves to day 20
        session = n in (14, 16, 18, 20)
        extra = {"session_done": True, "pain_during": 1, "stopped_early": False} if session else {}
        make_log(plan, day[n], pain_worst=1, **extra)
    svg = chart(alice_client.get(URL))
    x = {n: f"{round(8 + 89 * (n - 1) / 29, 2)}%" for n in range(1, 31)}
    assert segments(svg, "during") == [(x[14], x[16]), (x[16], x[18])]


def test_a_line_at_pain_3_with_its_words_in_the_legend(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=3, rested=True)
    response = alice_client.get(URL)
    stop = [e for e in _elements(chart(response)) if "stop-line" in _classes(e)]
    assert [(attr(e, "y1"), attr(e, "y2")) for e in stop] == [("181.2", "181.2")]  # pain 3
    assert "Grey dashed line at 3: above 3 during a session, stop and walk home." in text_of(response)


def test_the_check_the_return_and_each_plan_change_are_marked_with_a_legend(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=17))
    day = {n: plan.start_date + timedelta(days=n - 1) for n in range(1, 19)}
    make_log(plan, day[13], pain_worst=2, pain_morning=1, rested=True)
    make_check(plan, day[14])
    make_log(plan, day[14], pain_worst=2, pain_morning=1, session_done=True, pain_during=5, stopped_early=False)
    make_log(plan, day[15], pain_worst=3, pain_morning=4)  # morning pain up by 3: a flare (E3)
    response = alice_client.get(URL)
    x = {n: f"{round(8 + 89 * (n - 1) / 29, 2)}%" for n in range(1, 31)}
    assert markers(chart(response)) == [(x[14], "■"), (x[14], "▲"), (x[14], "▼"), (x[15], "▼")]
    content = text_of(response)
    for words in ("progress check taken", "graded return starts", "a step back"):
        assert words in content, words
    assert "see a clinician (plan paused or stopped)" not in content, "only the kinds drawn are in the legend"
    grid = cells(response)
    assert "check taken" in cell_text(grid[13]) and "check passed: return starts" in cell_text(grid[13])
    assert "too much: no session tomorrow" in cell_text(grid[13])
    assert "flare: no session tomorrow" in cell_text(grid[14])
    assert "morning 4" in cell_text(grid[14])
    rows = table_rows(response)
    assert [row[1] for row in rows] == ["13", "14", "15"]
    assert rows[1][5].startswith("■ ▲ ▼ Progress check taken. You passed the check")
    # The flare reads as its one message (what happened, what changes, what to do for the pain).
    assert rows[2][5].startswith("▼ Your knee was worse this morning (morning pain up 2 or more points).")
    assert "For the pain today:" in rows[2][5]


def test_an_engine_rule_the_template_does_not_know_is_shown_generically(alice):
    from dataclasses import replace

    from rehab import charts
    from rehab.progression import Event
    from rehab.selectors import export_data

    plan = make_plan(alice, start_date=TODAY - timedelta(days=3))
    make_log(plan, TODAY, pain_worst=2, rested=True)
    page = export_data(alice, today=TODAY)
    new = Event(TODAY, "a_future_rule", 1)  # build_start is known since load.md 2026.2
    days = tuple(replace(d, events=(new,)) if d.date == TODAY else d for d in page.state.days)
    page = replace(page, state=replace(page.state, events=(new,), days=days))
    window = charts.timeline_window(page, None)
    chart_ = charts.pain_chart(page, window)
    assert [(m.kind, m.glyph) for m in chart_.markers] == [("other", "●")]
    assert chart_.rows[-1].events == ("a_future_rule",)
    assert "plan change (a_future_rule)" in charts.timeline_cells(page, window)[3].lines


def test_days_with_notes_show_a_mark_in_the_grid_and_the_text_in_the_table(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=2))
    make_log(plan, plan.start_date, pain_worst=2, rested=True, notes="Walked the dog <b>slowly</b>.")
    make_log(plan, TODAY, pain_worst=1, rested=True)
    response = alice_client.get(URL)
    grid = cells(response)
    assert "✎ note" in cell_text(grid[0])
    assert "note" not in cell_text(grid[2])
    rows = table_rows(response)
    assert rows[0][6] == "Walked the dog <b>slowly</b>."
    assert "&lt;b&gt;slowly" in response.content.decode(), "notes are escaped"


# --- The window -----------------------------------------------------------------------------------


def window_links(response) -> dict[str, str]:
    root = parse_html(response.content.decode())
    nav = next(e for e in _elements(root) if e.name == "nav" and "window-nav" in _classes(e))
    return {" ".join(html.unescape(_text(a)).split()): attr(a, "href") for a in _elements(nav) if a.name == "a"}


def test_a_plan_within_six_weeks_shows_its_days_without_month_links(alice, alice_client):
    make_plan(alice, start_date=TODAY - timedelta(days=42))  # day 43
    response = alice_client.get(URL)
    assert len(cells(response)) == 43
    assert window_links(response) == {"Your whole history as a table": "?history=all"}
    assert "Showing: The plan's days: 1–43" in text_of(response)


def test_a_year_old_plan_shows_the_current_month_with_an_earlier_link(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=364))
    make_history(plan, 365)
    warm(plan)  # the page everybody gets after the day's first
    response = alice_client.get(URL)
    grid = cells(response)
    assert [cell_text(c).split(" ")[:2] for c in (grid[0], grid[-1])] == [["Day", "339"], ["Day", "365"]]
    assert len(grid) == 27  # 1–27 November 2026
    assert dict(grid[-1].attributes).get("aria-current") == "date"
    assert window_links(response) == {
        "← Earlier month": "?month=2026-10",
        "Your whole history as a table": "?history=all",
    }
    assert len(table_rows(response)) == 27
    assert "Showing: November 2026: days 339–365" in text_of(response)


def test_an_earlier_month_has_links_both_ways_and_back_to_now(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=364))
    make_history(plan, 365)
    warm(plan)  # the page everybody gets after the day's first
    response = alice_client.get(URL, {"month": "2026-10"})
    assert len(cells(response)) == 31
    assert window_links(response) == {
        "← Earlier month": "?month=2026-09",
        "Back to now": "/rehab/timeline/",
        "Later month →": "?month=2026-11",
        "Your whole history as a table": "?history=all",
    }
    first = cells(alice_client.get(URL, {"month": "2025-11"}))  # the plan's first month starts on its day 1
    assert cell_text(first[0]).startswith("Day 1 ") and len(first) == 3  # 28–30 November 2025


@pytest.mark.parametrize(
    "month", ["abc", "2026-13", "2026-00", "2026-1", "1900-01", "2027-01", "9999-99", "0000-01", " "]
)
def test_a_bad_or_foreign_month_gets_the_default_with_a_notice(alice, alice_client, month):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=364))
    make_history(plan, 365)
    warm(plan)  # the page everybody gets after the day's first
    response = alice_client.get(URL, {"month": month})
    assert response.status_code == 200
    assert len(cells(response)) == 27
    assert "That month is not part of your plan, so here are your current days." in text_of(response)


def test_the_whole_history_is_one_table_behind_a_link(alice, alice_client):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=364))
    make_history(plan, 365)
    warm(plan)  # the page everybody gets after the day's first
    response = alice_client.get(URL, {"history": "all"})
    assert response.status_code == 200
    rows = table_rows(response)
    assert len(rows) == 365
    assert rows[0][:3] == ["28 Nov", "1", "0"] and rows[-1][:2] == ["27 Nov", "365"]
    assert cells(response) == [] and "<svg" not in response.content.decode()


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

#: Measured: session, user, the plan with its stored state, then the window's logs, checks and
#: ticks in one UNION ALL (issue 13: the state covers every day, the rows only the window). The
#: whole history: every log and check, no ticks, in the same one query.
TIMELINE_QUERIES = 4
HISTORY_QUERIES = 4


@pytest.mark.parametrize("days", [7, 365])
def test_the_timeline_takes_a_fixed_number_of_queries(alice, alice_client, django_assert_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = alice_client.get(URL)
    assert len(cells(response)) == (30 if days == 7 else 27)  # 365 days: this month so far


@pytest.mark.parametrize("days", [7, 365])
def test_the_timeline_stays_within_8_queries(alice, alice_client, django_assert_max_num_queries, days):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_max_num_queries(8):
        response = alice_client.get(URL)
    assert len(cells(response)) == (30 if days == 7 else 27)  # 365 days: this month so far


@pytest.mark.parametrize("days", [7, 365])
@pytest.mark.parametrize("query", [{"month": "2026-10"}, {"month": "nonsense"}, {"history": "all"}])
def test_every_window_and_the_whole_history_take_the_same_queries(
    alice, alice_client, django_assert_num_queries, days, query
):
    plan = make_plan(alice, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days)
    warm(plan)  # the page everybody gets after the day's first
    with django_assert_num_queries(HISTORY_QUERIES if "history" in query else TIMELINE_QUERIES):
        assert alice_client.get(URL, query).status_code == 200
