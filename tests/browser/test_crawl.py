"""Every page, as three people, is accessible, valid, light and clean; core tasks work without JS.

The crawl (tests/browser/crawler.py) opens every page reachable by links and forms as:
- `anonymous`: nobody signed in;
- `no-plan`: signed up, took the knee check twice (the latest fits IT band syndrome), no plan;
- `returning`: a plan in the graded-return phase, 20 days of logs, a passed check, ticks;
- and `check-due` only for the two pages of the progress check, offered on the day it is due;
- `building`: build-back week 3 (load.md's B02m), with activity entries and a usual week, for
  today's build-back line, /rehab/build/ (its chart), /rehab/target/ and the log's formset.
Then a person with JavaScript switched off screens to a result, signs up, starts a plan, logs a
day and ticks an exercise, submitting the real forms; every page on the way is checked too.
Screenshots land in artifacts/screenshots/<persona>/.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, expect

from rehab import services
from rehab.library import load_catalogue
from rehab.models import Exercise
from reports.services import create_share_link
from screening import flow, rules
from tests.browser.crawler import SCREENSHOTS, Crawler, CrawlReport, site_server, vnu_errors
from tests.browser.support import building_user
from tests.factories import (
    ITBS_ANSWERS,
    make_check,
    make_completion,
    make_log,
    make_plan,
    make_screening,
    make_user,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a-long-Unusual-passphrase-42"


@pytest.fixture
def site(transactional_db):
    # The exercise library comes from a data migration, and every transactional test ends by
    # emptying all tables: load it again (an idempotent upsert by slug).
    load_catalogue(Exercise)
    with site_server() as url:
        yield url


@pytest.fixture
def new_context(site, browser: Browser):
    """Browser contexts that are closed before the server stops (their open connections hold it)."""
    contexts: list[BrowserContext] = []

    def make(user=None, **options) -> BrowserContext:
        context = browser.new_context(**options)
        contexts.append(context)
        if user is not None:  # logged in as `user`, with a session made by Django's test client
            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site}])
        return context

    yield make
    for context in contexts:
        context.close()


def _clinician_answers() -> dict:
    """ITBS answers with one warning sign: the outcome is no longer itbs_likely."""
    for question in rules.QUESTIONS:
        if question.step == "warning":
            answers = {**ITBS_ANSWERS, question.id: "yes"}
            if rules.triage(answers).outcome != "itbs_likely":
                return answers
    raise AssertionError("no warning question changes the outcome")


def _no_plan_user():
    user = make_user("nora")
    now = timezone.now()
    make_screening(user, _clinician_answers(), taken_at=now - timedelta(days=30))
    make_screening(user, taken_at=now - timedelta(days=1))
    return user


def _returning_user():
    """Day 21 of a plan: 13 rest days, a passed check on day 14, four passed sessions since."""
    user = make_user("rhea")
    today = timezone.localdate()
    start = today - timedelta(days=20)
    plan = make_plan(user, start_date=start)
    for n in range(1, 21):
        day = start + timedelta(days=n - 1)
        if n <= 13:
            make_log(plan, day, pain_worst=max(1, 4 - n // 4), rested=True, cross_training_minutes=30)
        elif n % 2 == 0:
            make_log(plan, day, pain_worst=1, session_done=True, pain_during=1, stopped_early=False)
        else:
            make_log(plan, day, pain_worst=1, notes="Easy day; walked the dog.")
        for slug in ("figure-4-stretch", "calf-stretch"):
            make_completion(plan, day, slug)
    make_check(plan, start + timedelta(days=13))
    make_completion(plan, today, "figure-4-stretch")
    # The function score: three activities rated at the start and at the check, one retired since.
    run, stairs, cycle = services.psfs_name(plan=plan, names={1: "Run 5 km", 2: "Stairs", 3: "Cycle"}, today=start)
    services.psfs_rate(plan=plan, day=start, scores={run.pk: 3, stairs.pk: 4, cycle.pk: 4})
    services.psfs_rate(plan=plan, day=start + timedelta(days=13), scores={run.pk: 6, stairs.pk: 6, cycle.pk: 7})
    services.psfs_name(plan=plan, names={1: "Run 5 km", 2: "", 3: "Cycle"}, today=today)
    return user


def _check_due_user():
    """Day 14 of the rest phase, 13 days logged: the progress check is due."""
    user = make_user("cleo")
    start = timezone.localdate() - timedelta(days=13)
    plan = make_plan(user, start_date=start)
    for n in range(13):
        make_log(plan, start + timedelta(days=n), pain_worst=1, rested=True)
    return user


def _with_imports(user) -> list[str]:
    """Two imports of `user`: one read and waiting to be confirmed (a preview with history, a day
    inside the plan and per-file messages), one confirmed; the history gives a usual week."""
    from datetime import UTC, datetime, time

    from imports.models import ImportJob
    from rehab.services import ImportRow, import_activities

    plan = user.plan
    pain = plan.screening.taken_at.date()
    history = []
    for n in range(24):  # 6 weeks of 4 runs (45 min, 8 km), one of them longer (a spike)
        day = pain - timedelta(days=42 - n * 7 // 4)
        started = datetime.combine(day, time(7), tzinfo=UTC)
        minutes = 75 if n == 20 else 45
        history.append(ImportRow(f"strava:{n}", "strava", started, day, "running", minutes, Decimal("8.0")))
    import_activities(plan=plan, rows=history, today=timezone.localdate())
    found = [
        {"id": f"gpx:{i}", "source": "gpx", "start": datetime.combine(day, time(8), tzinfo=UTC).isoformat()}
        | {"moving_s": 1800 + 60 * i, "distance_m": 5000.0, "sport": sport, "kind": kind, "file": f"{i}.gpx"}
        | {"device": "Builder watch"}
        for i, (day, sport, kind) in enumerate(
            [
                (timezone.localdate() - timedelta(days=1), "running", "running"),
                (pain - timedelta(days=3), "Ride", "cycling"),
                (pain - timedelta(days=5), "Walk", "walking"),
            ]
        )
    ]
    problems = [{"file": "laughs.gpx", "code": "xml_entities", "params": {}}, {"file": "empty.fit", "code": "empty"}]
    ready = ImportJob.objects.create(
        user=user, state="ready", result={"activities": found, "problems": problems, "ignored": 2}
    )
    done = ImportJob.objects.create(
        user=user,
        state="done",
        result={"activities": [], "problems": [], "ignored": 0},
        summary={"written": 24, "skipped": {"already": 1}},
    )
    return [f"/rehab/import/{ready.pk}/", f"/rehab/import/{done.pk}/", "/rehab/import/", "/rehab/import/usual-week/"]


def _assert_clean(report: CrawlReport) -> None:
    problems = report.problems()
    assert not problems, f"{len(problems)} problems in {report.summary()}:\n" + "\n".join(problems)


ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


# The whole crawl checks markup, accessibility, page weight and console errors, none of which
# depends on the database, and is the suite's slowest test (~100 s): it runs once, in the SQLite
# run of `make test`, so each database's suite stays under 10 minutes. On PostgreSQL every view's
# tests, the no-JavaScript walk below and the other browser tests still run;
# CRAWL_ON_POSTGRESQL=1 runs the crawl there too.
@pytest.mark.skipif(
    ON_POSTGRESQL and not os.environ.get("CRAWL_ON_POSTGRESQL"),
    reason="the full crawl runs in the SQLite run (CRAWL_ON_POSTGRESQL=1 runs it here too)",
)
def test_every_page_for_every_persona_is_accessible_valid_light_and_clean(site, new_context, tmp_path):
    report = CrawlReport()
    options = {"html_dir": tmp_path, "report": report, "screenshots_per_route": 2}
    returning = _returning_user()
    _link, token = create_share_link(plan=returning.plan, days=7, include_notes=True)
    shared = f"/s/{token}/"
    Crawler(new_context(), site, "anonymous", **options).crawl(["/", ("/no-such-page/", 404), shared, "/offline/"])
    Crawler(new_context(_no_plan_user()), site, "no-plan", **options).crawl(["/", "/rehab/", "/rehab/plan/"])
    # No link leads to the progress check once it is behind you; a bookmark still may.
    Crawler(new_context(returning), site, "returning", **options).crawl(["/", "/rehab/", "/rehab/check/"])
    # The progress-check form is only offered on the day it is due: one more person, two pages.
    Crawler(new_context(_check_due_user()), site, "check-due", **options).crawl(
        ["/rehab/", "/rehab/check/", "/rehab/function/", "/rehab/function/activities/"], follow=False
    )
    today = timezone.localdate().isoformat()
    building = building_user()
    imports = _with_imports(building)
    Crawler(new_context(building), site, "building", **options).crawl(
        [
            "/rehab/",
            "/rehab/build/",
            "/rehab/target/",
            f"/rehab/log/{today}/",
            "/rehab/timeline/",
            "/rehab/report/",
            *imports,
        ],
        follow=False,
    )
    _crawl_error_pages(Crawler(new_context(returning), site, "errors", **options))
    token_pages = _token_pages(returning)
    Crawler(new_context(), site, "anonymous", **options).crawl(token_pages, follow=False)
    _crawl_new_calendar_link(Crawler(new_context(returning), site, "returning", **options))

    report.add_vnu(vnu_errors(tmp_path))
    print("\ncrawl:", report.summary())

    crawled = {(page.persona, page.final_path.split("?")[0]) for page in report.pages}
    # The crawl really reached each persona's pages (a broken link would shrink it silently).
    assert ("anonymous", "/screening/") in crawled and ("anonymous", "/accounts/signup/") in crawled
    assert ("anonymous", "/offline/") in crawled  # the page the service worker shows offline
    assert ("no-plan", "/rehab/start/") in crawled and ("no-plan", "/screening/history/") in crawled
    assert {"/rehab/timeline/", "/rehab/exercises/", "/accounts/settings/"} <= {p for _, p in crawled}
    assert {
        ("no-plan", "/rehab/plan/"),
        ("returning", "/rehab/plan/"),
        ("returning", "/rehab/plan/settings/"),
    } <= crawled
    assert {("returning", "/rehab/build/"), ("returning", "/rehab/target/")} <= crawled  # linked from the timeline
    assert {("building", "/rehab/build/"), ("building", "/rehab/target/"), ("building", "/rehab/")} <= crawled
    assert ("building", "/rehab/report/") in crawled  # the report's activity and build-back section
    # The function score: rated (linked from the timeline and the plan page) and named.
    assert {("returning", "/rehab/function/"), ("returning", "/rehab/function/activities/")} <= crawled
    assert ("check-due", "/rehab/function/activities/") in crawled
    assert {("building", path) for path in imports} <= crawled  # upload, preview, result, usual week
    assert sum(1 for persona, path in crawled if persona == "returning" and path.startswith("/rehab/log/")) >= 20
    assert sum(1 for persona, path in crawled if persona == "returning" and path.startswith("/rehab/exercises/")) > 14
    assert any(key.endswith("/rehab/export.csv") for key in report.downloads)
    assert {("returning", "/rehab/report/"), ("returning", "/rehab/share/"), ("anonymous", shared)} <= crawled
    assert ("returning", "/accounts/report-name/") in crawled  # linked from Account settings and the report
    assert any(key.endswith("/rehab/report.pdf") for key in report.downloads)
    assert {"screening/restart/", "rehab/done/<isodate:day>/<slug:slug>/"} <= report.post_only
    # Static files' headers were checked as the pages loaded them (each file once per persona).
    assert {"/static/css/site.", "/static/js/app.", "/static/img/favicon."} <= {
        path[: path.index(".") + 1] for path in report.static_files
    }
    assert {("anonymous", path) for path in token_pages} <= crawled  # confirm and unsubscribe pages
    assert ("returning", "/reminders/calendar/new/") in crawled  # the new calendar link, shown once
    errors = {page.path: page.status for page in report.pages if page.persona == "errors"}
    assert sorted(errors.values()) == [400, 403, 500, 503], errors
    _assert_clean(report)


# --- Every page in Spanish ----------------------------------------------------------------------

#: A Spanish-speaking browser (Accept-Language: es-ES) on a phone-sized window.
SPANISH = {"locale": "es-ES"}


@pytest.mark.skipif(
    ON_POSTGRESQL and not os.environ.get("CRAWL_ON_POSTGRESQL"),
    reason="the crawl runs in the SQLite run (CRAWL_ON_POSTGRESQL=1 runs it here too)",
)
def test_every_page_in_spanish_is_accessible_valid_and_has_no_english_left(site, new_context, tmp_path):
    """The same people and pages in Spanish: `lang="es"`, 0 axe violations at 390 px, 0 HTML
    errors, and none of the common English words in what people read (brand names allowed).
    Colours and the desktop layout do not change with the language, so the dark-mode and 1280 px
    axe runs and the screenshots are left to the English crawl, and each kind of page is visited
    at most 3 times (21 daily logs say the same words): about a third of the English crawl's time."""
    report = CrawlReport()
    options = {
        "html_dir": tmp_path,
        "report": report,
        "language": "es",
        "axe_extra": False,
        "screenshots": False,
        "pages_per_route": 3,
    }
    returning = _returning_user()
    _link, token = create_share_link(plan=returning.plan, days=7, include_notes=True)
    shared = f"/s/{token}/"
    Crawler(new_context(**SPANISH), site, "es-anonymous", **options).crawl(
        ["/", ("/no-such-page/", 404), shared, "/accounts/password/reset/"]
    )
    Crawler(new_context(_no_plan_user(), **SPANISH), site, "es-no-plan", **options).crawl(
        ["/", "/rehab/", "/rehab/plan/"]
    )
    # Every exercise page: each has its own instructions to translate.
    exercises = [f"/rehab/exercises/{slug}/" for slug in Exercise.objects.values_list("slug", flat=True)]
    Crawler(new_context(returning, **SPANISH), site, "es-returning", **{**options, "pages_per_route": None}).crawl(
        ["/rehab/", "/rehab/check/", "/rehab/timeline/", *exercises], follow=False
    )
    Crawler(new_context(returning, **SPANISH), site, "es-returning-all", **options).crawl(["/", "/rehab/"])
    Crawler(new_context(_check_due_user(), **SPANISH), site, "es-check-due", **options).crawl(
        ["/rehab/", "/rehab/check/"], follow=False
    )
    today = timezone.localdate().isoformat()
    building = building_user()
    imports = _with_imports(building)
    Crawler(new_context(building, **SPANISH), site, "es-building", **options).crawl(
        ["/rehab/", "/rehab/build/", "/rehab/target/", f"/rehab/log/{today}/", "/rehab/report/", *imports],
        follow=False,
    )
    _crawl_error_pages(Crawler(new_context(returning, **SPANISH), site, "es-errors", **options))

    report.add_vnu(vnu_errors(tmp_path))
    print("\ncrawl in Spanish:", report.summary())
    crawled = {(page.persona, page.final_path.split("?")[0]) for page in report.pages}
    assert ("es-anonymous", "/screening/") in crawled and ("es-anonymous", shared) in crawled
    assert ("es-no-plan", "/rehab/start/") in crawled
    assert {("es-returning", path) for path in exercises} <= crawled and len(exercises) >= 14
    assert {("es-returning-all", "/accounts/settings/"), ("es-returning-all", "/rehab/report/")} <= crawled
    assert {("es-building", path) for path in imports} <= crawled
    errors = sorted(page.status for page in report.pages if page.persona == "es-errors")
    assert errors == [400, 403, 500, 503], errors
    _assert_clean(report)


