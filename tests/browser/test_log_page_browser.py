"""The full log page on a 390 px phone: the common day fits two screens. The rarer fields fold
behind <details> (no JavaScript needed) and open when they hold something."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import building_user, rest_plan, session_plan
from tests.factories import make_log

pytestmark = pytest.mark.browser

SCREEN = 844  # the phone's height in CSS px


def save_button_bottom(page) -> float:
    box = page.get_by_role("button", name="Save log").bounding_box()
    return page.evaluate("window.scrollY") + box["y"] + box["height"]


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("kind", ["rest", "session", "build"])
def test_the_common_day_fits_two_screens(live_server, phone, javascript, kind):
    if kind == "build":  # build-back: the session questions and the activity rows stay in view
        user = building_user()
    else:
        user, _plan = (rest_plan if kind == "rest" else session_plan)(f"{kind}{int(javascript)}")
    page = phone(user, javascript=javascript)
    page.goto(f"{live_server.url}/rehab/log/{timezone.localdate().isoformat()}/")
    bottom = save_button_bottom(page)
    if kind == "build":
        # Build-back asks the session questions and the activity rows every day: the day's form,
        # from its heading to "Save log", fits two screens (the site's header comes on top).
        heading = page.get_by_role("heading", level=1).bounding_box()["y"] + page.evaluate("window.scrollY")
        assert bottom - heading <= 2 * SCREEN, f"the form takes {bottom - heading:.0f} px"
    else:
        assert bottom <= 2 * SCREEN, f"the form ends at {bottom:.0f} px"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    more = page.locator("details.log-more")
    expect(more).not_to_have_attribute("open", "")
    more.locator("summary").tap()
    expect(page.get_by_text("Swelling", exact=False).first).to_be_visible()


def test_a_folded_section_that_holds_an_answer_opens(live_server, phone):
    user, plan = rest_plan("noted")
    make_log(plan, timezone.localdate() - timedelta(days=1), pain_worst=2, notes="sore after stairs")
    page = phone(user, javascript=False)
    page.goto(f"{live_server.url}/rehab/log/{(timezone.localdate() - timedelta(days=1)).isoformat()}/")
    expect(page.locator("details.log-more")).to_have_attribute("open", "")
    expect(page.get_by_label("Notes", exact=False)).to_have_value("sore after stairs")
