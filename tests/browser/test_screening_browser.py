"""A person takes the knee check in a real browser: with htmx, without JavaScript, and prints it.

Answers are given by clicking the labels of each question's group, found by the question's text,
as a person would; results are checked by the heading a person reads and `data-outcome`.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from screening import rules
from tests.factories import ITBS_ANSWERS

pytestmark = pytest.mark.browser

TIMEOUT_MS = 5000
LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure", **{code: str(label) for code, label in rules.ACTIVITIES}}

HEADINGS = {
    "emergency": "Get emergency help now",
    "urgent_today": "Get medical advice today",
    "clinician_soon": "Book a check with a clinician",
    "not_typical": "This doesn't look like typical IT band pain",
    "itbs_likely": "Your answers fit IT band syndrome",
}

#: One route per outcome; the emergency one goes through the Ottawa step (six steps).
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


def current_step(page: Page) -> str:
    classes = page.locator("form.step-form").get_attribute("class") or ""
    (step_id,) = re.findall(r"\bstep-([a-z]+)\b", classes.replace("step-form", ""))
    return step_id


def answer(page: Page, question_id: str, value) -> None:
    question = rules.QUESTIONS_BY_ID[question_id]
    if question.kind == "age":
        page.get_by_label(str(question.text)).fill(str(value))
        return
    group = page.get_by_role("group", name=str(question.text))
    group.get_by_label(LABELS[value], exact=True).check()


def take_screen(page: Page, answers: dict) -> None:
    """Answer each step the page shows until the result appears.

    On the urgent step only the answers other than "no" are clicked, then "None of these".
    """
    for _ in range(len(rules.STEPS)):
        step_id = current_step(page)
        progress = page.locator(".progress-label").inner_text()
        for question in rules.questions_for_step(step_id):
            if question.id not in answers:
                continue
            if step_id == "urgent" and answers[question.id] == "no":
                continue
            answer(page, question.id, answers[question.id])
        button = "None of these" if step_id == "urgent" else "Continue"
        page.get_by_role("button", name=button).click()
        expect(page.locator(".progress-label")).not_to_have_text(progress)
        if page.locator("#screening-result").count():
            return
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
def test_a_person_answers_each_step_and_reaches_the_outcome(screen: Page, outcome):
    take_screen(screen, ROUTES[outcome])
    expect_result(screen, outcome)
    plan = screen.get_by_role("link", name="Start your 30-day plan")
    expect(plan).to_have_count(1 if outcome == "itbs_likely" else 0)


def test_htmx_swaps_the_next_step_in_place_and_moves_focus_to_its_heading(screen: Page, live_server):
    assert screen.evaluate("htmx.version").startswith("2.")
    screen.evaluate("window.__sameDocument = true")
    answer(screen, "age", 34)
    answer(screen, "activity", "running")
    with screen.expect_request(lambda r: r.method == "POST" and r.url.endswith("/screening/")) as posted:
        screen.get_by_role("button", name="Continue").click()
    assert posted.value.headers.get("hx-request") == "true"
    expect(screen).to_have_url(live_server.url + "/screening/urgent/")
    expect(screen.get_by_role("heading", level=1)).to_have_text("Urgent signs")
    expect(screen.get_by_text("Step 2 of 6")).to_be_visible()
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


def test_the_injury_follow_ups_hide_for_no_and_show_for_yes(screen: Page):
    answer(screen, "age", 34)
    answer(screen, "activity", "cycling")
    screen.get_by_role("button", name="Continue").click()
    screen.get_by_role("button", name="None of these").click()
    expect(screen.get_by_role("heading", level=1)).to_have_text("How it started")
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


# --- flow 2026.2: stop as soon as the outcome is known, with and without JavaScript ----------


@pytest.fixture(params=["js", "no-js"])
def any_page(request, live_server, browser: Browser) -> Page:
    context = browser.new_context(java_script_enabled=request.param == "js", locale="en-GB")
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


def test_one_emergency_answer_and_continue_shows_a_call_link(any_page: Page):
    _about(any_page)
    taps = 0
    answer(any_page, "hot_swollen_fever", "yes")
    taps += 1
    any_page.get_by_role("button", name="Continue").click()
    taps += 1
    expect_result(any_page, "emergency")
    call = any_page.locator('a[href^="tel:"]').first
    expect(call).to_have_attribute("href", "tel:999")  # en-GB browser
    assert taps + 1 <= 4  # the answer, Continue, then the call link: 3 taps after the age


def test_giving_way_in_the_warning_step_shows_the_result_without_the_pattern_step(any_page: Page):
    _about(any_page)
    any_page.get_by_role("button", name="None of these").click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("How it started")
    answer(any_page, "injury_onset", "no")
    any_page.get_by_role("button", name="Continue").click()
    expect(any_page.get_by_role("heading", level=1)).to_have_text("Other warning signs")
    answer(any_page, "catching_giving_way", "yes")
    any_page.get_by_role("button", name="Continue").click()
    expect_result(any_page, "clinician_soon")


def test_calf_swelling_alone_asks_only_for_the_unanswered_emergency_questions(any_page: Page):
    _about(any_page)
    answer(any_page, "calf_swelling", "yes")
    any_page.get_by_role("button", name="Continue").click()
    expect(any_page.get_by_role("alert")).to_be_visible()
    flagged = any_page.locator(".field-error")
    emergency = [q.id for q in rules.questions_for_step("urgent") if q.level == rules.EMERGENCY]
    expect(flagged).to_have_count(len(emergency))
    for qid in emergency:
        group = any_page.get_by_role("group", name=str(rules.QUESTIONS_BY_ID[qid].text))
        expect(group).to_have_class(re.compile("field-error"))


def test_the_typical_it_band_path_is_measured(screen: Page):
    pages, questions = 0, 0
    for _ in range(len(rules.STEPS)):
        if screen.locator("#screening-result").count():
            break
        pages += 1
        step_id = current_step(screen)
        shown = [
            q
            for q in rules.questions_for_step(step_id)
            if screen.locator(f'.question:has([name="{q.id}"])').first.is_visible()
        ]
        questions += len(shown)
        progress = screen.locator(".progress-label").inner_text()
        for question in shown:
            if step_id == "urgent":
                continue
            answer(screen, question.id, ITBS_ANSWERS[question.id])
        button = "None of these" if step_id == "urgent" else "Continue"
        screen.get_by_role("button", name=button).click()
        expect(screen.locator(".progress-label")).not_to_have_text(progress)
    expect_result(screen, "itbs_likely")
    print(f"typical IT band path: {pages} pages, {questions} questions shown")  # noqa: T201
    # about 2 + urgent 13 (child_limp_hip is for under 16) + injury 1 (follow-ups hidden until
    # yes/not sure) + warning 10 + pattern 16.
    assert (pages, questions) == (5, 42)