# Each error page made the way it happens, so that its markup, accessibility and headers are
# checked like every other page (the 404 is in the anonymous crawl).
EXPIRE_THE_LOG_OUT_FORM = """() => {
    const form = document.querySelector('form[action="/accounts/logout/"]');
    form.querySelector('[name=csrfmiddlewaretoken]').remove();
    form.submit();
}"""
TOO_MANY_FIELDS = """(count) => {
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/accounts/settings/';
    for (let n = 0; n < count; n++) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = 'f' + n;
        form.append(input);
    }
    document.body.append(form);
    form.submit();
}"""


def _crawl_error_pages(crawler: Crawler) -> None:
    page = crawler.page
    page.goto(crawler.base_url + "/accounts/settings/")
    crawler.start()
    with page.expect_navigation():
        page.evaluate(EXPIRE_THE_LOG_OUT_FORM)
    crawler.check_current("/accounts/logout/ (a form without its token)", expect_status=403)
    page.goto(crawler.base_url + "/accounts/settings/")
    crawler.start()
    with page.expect_navigation():
        page.evaluate(TOO_MANY_FIELDS, settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
    crawler.check_current("/accounts/settings/ (a request too big to read)", expect_status=400)
    with mock.patch("rehab.selectors.today_page", side_effect=RuntimeError("the crawl's crash")):
        crawler.goto("/rehab/", expect_status=500)
    with mock.patch("rehab.selectors.plan_page", side_effect=OperationalError("the crawl's database outage")):
        crawler.goto("/rehab/timeline/", expect_status=503)


def _token_pages(user) -> list[str]:
    """The pages a mailed link opens without signing in: confirm a pending reminder address, and
    stop reminders from an email's unsubscribe link."""
    from reminders.models import ReminderSent, hash_token, new_token
    from reminders.services import confirm_token

    nonce, unsubscribe = new_token(), new_token()
    user.pending_reminder_email, user.reminder_confirm_hash = "crawl@example.org", hash_token(nonce)
    user.save(update_fields=["pending_reminder_email", "reminder_confirm_hash"])
    ReminderSent.objects.create(
        user=user, date=timezone.localdate(), state=ReminderSent.SENT, unsubscribe_hash=hash_token(unsubscribe)
    )
    return [f"/reminders/confirm/{confirm_token(nonce)}/", f"/reminders/unsubscribe/{unsubscribe}/"]


def _crawl_new_calendar_link(crawler: Crawler) -> None:
    """The new calendar link is shown once, on the page its form's POST answers with."""
    page = crawler.page
    page.goto(crawler.base_url + "/accounts/settings/")
    crawler.start()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Make (my calendar|a new) link")).click()
    crawler.check_current("/reminders/calendar/new/")


# --- The core tasks with JavaScript switched off --------------------------------------------


def _answer_step(page) -> None:
    """Answer every visible question of a knee-check step the way ITBS_ANSWERS does."""
    shown = page.eval_on_selector_all(
        "form.step-form input:not([type=hidden])",
        "inputs => inputs.filter(i => i.offsetParent).map(i => [i.name, i.type])",
    )
    for name, kind in dict(shown).items():
        if name not in ITBS_ANSWERS:
            continue  # a follow-up that the answers given make unnecessary (and hide)
        value = ITBS_ANSWERS[name]
        if kind == "number":
            page.locator(f'form.step-form [name="{name}"]').fill(str(value))
        else:
            page.locator(f'form.step-form [name="{name}"][value="{value}"]').check()


def _assert_error_is_tied_to(control, message: str) -> None:
    """The control (or group) is marked invalid and names its error message in aria-describedby."""
    described_by = (control.get_attribute("aria-describedby") or "").split()
    errors = [ref for ref in described_by if ref.endswith("_error")]
    assert errors, f"no error id in aria-describedby={described_by}"
    expect(control.page.locator(f"#{errors[0]}")).to_contain_text(message)


def test_core_tasks_work_without_javascript(site, new_context, tmp_path):
    report = CrawlReport()
    crawler = Crawler(
        new_context(java_script_enabled=False),
        site,
        "no-javascript",
        html_dir=tmp_path,
        report=report,
        axe_page=new_context().new_page(),
    )
    page = crawler.page

    def submit(button_name: str, label: str, *, exact: bool = False):
        crawler.start()
        with page.expect_navigation():
            page.get_by_role("button", name=button_name, exact=exact).click()
        return crawler.check_current(label)

    # 1. The knee check, step by step, to a result.
    crawler.goto("/")
    crawler.start()
    with page.expect_navigation():
        page.get_by_role("link", name="Start the knee check").click()
    crawler.check_current("/screening/ (from the home page)")
    for _ in range(len(flow.PAGE_SPECS) + 2):
        if "/result/" in page.url:
            break
        _answer_step(page)
        submit("Continue", f"{page.url} answered")
    assert "/screening/result/" in page.url
    expect(page.locator("#screening-result")).to_have_attribute("data-outcome", "itbs_likely")

    # 1b. Another browser: "cannot bear weight" gives the short check step, then urgent_today's
    # result with same-day care first (this browser's language is en-US: the generic action).
    other = Crawler(
        new_context(java_script_enabled=False),
        site,
        "no-javascript",
        report=report,
        html_dir=tmp_path,
        axe_page=new_context().new_page(),
    )
    other.goto("/screening/")
    other.page.locator('[name="age"]').fill("34")
    other.page.locator('[name="activity"][value="running"]').check()
    for button, label in (("Continue", "/screening/ answered"), ("", "/screening/urgent/ cannot bear weight")):
        other.start()
        if not button:
            other.page.locator('[name="cannot_bear_weight"][value="yes"]').check()
        with other.page.expect_navigation():
            other.page.get_by_role("button", name="Continue").click()
        other.check_current(label)
    expect(other.page.get_by_role("heading", level=1)).to_have_text("Eight more questions to rule out an emergency")
    for label in ("check page answered", "second check page answered"):
        other.start()
        with other.page.expect_navigation():
            other.page.get_by_role("button", name="None of these").click()
        other.check_current(label)
    other.page.locator('[name="injury_onset"][value="no"]').check()
    other.start()
    with other.page.expect_navigation():
        other.page.get_by_role("button", name="Continue").click()
    other.check_current("urgent_today result")
    expect(other.page.locator("#screening-result")).to_have_attribute("data-outcome", "urgent_today")

    # 2. Sign up from the result and start the plan.
    crawler.start()
    with page.expect_navigation():
        page.get_by_role("link", name="Start your 30-day plan").click()
    crawler.check_current("sign-up page (from the result)")
    submit("Create account", "sign-up with nothing filled in")  # the errors page is checked too
    _assert_error_is_tied_to(page.locator("#id_username"), "This field is required.")
    _assert_error_is_tied_to(page.locator("#id_health_consent"), "Please agree to storing your health information")
    page.get_by_label("Username").fill("noor")
    page.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_label("I agree that ITB Care stores").check()
    submit("Create account", "sign-up")
    assert page.url.endswith("/rehab/start/")
    submit("Start my plan", "start the plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 of 30")

    # 3. Log the day (first with a missing answer: the error is announced and kept with the field).
    crawler.start()
    with page.expect_navigation():
        page.get_by_role("link", name="Log today").click()
    crawler.check_current("today's log")
    submit("Save log", "log with no pain score")
    expect(page.get_by_role("alert")).to_contain_text("Please check the answers marked below")
    # A group of choices carries its error on the fieldset, where screen readers announce it.
    _assert_error_is_tied_to(page.locator("fieldset:has(#id_pain_worst_0)"), "Please choose a number from 0 to 10.")
    expect(page.locator("#id_pain_worst_0")).to_have_attribute("aria-invalid", "true")
    page.locator('input[name="pain_worst"][value="2"]').check()
    page.locator('input[name="rested"][value="yes"]').check()
    submit("Save log", "log saved")
    expect(page.locator("#today-log")).to_contain_text("Logged: worst pain 2 out of 10.")

    # 4. Tick an exercise; the page comes back with it ticked.
    first = page.locator("#exercises li.exercise-item").first
    name = first.get_by_role("link").inner_text()
    crawler.start()
    with page.expect_navigation():
        first.get_by_role("button", name="Mark done").click()
    crawler.check_current("exercise ticked")
    expect(page.locator("#exercises li.exercise-item").first).to_have_attribute("data-done", "true")
    expect(page.get_by_role("button", name=re.compile(rf"^Undo\W+{re.escape(name)}$"))).to_be_visible()

    report.add_vnu(vnu_errors(tmp_path))
    print("\nno-javascript:", report.summary())
    _assert_clean(report)


# --- With JavaScript: what htmx swaps in is announced, and focus lands on it ------------------


def test_htmx_swaps_are_announced_and_keep_keyboard_focus_in_place(site, new_context):
    user = make_user("hana")
    make_plan(user)  # day 1: rest phase, exercises due
    page = new_context(user).new_page()
    page.set_default_timeout(5000)
    page.goto(site + "/rehab/")
    assert page.evaluate("htmx.version").startswith("2.")

    first = page.locator("#exercises li.exercise-item").first
    name = first.get_by_role("link").inner_text()
    first.get_by_role("button", name=re.compile("^Mark done")).focus()
    with page.expect_response(lambda r: "/rehab/done/" in r.url and r.request.headers.get("hx-request") == "true"):
        page.keyboard.press("Enter")
    expect(page.locator("#live-region")).to_have_text(f"{name} marked done.")
    expect(first).to_have_attribute("data-done", "true")
    expect(first.get_by_role("button")).to_be_focused()  # not lost to <body> with the old list

    # A knee-check step swapped in by htmx: focus moves to its heading.
    page.goto(site + "/screening/")
    page.locator('[name="age"]').fill("34")
    page.locator('[name="activity"][value="running"]').check()
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Continue").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Urgent signs")
    expect(heading).to_be_focused()


