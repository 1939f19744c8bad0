"""Offline in Chromium with the service worker installed (`context.set_offline(True)`): today's
page from the device's copy with its mark, a quick log kept on the phone and sent once when the
connection returns, a replay applied once, a later change on another device kept with the
conflict notice, another person never sending the queue, and nothing left after sign-out."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Error, Page, expect

from rehab.library import load_catalogue
from rehab.models import DailyLog, Exercise, WriteKey
from tests.browser.support import rest_plan
from tests.factories import make_log

pytestmark = pytest.mark.browser

QUEUED = "Saved on this phone — it will be sent when you're back online."
PAIN = "Worst outside-knee pain in the last 24 hours"
RESTED = "Did you rest from the activity that brings on the pain today?"


@pytest.fixture(autouse=True)
def _exercise_library(live_server):
    load_catalogue(Exercise)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def sign_in(context: BrowserContext, live_server, user) -> None:
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": live_server.url}])


def installed(page: Page, url: str) -> None:
    """Open `url`, wait for the worker to control the page, open it again so that the worker
    keeps its copy, and wait for the copy."""
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    for _ in range(50):
        if page.evaluate("caches.open('itbcare-pages').then(c => c.match(location.href)).then(r => !!r)"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the page was not kept")


def choose(page: Page, group: str, text: str) -> None:
    box = page.get_by_role("group", name=group)
    box.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$")).click()


def quick_log_offline(context: BrowserContext, page: Page, pain: str, rested: str = "Yes") -> None:
    context.set_offline(True)
    choose(page, PAIN, pain)
    choose(page, RESTED, rested)
    page.locator("#today-log").get_by_role("button", name="Save today's log").click()
    expect(page.locator(".offline-saved")).to_have_text(QUEUED)


def until_sent(page: Page, seconds: float = 8) -> None:
    """Wait until the queue of the signed-in person is empty (sent, or turned into notices)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate("window.itbOffline.pending()") == []:
            return
        page.wait_for_timeout(100)
    raise AssertionError("the queue was not sent")


def back_online_and_sent(context: BrowserContext, page: Page) -> None:
    context.set_offline(False)
    until_sent(page)


def settled_content(page: Page) -> str:
    for _ in range(30):
        try:
            return page.content()
        except Error:  # the browser's error page is still being put up
            page.wait_for_timeout(100)
    return page.content()


def exported_logs(page: Page, live_server, day) -> list[dict]:
    response = page.request.get(f"{live_server.url}/rehab/export.json")
    assert response.ok
    return [row for row in json.loads(response.body())["logs"] if row["date"] == day.isoformat()]


def test_todays_page_reloads_offline_from_the_copy_with_the_offline_mark(live_server, phone):
    user, plan = rest_plan("olive")
    make_log(plan, timezone.localdate(), pain_worst=4)
    page = phone(user)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    context.set_offline(True)
    page.reload()
    mark = page.locator("#offline-mark")
    expect(mark).to_be_visible()
    expect(mark).to_have_text(re.compile(r"^You're offline — showing what you saw at \d\d:\d\d\.$"))
    expect(page.locator("#today-log")).to_contain_text("Logged: worst pain 4 out of 10.")
    # A page never kept: the offline page, with nothing of the person's.
    page.goto(f"{live_server.url}/rehab/timeline/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")


def test_a_rest_day_logged_offline_is_kept_on_the_phone_and_sent_once(live_server, phone):
    user, plan = rest_plan("oscar")
    page = phone(user)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    quick_log_offline(context, page, "3")
    expect(page.locator("#offline-notices")).to_contain_text("Entries saved on this phone, waiting to be sent:")
    assert not DailyLog.objects.filter(plan=plan).exists()
    [item] = page.evaluate("window.itbOffline.pending()")
    back_online_and_sent(context, page)
    [row] = exported_logs(page, live_server, timezone.localdate())
    assert (row["pain_worst"], row["rested"]) == (3, "yes")
    # The same queued write sent twice more (the test hook): applied once, told the same each time.
    first = page.evaluate("item => window.itbOffline.send(item)", item)
    second = page.evaluate("item => window.itbOffline.send(item)", item)
    assert first == second == {"status": 200, "json": {"outcome": "applied", "day": timezone.localdate().isoformat()}}
    assert len(exported_logs(page, live_server, timezone.localdate())) == 1
    assert WriteKey.objects.filter(plan=plan).count() == 1


