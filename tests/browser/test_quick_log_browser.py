"""The quick log on today's page on a 390 px phone (issue 12): a rest day in at most 3 taps and a
session day in at most 6, with JavaScript (htmx swaps in place and announces) and without (the
form posts and comes back to `#today-log`); the export then shows unanswered swelling as null."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rehab.library import load_catalogue
from rehab.models import DailyLog, Exercise
from tests.browser.support import rest_plan, session_plan

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _exercise_library(live_server):
    load_catalogue(Exercise)  # a flushed transactional database has lost the migration's rows


class Taps:
    """Every tap the person makes, counted."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def choice(self, group_name: str, text: str) -> None:
        group = self.page.get_by_role("group", name=group_name)
        label = group.locator("label").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
        label.tap()
        self.count += 1
        expect(group.get_by_role("radio", name=text, exact=True)).to_be_checked()

    def save(self, *, javascript: bool) -> None:
        button = self.page.locator("#today-log").get_by_role("button", name="Save today's log")
        self.count += 1
        if javascript:
            with self.page.expect_response(lambda r: "/rehab/log/" in r.url and r.request.headers.get("hx-request")):
                button.tap()
        else:
            with self.page.expect_navigation():
                button.tap()


def exported_log(page: Page, live_server, day) -> dict:
    response = page.request.get(f"{live_server.url}/rehab/export.json")
    assert response.ok
    return next(row for row in json.loads(response.body())["logs"] if row["date"] == day.isoformat())


def assert_saved(page: Page, live_server, *, javascript: bool, pain: int) -> None:
    expect(page.locator("#today-log")).to_contain_text(f"Logged: worst pain {pain} out of 10.")
    if javascript:
        assert page.evaluate("typeof htmx") == "object"
        assert page.evaluate("window.stillTheSamePage") is True, "swapped in place, not reloaded"
        expect(page.locator("#live-region")).to_have_text(f"Saved today's log: worst pain {pain} out of 10.")
        assert page.url == f"{live_server.url}/rehab/"
    else:
        assert page.url == f"{live_server.url}/rehab/#today-log"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_rest_day_is_logged_from_todays_page_in_3_taps(live_server, phone, javascript):
    user, plan = rest_plan(f"rest{int(javascript)}")
    page = phone(user, javascript=javascript)
    page.goto(f"{live_server.url}/rehab/")
    if javascript:
        page.evaluate("window.stillTheSamePage = true")
    taps = Taps(page)
    taps.choice("Worst outside-knee pain in the last 24 hours", "2")
    taps.choice("Did you rest from the activity that brings on the pain today?", "Yes")
    taps.save(javascript=javascript)
    assert taps.count <= 3
    assert_saved(page, live_server, javascript=javascript, pain=2)
    log = DailyLog.objects.get(plan=plan, date=timezone.localdate())
    assert (log.pain_worst, log.rested, log.swelling, log.nsaid) == (2, True, None, None)
    row = exported_log(page, live_server, timezone.localdate())
    assert (row["swelling"], row["nsaid"], row["rested"]) == (None, None, "yes")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_session_day_is_logged_from_todays_page_in_at_most_6_taps(live_server, phone, javascript):
    user, plan = session_plan(f"session{int(javascript)}")
    page = phone(user, javascript=javascript)
    page.goto(f"{live_server.url}/rehab/")
    expect(page.locator("#status-line")).to_contain_text("Today is a session day")
    if javascript:
        page.evaluate("window.stillTheSamePage = true")
    taps = Taps(page)
    taps.choice("Worst outside-knee pain in the last 24 hours", "1")
    taps.choice("Did you do today's session?", "Yes")
    taps.choice("Worst outside-knee pain during the session", "2")
    taps.choice("Did you stop early because of pain or a limp?", "No")
    taps.save(javascript=javascript)
    assert taps.count <= 6
    assert_saved(page, live_server, javascript=javascript, pain=1)
    expect(page.locator("#status-line")).to_contain_text("level 3 of 8")
    expect(page.locator(".today-message[data-rule='pass']")).to_contain_text("Good news")
    log = DailyLog.objects.get(plan=plan, date=timezone.localdate())
    assert (log.session_done, log.pain_during, log.stopped_early, log.swelling) == (True, 2, False, None)
    assert exported_log(page, live_server, timezone.localdate())["swelling"] is None


def test_on_a_phone_no_pain_and_worst_sit_under_0_and_10_and_notes_count_to_2000(live_server, phone):
    user, _plan = rest_plan("ends")
    page = phone(user, javascript=True)
    page.goto(f"{live_server.url}/rehab/")
    scale = page.locator("#today-log .pain-scale").first
    choices = scale.locator("label.choice")
    expect(choices).to_have_count(11)
    boxes = [choices.nth(i).bounding_box() for i in range(11)]
    assert len({round(box["y"]) for box in boxes}) == 1, "0 to 10 on one row"
    assert boxes[-1]["x"] + boxes[-1]["width"] <= 390, "nothing off the screen"
    ends = scale.locator(".pain-ends span")
    low, high = ends.nth(0).bounding_box(), ends.nth(1).bounding_box()
    assert abs(low["x"] - boxes[0]["x"]) < 4, "“no pain” starts under 0"
    assert abs((high["x"] + high["width"]) - (boxes[-1]["x"] + boxes[-1]["width"])) < 4, "“worst” ends under 10"
    assert min(box["width"] for box in boxes) >= 24, "each choice is still a 24 px target (WCAG 2.5.8)"

    page.locator("#today-log summary").filter(has_text="More details").tap()
    notes = page.locator("#today-log textarea[name='notes']")
    counter = page.locator("#today-log .char-counter")
    expect(counter).to_have_text("0 / 2,000")
    notes.fill("Stairs were fine")
    expect(counter).to_have_text("16 / 2,000")
    assert "id_notes_counter" in notes.get_attribute("aria-describedby")


def test_with_javascript_a_missing_pain_score_is_shown_by_the_field_and_nothing_typed_is_lost(live_server, phone):
    user, plan = rest_plan("oops")
    page = phone(user, javascript=True)
    page.goto(f"{live_server.url}/rehab/")
    page.evaluate("window.stillTheSamePage = true")
    taps = Taps(page)
    taps.choice("Did you rest from the activity that brings on the pain today?", "Yes")
    page.locator("#today-log summary").filter(has_text="More details").tap()
    page.locator("#today-log textarea[name='notes']").fill("Sore after the stairs")
    taps.save(javascript=True)
    alert = page.locator("#today-log [role=alert]")
    expect(alert).to_contain_text("Please check the answers marked below")
    expect(alert).to_be_focused()
    expect(page.locator("fieldset:has(#id_pain_worst_0)")).to_contain_text("Please choose a number from 0 to 10.")
    expect(page.locator("#id_rested_0")).to_be_checked()
    expect(page.locator("#today-log textarea[name='notes']")).to_have_value("Sore after the stairs")
    assert page.evaluate("window.stillTheSamePage") is True
    assert not DailyLog.objects.filter(plan=plan).exists()