# --- Keyboard focus is always visible ---------------------------------------------------------

#: Is the focus indicator of the focused element visible? A transparent radio button (the
#: tappable choices) shows it on the label text right after it.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const shows = (node) => {
    const style = getComputedStyle(node);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  };
  const visible = shows(el) || (getComputedStyle(el).opacity === "0" && !!el.nextElementSibling && shows(el.nextElementSibling));
  return [el.outerHTML.slice(0, 100), visible];
}"""


def test_every_control_shows_keyboard_focus(site, new_context):
    user = make_user("kai")
    plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
    make_log(plan, plan.start_date, rested=True)
    page = new_context(user).new_page()
    page.set_default_timeout(5000)
    missing = []
    for path in ("/", "/screening/", "/rehab/", f"/rehab/log/{timezone.localdate()}/", "/rehab/timeline/"):
        page.goto(site + path)
        seen = set()
        for _ in range(120):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_SHOWN)
            if focused is None or focused[0] in seen:
                break  # back to the start: every stop visited
            seen.add(focused[0])
            if not focused[1]:
                missing.append(f"{path}: {focused[0]}")
        assert len(seen) > 5, f"{path}: Tab reached only {len(seen)} controls"
    assert not missing, "no visible focus indicator on:\n" + "\n".join(missing)


# --- The printable knee-check summary -----------------------------------------------------------


def test_the_screening_summary_prints_as_a_clean_page_for_a_clinician(site, new_context):
    user = make_user("pia")
    screening = make_screening(user, _clinician_answers())
    page = new_context(user).new_page()
    page.set_default_timeout(5000)
    page.goto(f"{site}/screening/result/{screening.pk}/summary/")
    page.emulate_media(media="print")
    for chrome in ("header.site-header", "footer.site-footer", "nav", "#emergency-line", ".no-print", ".skip-link"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knee check summary")
    expect(page.locator("table.summary-table").nth(1)).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") in (
        "rgb(255, 255, 255)",
        "rgba(0, 0, 0, 0)",
    )
    # For people to look at, next to the screenshots.
    (SCREENSHOTS / "print").mkdir(parents=True, exist_ok=True)
    page.pdf(path=SCREENSHOTS / "print" / "screening-summary.pdf", format="A4")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=SCREENSHOTS / "print" / "screening-summary.png", full_page=True)
