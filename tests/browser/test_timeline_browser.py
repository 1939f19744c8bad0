"""The timeline as a person on a phone sees it: a chart that spans the screen with text of at least
12 CSS px, its markers explained, and earlier months and the whole history one link away."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rehab.library import load_catalogue
from rehab.models import Exercise
from tests.browser.crawler import SCREENSHOTS
from tests.browser.support import sign_in
from tests.factories import make_check, make_history, make_log, make_plan, make_user

pytestmark = pytest.mark.browser

#: For every text of the chart: its font size as drawn on the screen (CSS font size times the
#: SVG's scale on screen), the height of its box, and the chart's width against its container's.
CHART_TEXT = """() => {
  const svg = document.querySelector("svg.chart");
  const scale = svg.getScreenCTM().a;
  const texts = [...svg.querySelectorAll("text")].map((t) => ({
    text: t.textContent.trim(),
    px: parseFloat(getComputedStyle(t).fontSize) * scale,
    height: t.getBoundingClientRect().height,
  }));
  const box = svg.getBoundingClientRect();
  const room = svg.parentElement.getBoundingClientRect();
  return {texts, width: box.width, room: room.width, left: box.left, right: box.right, viewport: innerWidth};
}"""


@pytest.fixture(autouse=True)
def _exercise_library(live_server):
    load_catalogue(Exercise)


def _returning(name: str):
    """Day 18: rest logged, a passed check on day 14, a session too much, a flare the day after."""
    user = make_user(name)
    today = timezone.localdate()
    plan = make_plan(user, start_date=today - timedelta(days=17))
    day = {n: plan.start_date + timedelta(days=n - 1) for n in range(1, 19)}
    for n in range(1, 14):
        if n != 6:  # day 6 not logged: a gap in the lines
            make_log(plan, day[n], pain_worst=max(1, 5 - n // 3), pain_morning=max(0, 4 - n // 3), rested=True)
    make_check(plan, day[14])
    make_log(plan, day[14], pain_worst=2, pain_morning=1, session_done=True, pain_during=5, stopped_early=False)
    make_log(plan, day[15], pain_worst=3, pain_morning=4, notes="Sore going down the stairs.")
    return user


def test_on_a_390_px_phone_the_chart_spans_the_width_and_its_text_is_at_least_12_px(live_server, page: Page):
    sign_in(page, live_server, _returning("tara"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/rehab/timeline/")
    measured = page.evaluate(CHART_TEXT)
    labels = [t["text"] for t in measured["texts"]]
    assert {"0", "10", "day 1", "day 8", "stop above 3", "■", "▲", "▼"} <= set(labels)
    small = [t for t in measured["texts"] if t["px"] < 12 or t["height"] < 12]
    assert not small, f"chart text under 12 CSS px on a 390 px phone: {small}"
    assert measured["width"] == pytest.approx(measured["room"], abs=1), "the chart fills its column"
    assert measured["width"] >= 340 and 0 <= measured["left"] and measured["right"] <= measured["viewport"]

    # The legend says what the markers and lines are, in words.
    legend = page.locator(".chart-legend")
    for words in (
        "worst pain in the day",
        "pain when you got up",
        "above 3 during a session, stop",
        "progress check taken",
        "graded return starts",
        "a step back",
    ):
        expect(legend).to_contain_text(words)
    # The note shows in the grid, and its words in the table.
    expect(page.locator("li.timeline-day").nth(14)).to_contain_text("note")
    page.get_by_text("The chart's numbers as a table").click()
    expect(page.locator("table.timeline-table")).to_contain_text("Sore going down the stairs.")
    (SCREENSHOTS / "timeline").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "timeline" / "timeline-390.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    desktop = page.evaluate(CHART_TEXT)
    assert all(12 <= t["px"] <= 15 for t in desktop["texts"]), "the same text size on a desktop, not scaled up"
    page.screenshot(path=SCREENSHOTS / "timeline" / "timeline-1280.png", full_page=True)


def test_a_year_old_plan_goes_month_by_month_and_shows_the_whole_history(live_server, page: Page):
    user = make_user("yana")
    plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=364))
    make_history(plan, 365)
    sign_in(page, live_server, user)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/rehab/timeline/")
    today = timezone.localdate()
    expect(page.locator("li.timeline-day")).to_have_count(today.day)
    page.get_by_role("link", name="← Earlier month").click()
    previous = today.replace(day=1) - timedelta(days=1)
    expect(page.locator("li.timeline-day")).to_have_count(previous.day)
    page.get_by_role("link", name="Back to now").click()
    expect(page.locator("li.timeline-day")).to_have_count(today.day)
    page.get_by_role("link", name="Your whole history as a table").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your whole history")
    expect(page.locator("table.timeline-table tbody tr")).to_have_count(365)
