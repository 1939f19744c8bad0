"""The function score on a 390 px phone: after naming three activities, rating all three takes at
most 5 taps (one 0–10 choice each and Save), with and without JavaScript; nothing is wider than
the screen, and today's page then says what the score means."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rehab.library import load_catalogue
from rehab.models import Exercise, PsfsScore
from tests.factories import make_plan, make_user

pytestmark = pytest.mark.browser

ACTIVITIES = {"Run 10 km": "3", "Walk down stairs": "6", "Cycle to work": "4"}


@pytest.fixture(autouse=True)
def _exercise_library(live_server):
    load_catalogue(Exercise)  # a flushed transactional database has lost the migration's rows


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_three_activities_rated_in_at_most_5_taps_after_naming_them(phone, live_server, javascript):
    user = make_user(f"psfs-{javascript}")
    plan = make_plan(user, start_date=timezone.localdate() - timedelta(days=1))
    page = phone(user, javascript=javascript)

    # Today's page offers it at the plan's start; the offer leads to naming the activities.
    page.goto(live_server.url + "/rehab/")
    page.get_by_role("link", name="Name the activities your knee makes hard (1 minute)").tap()
    expect(page).to_have_url(re.compile(r"/rehab/function/activities/$"))
    _fits(page)
    for number, name in enumerate(ACTIVITIES, start=1):
        page.get_by_label(re.compile(rf"^Activity {number}")).fill(name)
    with page.expect_navigation():
        page.get_by_role("button", name="Save and rate them").tap()
    expect(page).to_have_url(re.compile(r"/rehab/function/$"))
    _fits(page)

    taps = 0
    for name, score in ACTIVITIES.items():
        group = page.get_by_role("group", name=name)
        group.locator("label").filter(has_text=re.compile(rf"^\s*{score}\s*$")).tap()
        taps += 1
        expect(group.get_by_role("radio", name=score, exact=True)).to_be_checked()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^Save the scores for ")).tap()
    taps += 1
    assert taps <= 5

    saved = {s.activity.name: s.score for s in PsfsScore.objects.filter(plan=plan).select_related("activity")}
    assert saved == {name: int(score) for name, score in ACTIVITIES.items()}
    expect(page).to_have_url(re.compile(r"/rehab/$"))
    expect(page.locator("#outcome-today")).to_contain_text("Your function score is 4.3 out of 10")
    _fits(page)
