"""The rehab tracker in a real browser: from a result to day 1, logging by tapping, ticking an
exercise in place with htmx (and without JavaScript), and the timeline's chart."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.sessions import SessionStore
from rehab.library import load_catalogue
from rehab.models import Completion, DailyLog, Exercise, Plan
from screening.services import OWNED_KEY
from tests.browser.support import sign_in
from tests.factories import make_log, make_plan, make_screening, make_user

pytestmark = pytest.mark.browser

PASSWORD = "a-long-Unusual-passphrase-42"
TIMEOUT_MS = 5000  # fail fast: every step here takes well under a second


@pytest.fixture(autouse=True)
def _exercise_library(live_server):
    """The library comes from a data migration, and any live-server (transactional) test that ran
    earlier ended by flushing every table: load it again (an idempotent upsert by slug)."""
    load_catalogue(Exercise)


@pytest.fixture(autouse=True)
def _fail_fast(request):
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(TIMEOUT_MS)


def choice(group, text: str):
    """The tappable label of one choice (the radio input itself is transparent, on top of it)."""
    return group.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def test_an_itbs_likely_result_leads_through_sign_up_to_day_1_of_the_plan(live_server, page: Page):
    # An anonymous screen this browser took (as the knee check leaves it in the session).
    screening = make_screening(None, taken_at=timezone.now() - timedelta(minutes=5))
    session = SessionStore()
    session[OWNED_KEY] = [str(screening.pk)]
    session.create()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/screening/result/{screening.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers fit IT band syndrome")
    page.get_by_role("link", name="Start your 30-day plan").click()

    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("I agree that ITB Care stores").check()
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Start your 30-day plan")
    page.get_by_role("button", name="Start my plan").click()

    expect(page).to_have_url(f"{live_server.url}/rehab/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 of 30")
    expect(page.locator("progress")).to_have_attribute("value", "1")
    plan = Plan.objects.get(user__username="dana")
    assert (plan.screening_id, plan.activity) == (screening.pk, "running")


def test_logging_today_by_tapping_pain_choices_then_seeing_it_on_the_timeline(live_server, page: Page):
    alice = make_user("alice")
    plan = make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    make_log(plan, plan.start_date, pain_worst=6, rested=True)
    sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/rehab/")
    page.get_by_role("link", name="Log today").click()
    worst = page.get_by_role("group", name="Worst outside-knee pain in the last 24 hours")
    choice(worst, "3").click()
    expect(worst.get_by_role("radio", name="3", exact=True)).to_be_checked()
    choice(
        page.get_by_role("group", name="Did you rest from the activity that brings on the pain today?"), "Yes"
    ).click()
    page.get_by_role("button", name="Save log").click()

    expect(page).to_have_url(f"{live_server.url}/rehab/")
    expect(page.locator("#today-log")).to_contain_text("Logged: worst pain 3 out of 10.")
    log = DailyLog.objects.get(plan=plan, date=timezone.localdate())
    assert (log.pain_worst, log.rested) == (3, True)

    page.get_by_role("link", name="See your whole timeline and pain chart").click()
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("svg.chart circle.dot-worst")).to_have_count(2)
    page.get_by_text("The chart's numbers as a table").click()
    rows = page.locator("table.data-table").first.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("td").nth(1)).to_have_text("3")  # plan day 3
    expect(rows.nth(1).locator("td").nth(2)).to_have_text("3")  # worst pain 3
    expect(page.locator("li.timeline-day.is-today .pain-dot")).to_have_class("pain-dot pain-3")


def test_ticking_an_exercise_swaps_it_to_done_in_place_with_htmx(live_server, page: Page):
    alice = make_user("alice")
    plan = make_plan(alice, start_date=timezone.localdate())
    sign_in(page, live_server, alice)

    page.goto(f"{live_server.url}/rehab/")
    assert page.evaluate("typeof htmx") == "object", "htmx loaded (else the form would post the whole page)"
    page.evaluate("window.stillTheSamePage = true")
    adherence = page.locator("#adherence")
    expect(adherence).to_have_text("Week 1: 0 of 5 exercises done (0%).")
    item = page.locator('[data-exercise="calf-stretch"]')

    with page.expect_request(lambda request: "/rehab/done/" in request.url) as tick:
        item.get_by_role("button", name="Mark done").click()

    expect(item).to_have_attribute("data-done", "true")
    expect(item).to_contain_text("✓ Done")
    expect(item.get_by_role("button")).to_have_text(re.compile(r"^Undo"))  # visible, not only to screen readers
    expect(adherence).to_have_text("Week 1: 1 of 5 exercises done (20%).")
    assert tick.value.method == "POST"
    assert tick.value.headers.get("hx-request") == "true"
    assert page.url == f"{live_server.url}/rehab/"
    assert page.evaluate("window.stillTheSamePage") is True, "no full page reload"
    assert list(Completion.objects.values_list("plan_id", "exercise_id")) == [(plan.pk, "calf-stretch")]

    item.get_by_role("button", name=re.compile("^Undo")).click()
    expect(item).to_have_attribute("data-done", "false")
    expect(adherence).to_have_text("Week 1: 0 of 5 exercises done (0%).")
    assert not Completion.objects.exists()


def test_without_javascript_ticking_an_exercise_posts_and_returns_to_today(live_server, browser: Browser):
    alice = make_user("alice")
    plan = make_plan(alice, start_date=timezone.localdate())
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, live_server, alice)
        page.goto(f"{live_server.url}/rehab/")
        item = page.locator('[data-exercise="figure-4-stretch"]')

        with page.expect_request(lambda request: "/rehab/done/" in request.url) as tick:
            item.get_by_role("button", name="Mark done").click()
        page.wait_for_load_state()

        assert "hx-request" not in tick.value.headers
        # Back at the exercise it ticked, not the top of the page.
        expect(page).to_have_url(f"{live_server.url}/rehab/#exercise-figure-4-stretch")
        expect(item).to_have_attribute("data-done", "true")
        expect(item).to_contain_text("✓ Done")
        expect(item.get_by_role("button")).to_have_text(re.compile(r"^Undo"))
        expect(page.locator("#adherence")).to_have_text("Week 1: 1 of 5 exercises done (20%).")
        assert list(Completion.objects.values_list("plan_id", "exercise_id")) == [(plan.pk, "figure-4-stretch")]
    finally:
        context.close()


def test_the_hold_timer_counts_down_after_a_get_ready_countdown(live_server, page: Page):
    alice = make_user("alice")
    make_plan(alice, start_date=timezone.localdate())
    sign_in(page, live_server, alice)
    page.clock.install()
    page.goto(f"{live_server.url}/rehab/exercises/figure-4-stretch/")  # "Hold 20–30 s": a 20 s hold
    timer = page.locator("#exercise-timer")
    expect(timer).to_be_visible()  # shown by the script; hidden without it
    seconds = timer.get_by_role("timer")
    timer.get_by_role("button", name="Start").click()
    expect(timer.locator("[data-timer-phase]")).to_have_text("Get ready")
    expect(seconds).to_have_text("5")
    page.clock.run_for(2000)
    expect(seconds).to_have_text("3")
    page.clock.run_for(3000)
    expect(timer.locator("[data-timer-phase]")).to_have_text("Hold")
    expect(seconds).to_have_text("20")
    page.clock.run_for(19000)
    expect(seconds).to_have_text("1")
    page.clock.run_for(1000)
    expect(timer.locator("[data-timer-phase]")).to_have_text("Time is up. Rest, then go again.")
    expect(seconds).to_have_text("0")

    page.goto(f"{live_server.url}/rehab/exercises/clamshell/")  # "2 × 10, …": a rep counter
    counter = page.locator("#exercise-timer")
    for _ in range(10):
        counter.get_by_role("button", name="Count a rep").click()
    expect(counter).to_contain_text("10 of 10 reps")
    expect(counter).to_contain_text("That is the set.")