def test_a_stale_csrf_token_is_fetched_afresh_and_the_entry_still_sent(live_server, phone):
    user, plan = rest_plan("stella")
    page = phone(user)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    quick_log_offline(context, page, "2")
    page.evaluate("document.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(i => i.value = 'x'.repeat(64))")
    back_online_and_sent(context, page)
    assert DailyLog.objects.get(plan=plan).pain_worst == 2


def test_a_day_changed_on_another_device_is_kept_and_the_offline_entry_can_be_applied(live_server, phone):
    user, plan = rest_plan("connie")
    page = phone(user)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    quick_log_offline(context, page, "3")
    other_device = Client()
    other_device.force_login(user)
    other_device.post(f"/rehab/log/{timezone.localdate().isoformat()}/", {"pain_worst": "6", "rested": "no"})
    back_online_and_sent(context, page)
    notice = page.locator("[data-offline-notice]")
    expect(notice).to_contain_text(
        re.compile(r"This day was changed on another device at \d\d:\d\d; your offline entry was not applied\.")
    )
    expect(notice).to_contain_text("3 out of 10")
    expect(notice).to_contain_text("6 out of 10")
    assert DailyLog.objects.get(plan=plan).pain_worst == 6, "not overwritten"
    with page.expect_navigation():
        notice.get_by_role("button", name="Apply my offline entry").click()
    log = DailyLog.objects.get(plan=plan)
    assert (log.pain_worst, log.rested) == (3, True)
    expect(page.locator("[data-offline-notice]")).to_have_count(0)


def test_another_person_on_the_same_browser_never_sends_the_queue(live_server, phone):
    alice, alice_plan = rest_plan("ada")
    bob, bob_plan = rest_plan("ben")
    page = phone(alice)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    quick_log_offline(context, page, "5")
    # Alice's session ends without signing out; Bob signs in on the same browser.
    context.clear_cookies()
    context.set_offline(False)
    sign_in(context, live_server, bob)
    page.goto(f"{live_server.url}/rehab/")
    page.evaluate("window.itbOffline.flush()")
    assert page.evaluate("window.itbOffline.pending()") == []
    expect(page.locator("#offline-notices")).to_be_empty()
    assert not DailyLog.objects.filter(plan__in=[alice_plan, bob_plan]).exists()
    # Alice signs in again: her entry is sent.
    context.clear_cookies()
    sign_in(context, live_server, alice)
    page.goto(f"{live_server.url}/rehab/")
    until_sent(page)
    assert DailyLog.objects.get(plan=alice_plan).pain_worst == 5


def test_after_sign_out_an_offline_reload_shows_no_health_data(live_server, phone):
    user, plan = rest_plan("sid")
    make_log(plan, timezone.localdate(), pain_worst=7, notes="sore on the stairs")
    page = phone(user)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    expect(page.locator("body")).to_contain_text("Logged: worst pain 7 out of 10.")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "itbcare-pages" not in page.evaluate("caches.keys()")
    assert page.evaluate("window.itbOffline.pending()") == []
    context.set_offline(True)
    again = context.new_page()
    try:
        again.goto(f"{live_server.url}/rehab/")
    except Error:
        pass  # no worker left (Clear-Site-Data took it): the browser's own offline error page
    html = settled_content(again)
    assert "worst pain 7" not in html and "sore on the stairs" not in html
    assert "Logged" not in html


def test_chromium_finds_the_app_installable(live_server, phone):
    """Chromium's own installability check (what Lighthouse reads): the manifest parses without
    errors and nothing stops the install, with the worker controlling the page."""
    user, _plan = rest_plan("iris")
    page = phone(user)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert manifest["errors"] == [], manifest["errors"]
    errors = [e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]]
    # Playwright's contexts are incognito ones, where Chromium never installs anything.
    assert [e for e in errors if e != "in-incognito"] == [], errors


def test_a_kept_page_is_never_shown_once_the_browser_is_signed_out(live_server, phone):
    """The session ends without signing out (it expired); a signed-out page is seen: the copies
    go, so offline the next person finds the offline page, not the last person's day."""
    user, plan = rest_plan("kim")
    make_log(plan, timezone.localdate(), pain_worst=8, notes="knee gave way on the hill")
    page = phone(user)
    context = page.context
    installed(page, f"{live_server.url}/rehab/")
    context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(50):
        if page.evaluate("caches.open('itbcare-pages').then(c => c.keys()).then(k => k.length)") == 0:
            break
        page.wait_for_timeout(100)
    context.set_offline(True)
    page.goto(f"{live_server.url}/rehab/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You're offline")
    html = page.content()
    assert "knee gave way" not in html and "worst pain 8" not in html
