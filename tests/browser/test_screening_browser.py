"""A person takes the knee check in a real browser: with htmx, without JavaScript, and prints it.

Answers are given by clicking the labels of each question's group, found by the question's text,
as a person would; results are checked by the heading a person reads and `data-outcome`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from screening import flow, rules
from tests.factories import ITBS_ANSWERS

pytestmark = pytest.mark.browser

TIMEOUT_MS = 5000
MAX_PAGES = 16
LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure", **{code: str(label) for code, label in rules.ACTIVITIES}}

HEADINGS = {
    "emergency": "Get emergency help now",
    "urgent_today": "Get medical advice today",
    "clinician_soon": "Book a check with a clinician",
    "not_typical": "This doesn't look like typical IT band pain",
    "itbs_likely": "Your answers fit IT band syndrome",
}

#: One route per outcome; the emergency one goes through the Ottawa page.
ROUTES = {
    "emergency": {
        **ITBS_ANSWERS,
        "injury_onset": "yes",
        "injury_recent": "yes",
        "blow_inside_knee": "no",
        "ottawa_walk": "unsure",
        "ottawa_bend": "no",
        "ottawa_fibula": "no",
        "ottawa_kneecap": "no",
    },
    "urgent_today": {**ITBS_ANSWERS, "calf_swelling": "yes"},
    "clinician_soon": {**ITBS_ANSWERS, "age": 14},
    "not_typical": {**ITBS_ANSWERS, "repetitive_onset": "unsure"},
    "itbs_likely": dict(ITBS_ANSWERS),
}


def current_page(page: Page) -> str:
    classes = page.locator("form.step-form").get_attribute("class") or ""
    (page_id,) = re.findall(r"\bpage-([a-z0-9-]+)\b", classes)
    return page_id


def shown_questions(page: Page) -> list[str]:
    """The ids of the questions a person sees on this page, top to bottom (hidden follow-ups left out)."""
    return page.eval_on_selector_all(
        "form.step-form .question",
        "els => els.filter(e => e.offsetParent).map(e => e.querySelector('input, select').name)",
    )


def answer(page: Page, question_id: str, value) -> None:
    question = rules.QUESTIONS_BY_ID[question_id]
    if question.kind == "age":
        page.get_by_label(str(question.text)).fill(str(value))
        return
    group = page.get_by_role("group", name=str(question.text))
    group.get_by_label(LABELS[value], exact=True).check()


def has_none_of_these(page: Page) -> bool:
    return page.get_by_role("button", name="None of these").count() == 1


def take_screen(page: Page, answers: dict) -> dict:
    """Answer each page shown until the result appears; returns what it took.

    Where a page offers "None of these", only the answers other than "no" are clicked, then it.
    Taps: every click (a radio or a button); typing the age is counted apart.
    """
    took = {"pages": 0, "questions": 0, "taps": 0, "largest": 0}
    for _ in range(MAX_PAGES):
        progress = page.locator(".progress-label").inner_text()
        shortcut = has_none_of_these(page)
        handled: list[str] = []
        while new := [qid for qid in shown_questions(page) if qid not in handled]:  # follow-ups appear
            for qid in new:
                handled.append(qid)
                if qid not in answers or (shortcut and answers[qid] == "no"):
                    continue
                answer(page, qid, answers[qid])
                took["taps"] += qid != "age"
        took["pages"] += 1
        took["questions"] += len(handled)
        took["largest"] = max(took["largest"], len(handled))
        page.get_by_role("button", name="None of these" if shortcut else "Continue").click()
        took["taps"] += 1
        expect(page.locator(".progress-label")).not_to_have_text(progress)
        if page.locator("#screening-result").count():
            return took
    raise AssertionError("the screen never ended")


def focused_id(page: Page, wanted: str, *, within_ms: int = 2000) -> str:
    """The focused element's id, polled until it is `wanted` or the time is up.

    (`wait_for_function` compiles its predicate with eval, which the site's CSP forbids.)
    """
    for _ in range(within_ms // 50):
        focused = page.evaluate("document.activeElement ? document.activeElement.id : ''")
        if focused == wanted:
            break
        page.wait_for_timeout(50)
    return focused


def expect_result(page: Page, outcome: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[outcome])
    expect(page.locator("#screening-result")).to_have_attribute("data-outcome", outcome)


@pytest.fixture
def screen(live_server, page: Page) -> Page:
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(live_server.url + "/screening/")
    return page


@pytest.mark.parametrize("outcome", list(ROUTES))
def test_a_person_answers_each_page_and_reaches_the_outcome(screen: Page, outcome):
    take_screen(screen, ROUTES[outcome])
    expect_result(screen, outcome)
    plan = screen.get_by_role("link", name="Start your 30-day plan")
    expect(plan).to_have_count(1 if outcome == "itbs_likely" else 0)


def test_htmx_swaps_the_next_page_in_place_and_moves_focus_to_its_heading(screen: Page, live_server):
    assert screen.evaluate("htmx.version").startswith("2.")
    screen.evaluate("window.__sameDocument = true")
    answer(screen, "age", 34)
    answer(screen, "activity", "running")
    with screen.expect_request(lambda r: r.method == "POST" and r.url.endswith("/screening/")) as posted:
        screen.get_by_role("button", name="Continue").click()
    assert posted.value.headers.get("hx-request") == "true"
    expect(screen).to_have_url(live_server.url + "/screening/urgent/")
    expect(screen.get_by_role("heading", level=1)).to_have_text("Urgent signs")
    expect(screen.get_by_role("heading", level=2, name="After an injury or a hard effort")).to_be_visible()
    expect(screen.get_by_text("Step 2 of 11")).to_be_visible()
    assert screen.evaluate("window.__sameDocument") is True, "the page was reloaded instead of swapped"
    assert focused_id(screen, "step-heading") == "step-heading"


def test_without_javascript_a_person_reaches_itbs_likely(live_server, browser: Browser):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(live_server.url + "/screening/")
        assert page.evaluate("typeof window.htmx") == "undefined"  # the page's own scripts did not run
        take_screen(page, ITBS_ANSWERS)
        expect_result(page, "itbs_likely")
        expect(page).to_have_url(re.compile(r"/screening/result/[0-9a-f-]+/$"))
    finally:
        context.close()


def test_the_printable_summary_hides_the_navigation_in_print_and_keeps_the_answers(screen: Page):
    take_screen(screen, {**ITBS_ANSWERS, "deformity": "yes"})
    expect_result(screen, "emergency")
    screen.get_by_role("link", name="Printable summary").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("Knee check summary")
    header = screen.locator("header.site-header")
    answers_table = screen.locator("table").filter(has=screen.get_by_role("columnheader", name="Question"))
    expect(header).to_be_visible()
    expect(answers_table.get_by_role("cell", name="How old are you?")).to_be_visible()
    screen.emulate_media(media="print")
    expect(header).to_be_hidden()
    expect(screen.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(answers_table).to_be_visible()
    expect(answers_table.get_by_role("cell", name="How old are you?")).to_be_visible()


def click_and_wait(page: Page, button: str) -> None:
    """Click a button and wait for the next page (the urgent pages share their heading and buttons)."""
    progress = page.locator(".progress-label").inner_text()
    page.get_by_role("button", name=button).click()
    expect(page.locator(".progress-label")).not_to_have_text(progress)


def _through_the_urgent_pages(page: Page) -> None:
    for _ in flow.PAGE_SPECS[1:4]:
        click_and_wait(page, "None of these")
    expect(page.get_by_role("heading", level=1)).to_have_text("How it started")


def test_the_injury_follow_ups_hide_for_no_and_show_for_yes(screen: Page):
    _about(screen)
    _through_the_urgent_pages(screen)
    follow_ups = [
        screen.get_by_role("group", name=str(rules.QUESTIONS_BY_ID[qid].text), include_hidden=True)
        for qid in ("injury_recent", "blow_inside_knee")
    ]
    for group in follow_ups:
        expect(group).to_have_count(1)
    answer(screen, "injury_onset", "no")
    for group in follow_ups:
        expect(group).to_be_hidden()
    answer(screen, "injury_onset", "yes")
    for group in follow_ups:
        expect(group).to_be_visible()
    answer(screen, "injury_onset", "unsure")
    for group in follow_ups:
        expect(group).to_be_visible()


# --- with and without JavaScript ------------------------------------------------------------


@pytest.fixture(params=["js", "no-js"])
def any_page(request, live_server, browser: Browser) -> Page:
    context = browser.new_context(java_script_enabled=request.param == "js", locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(live_server.url + "/screening/")
    yield page
    context.close()


@pytest.fixture(params=["js", "no-js"])
def us_page(request, live_server, browser: Browser) -> Page:
    """A browser in American English: the United States has no national same-day line."""
    context = browser.new_context(java_script_enabled=request.param == "js", locale="en-US")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(live_server.url + "/screening/")
    yield page
    context.close()


def _about(page: Page, age: int = 34) -> None:
    answer(page, "age", age)
    answer(page, "activity", "running")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Urgent signs")


@pytest.mark.parametrize("flag", ["hot_swollen_fever", "deformity"])
def test_one_emergency_answer_and_continue_shows_a_call_link_within_4_taps_after_the_age(any_page: Page, flag):
    _about(any_page)
    taps = 0
    while not any_page.get_by_role("group", name=str(rules.QUESTIONS_BY_ID[flag].text)).count():
        click_and_wait(any_page, "None of these")  # an earlier urgent page
        taps += 1
    answer(any_page, flag, "yes")
    taps += 1
    any_page.get_by_role("button", name="Continue").click()
    taps += 1
    expect_result(any_page, "emergency")
    call = any_page.locator("#screening-result").get_by_role("link", name="Call 999")
    expect(call).to_have_attribute("href", "tel:999")  # en-GB browser
    taps += 1  # the call link
    assert taps <= 4, taps


def test_giving_way_in_the_warning_step_shows_the_result_without_the_pattern_step(any_page: Page):
    _about(any_page)
    _through_the_urgent_pages(any_page)
    answer(any_page, "injury_onset", "no")
    any_page.get_by_role("button", name="Continue").click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Other warning signs")
    answer(any_page, "catching_giving_way", "yes")
    any_page.get_by_role("button", name="Continue").click()
    expect_result(any_page, "clinician_soon")


def test_cannot_bear_weight_gives_a_short_step_of_the_unanswered_emergency_questions_then_the_result(any_page: Page):
    _about(any_page)
    emergency_here = [qid for qid in flow.SPECS_BY_ID["urgent"].question_ids if qid != "cannot_bear_weight"]
    for qid in emergency_here[:3]:
        answer(any_page, qid, "no")
    answer(any_page, "cannot_bear_weight", "yes")
    any_page.get_by_role("button", name="Continue").click()
    # No error page: the two blanks of this page and the three emergency questions of the next one.
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Five more questions to rule out an emergency")
    expect(any_page.get_by_role("alert")).to_have_count(0)
    expect(any_page.locator(".field-error")).to_have_count(0)
    asked = shown_questions(any_page)
    assert asked == [*emergency_here[3:], "hot_swollen_fever", "chest_or_breathing", "saddle_numbness"]
    any_page.get_by_role("button", name="None of these").click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("How it started")
    answer(any_page, "injury_onset", "no")
    any_page.get_by_role("button", name="Continue").click()
    expect_result(any_page, "urgent_today")
    expect(any_page.locator("ul.reasons")).to_contain_text(
        "You may be unable to put any weight on the leg, or the pain may be very severe even when you keep still."
    )


def _urgent_today(page: Page) -> None:
    _about(page)
    click_and_wait(page, "None of these")
    answer(page, "calf_swelling", "yes")
    click_and_wait(page, "None of these")
    answer(page, "injury_onset", "no")
    page.get_by_role("button", name="Continue").click()
    expect_result(page, "urgent_today")


def test_urgent_today_in_gb_leads_with_nhs_111_and_keeps_999_as_a_small_link(any_page: Page):
    _urgent_today(any_page)
    result = any_page.locator("#screening-result")
    calls = result.locator('a[href^="tel:"]')
    expect(calls).to_have_count(2)
    expect(calls.nth(0)).to_have_attribute("href", "tel:111")
    expect(calls.nth(0)).to_have_text("Call NHS 111")
    expect(calls.nth(1)).to_have_attribute("href", "tel:999")
    first, second = (calls.nth(i).bounding_box() for i in (0, 1))
    assert first["y"] < second["y"]  # the same-day line comes first on the page
    assert first["height"] > second["height"]  # and is the big button; 999 is a small link
    expect(result).to_contain_text("fever with a hot swollen knee appear, call 999 (nine, nine, nine)")


def test_urgent_today_without_a_national_line_says_to_call_the_practice_or_go_to_urgent_care(us_page: Page):
    _urgent_today(us_page)
    result = us_page.locator("#screening-result")
    expect(result.get_by_text("Call your doctor's practice or go to urgent care today.")).to_be_visible()
    calls = result.locator('a[href^="tel:"]')
    expect(calls).to_have_count(1)
    expect(calls).to_have_attribute("href", "tel:911")


def test_the_typical_it_band_path_is_measured(any_page: Page):
    took = take_screen(any_page, ITBS_ANSWERS)
    expect_result(any_page, "itbs_likely")
    print(  # noqa: T201
        f"typical IT band path: {took['pages']} pages, {took['questions']} questions shown, "
        f"{took['taps']} taps and the age typed; largest page {took['largest']} questions"
    )
    # about 2 + urgent 6 + 6 + 3 (child_limp_hip is for under 16) + injury 1 (follow-ups hidden
    # until yes/not sure) + warning 5 + 4 + pattern 6 + 5 + 5. Taps: the activity and Continue;
    # "None of these" three times; no and Continue; every other answer and a Continue per page.
    assert took["largest"] <= 6
    assert (took["pages"], took["questions"]) == (10, 43)
    assert took["taps"] == 2 + 3 + 2 + (9 + 2) + (16 + 3)
