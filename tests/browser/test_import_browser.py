"""Importing a Strava export on a phone (390 px): upload, watch it being read, check the preview,
confirm, take the usual week it offers, and see the imported run in the build-back weeks."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from imports import worker
from rehab.library import load_catalogue
from rehab.models import ActivityEntry, DailyLog, Exercise, PlanSnapshot, Target
from screening.models import Screening
from tests.browser.support import building_user
from tests.imports.builders import gpx_bytes, strava_row, strava_zip

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _library(live_server):
    load_catalogue(Exercise)


def _sign_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _export(pain: datetime.date) -> bytes:
    """Six weeks of 3 runs (40, 45, 50 min; 8, 9, 10 km) before the pain, and a 30-min run today."""
    rows, files, n = [], {}, 0
    for week in range(1, 7):
        for day, minutes, km in ((7, 40, 8.0), (5, 45, 9.0), (3, 50, 10.0)):
            n += 1
            start = datetime.combine(pain - timedelta(days=7 * week - 7 + day), time(7), tzinfo=UTC)
            rows.append(strava_row(1000 + n, start, "Run", minutes * 60, km * 1000, f"activities/{1000 + n}.gpx"))
            files[f"activities/{1000 + n}.gpx"] = gpx_bytes(start, minutes, km, step_s=60)
    today = datetime.combine(timezone.localdate(), time(0, 1), tzinfo=UTC)
    run = max(today, timezone.now() - timedelta(minutes=40))
    rows.append(strava_row(2000, run, "Run", 1800, 5000.0, ""))
    return strava_zip(rows, files)


def test_import_a_strava_export_on_a_phone_and_build_back_from_it(live_server, page: Page):
    user = building_user()  # build-back week 3: 25 of 73 minutes done this week
    plan = user.plan
    # Today's quick log said how the run went, without its minutes: the watch has them.
    DailyLog.objects.filter(plan=plan, date=timezone.localdate()).update(
        session_done=True, pain_during=1, stopped_early=False
    )
    PlanSnapshot.objects.filter(plan=plan).delete()
    first_screen = Screening.objects.filter(user=user).order_by("taken_at").first()
    pain = min(timezone.localtime(first_screen.taken_at).date(), plan.start_date)
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(8000)
    _sign_in(page, live_server, user)

    page.goto(live_server.url + "/rehab/build/")
    page.get_by_role("link", name="Import activities from your watch or Strava").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import your activities")
    page.get_by_label("Activity files or a Strava export").set_input_files(
        files=[{"name": "export_9876.zip", "mimeType": "application/zip", "buffer": _export(pain)}]
    )
    page.get_by_role("button", name="Read the files").click()
    expect(page.locator("#import-progress")).to_be_visible()
    assert page.evaluate("htmx.version").startswith("2.")

    assert worker.run_once() == 1  # a worker reads it; the page notices by itself (htmx polling)
    expect(page.get_by_role("heading", name="What we found")).to_be_visible()
    table = page.locator("table.import-table")
    expect(table.locator("tbody tr")).to_have_count(19)
    expect(table.locator("tbody tr").first).to_contain_text("Yes, inside your plan")
    expect(page.locator(".import-mapping")).to_contain_text("“Run” → Running")
    assert not ActivityEntry.objects.filter(plan=plan).exclude(source="").exists()  # nothing saved yet
    page.screenshot(path="artifacts/screenshots/import-preview-390.png", full_page=True)

    page.get_by_role("button", name="Import 19 activities").click()
    expect(page.get_by_text("19 activities were added.")).to_be_visible()
    offer = page.locator(".usual-sentence")
    # 3 runs a week for 6 weeks: 135 min and 27.0 km a week
    expect(offer).to_contain_text("Your usual week: running 135 min, 27.0 km.")

    offer.get_by_role("link", name="Use this").click()
    expect(page.get_by_label("Running: minutes a week")).to_have_value("135")
    expect(page.locator("svg.build-chart rect.bar-main")).to_have_count(6)
    page.get_by_label("Running: minutes a week").fill("130")
    page.get_by_role("button", name="Save as your usual week").click()

    expect(page).to_have_url(live_server.url + "/rehab/build/")
    assert Target.objects.get(plan=plan, activity="running").minutes == 130
    weeks = page.locator("table.build-table tbody tr")
    expect(weeks.last).to_contain_text("55")  # this week: 25 typed in + the 30-min imported run
    page.screenshot(path="artifacts/screenshots/import-build-390.png", full_page=True)
