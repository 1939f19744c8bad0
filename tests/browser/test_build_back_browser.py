"""Build-back found from today's page on a 390 px phone: a person who skipped the usual week at
the start has passed level 8 and is past day 30. Two taps (the main action, then save, with the
minutes typed in between) take them into build-back, with and without JavaScript; no page on
the way scrolls sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rehab.models import Plan
from rehab.selectors import plan_page
from tests.factories import make_check, make_log, make_plan, make_user

pytestmark = pytest.mark.browser


def finished_without_a_usual_week(name: str) -> Plan:
    """Day 32: rest, the check on day 14, levels 1–8 passed on days 14–28; no usual week."""
    user = make_user(name)
    today = timezone.localdate()
    start = today - timedelta(days=31)
    plan = make_plan(user, start_date=start)
    for n in range(1, 14):
        make_log(plan, start + timedelta(days=n - 1), pain_worst=1, rested=True)
    make_check(plan, start + timedelta(days=13))
    for n in range(14, 29, 2):
        make_log(
            plan, start + timedelta(days=n - 1), pain_worst=1, session_done=True, pain_during=1, stopped_early=False
        )
    return plan


def assert_no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_build_back_is_two_taps_from_todays_page_after_day_30(live_server, phone, javascript):
    plan = finished_without_a_usual_week(f"skipper{int(javascript)}")
    page = phone(plan.user, javascript=javascript)
    page.goto(f"{live_server.url}/rehab/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 32")
    expect(page.locator("#status-line")).to_contain_text("Next: build back to your usual week.")
    assert_no_sideways_scroll(page)
    taps = 0
    page.locator("#build-offer").get_by_role("link", name="Build back to your usual week").tap()
    taps += 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Your usual week")
    assert_no_sideways_scroll(page)
    page.get_by_label("Running: minutes a week").fill("120")
    page.get_by_role("button", name="Save your usual week").tap()
    taps += 1
    expect(page).to_have_url(f"{live_server.url}/rehab/build/")
    assert_no_sideways_scroll(page)
    assert taps == 2
    state = plan_page(plan.user).state
    assert (state.status, state.phase, state.build.week_index) == ("active", "build", 1)
    page.goto(f"{live_server.url}/rehab/")
    expect(page.locator("#status-line")).to_contain_text("Build-back, week 1")
    expect(page.locator("#build-today")).to_contain_text("Build-back · week 1 · 60 min this week")
    expect(page.locator("#build-offer")).to_have_count(0)
