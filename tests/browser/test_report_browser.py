"""The clinician report and its share page on a 390 px phone: no sideways scroll, a copy button
that works (and says so), the daily table and the ruled-out red flags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from reports.services import create_share_link
from tests.browser.crawler import SCREENSHOTS
from tests.browser.support import PHONE, sign_in
from tests.factories import make_check, make_log, make_plan, make_user

pytestmark = pytest.mark.browser

WIDTH = "() => document.documentElement.scrollWidth"


def _person():
    """Day 20 of a plan with a long name on the report, a check and a flare: the widest content."""
    user = make_user("rosalind", report_name="Rosalind Featherstonehaugh-Montgomery")
    today = timezone.localdate()
    plan = make_plan(user, start_date=today - timedelta(days=19))
    for n in range(13):
        make_log(plan, plan.start_date + timedelta(days=n), pain_worst=4 - n // 4, pain_morning=2, rested=True)
    make_check(plan, plan.start_date + timedelta(days=13))
    make_log(plan, plan.start_date + timedelta(days=13), pain_worst=2, session_done=True, pain_during=2)
    make_log(
        plan, plan.start_date + timedelta(days=15), pain_worst=6, session_done=True, pain_during=6, swelling="local"
    )
    return user, plan


def test_on_a_phone_the_share_page_fits_and_its_copy_button_copies_the_link(live_server, browser: Browser):
    user, plan = _person()
    for _ in range(3):  # a few earlier links fill the table of links
        create_share_link(plan=plan, days=30, include_notes=True)
    context = browser.new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/rehab/share/")
    assert page.evaluate(WIDTH) <= 390
    page.get_by_role("button", name="Create link").click()
    link = page.get_by_label("Link", exact=True)
    url = link.input_value()
    assert url.startswith(f"{live_server.url}/s/")
    assert page.evaluate(WIDTH) <= 390, "the share page scrolls sideways on a 390 px phone"
    page.screenshot(path=SCREENSHOTS / "share-390.png", full_page=True)
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#live-region")).to_have_text("Copied")
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    # The link stays text a person can select (and copy by hand) in its labelled field.
    assert link.get_attribute("readonly") is not None and link.is_editable() is False

    # The shared copy fits the phone too, with the daily table and the ruled-out red flags.
    page.goto(url)
    expect(page.get_by_role("table", name="Logged days")).to_be_visible()
    assert page.evaluate(WIDTH) <= 390, "the shared report scrolls sideways on a 390 px phone"
    context.close()


def test_without_javascript_the_link_is_there_and_no_dead_button(live_server, browser: Browser):
    user, _plan = _person()
    context = browser.new_context(**PHONE, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/rehab/share/")
    page.get_by_role("button", name="Create link").click()
    assert page.get_by_label("Link", exact=True).input_value().startswith(f"{live_server.url}/s/")
    assert page.get_by_role("button", name="Copy link").count() == 0  # hidden: nothing that does nothing
    context.close()


def test_on_a_phone_the_report_shows_the_daily_table_and_the_ruled_out_red_flags(live_server, browser: Browser):
    user, _plan = _person()
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(5000)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/rehab/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Knee plan report: Rosalind Featherstonehaugh-Montgomery")
    table = page.get_by_role("table", name="Logged days")
    expect(table).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(16)  # the heading row and 15 logged days
    day_16 = (
        table.get_by_role("row")
        .filter(has_text="Yes, stopped early")
        .or_(table.get_by_role("row").filter(has_text="local swelling"))
    )
    expect(day_16.first).to_contain_text("6")
    expect(page.get_by_text("red flags ruled out by the person's answers")).to_be_visible()
    expect(page.locator(".report-ruled-out li").first).to_be_visible()
    expect(page.locator(".date-tick").first).to_be_attached()
    assert page.evaluate(WIDTH) <= 390, "the report scrolls sideways on a 390 px phone"
    page.screenshot(path=SCREENSHOTS / "report-390.png", full_page=True)
    context.close()
