"""The result page, the printable summary and the history (screening.md, "Outcomes" and "Browser contract").

Every result here is reached through the real step POSTs (`take_screen`), except the history,
which needs screens at known times and uses the factory.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import escape

from screening import rules
from tests.factories import ITBS_ANSWERS, make_screening
from tests.screening.support import OUTCOME_ANSWERS, elements, html_of, stored, table_rows, take_screen

#: Headings from the table in screening.md, copied by hand.
HEADINGS = {
    "emergency": "Get emergency help now",
    "urgent_today": "Get medical advice today",
    "clinician_soon": "Book a check with a clinician",
    "not_typical": "This doesn't look like typical IT band pain",
    "itbs_likely": "Your answers fit IT band syndrome",
}

#: The reasons each answer set in OUTCOME_ANSWERS must give (screening.md, "Routing").
REASONS = {
    "emergency": ["deformity"],
    "urgent_today": ["calf_swelling"],
    "clinician_soon": ["night_or_rest_pain"],
    "not_typical": ["pain_front"],
    "itbs_likely": ["pain_outside", "repetitive_onset", "comes_on_at_distance", "worse_downhill", "recent_increase"],
}

PLAN = "Start your 30-day plan"
EMERGENCY_LINE = "Badly hurt or very unwell?"
ANSWER_LABELS = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
QUESTION_TEXTS = {str(q.text) for q in rules.QUESTIONS}


def links_named(html: str, text: str) -> list[str]:
    """The hrefs of the <a> elements whose text is `text`."""
    return [
        unescape(href)
        for href, inner in re.findall(r'<a\b[^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)
        if " ".join(unescape(re.sub(r"<[^>]+>", "", inner)).split()) == text
    ]


def result_element(html: str) -> dict:
    (found,) = [
        attrs
        for tag in ("section", "div", "article", "main")
        for attrs in elements(html, tag)
        if attrs.get("id") == "screening-result"
    ]
    return found


# --- the result page, one outcome at a time -----------------------------------------------------


@pytest.mark.parametrize("outcome", list(HEADINGS))
def test_the_result_page_shows_the_outcome_code_heading_next_step_and_reasons(client, db, outcome):
    result_url, _ = take_screen(client, OUTCOME_ANSWERS[outcome])
    response = client.get(result_url)
    assert response.status_code == 200
    html = html_of(response)
    assert result_element(html)["data-outcome"] == outcome
    assert re.search(rf"<h1\b[^>]*>\s*{re.escape(escape(HEADINGS[outcome]))}\s*</h1>", html)
    if outcome == "urgent_today":
        # 2026.3: the next step in two parts, the main action first, then when to call (a link).
        text = " ".join(unescape(re.sub(r"<[^>]+>", "", html)).split())
        assert str(rules.SAME_DAY_CARE) in text
        assert str(rules.WHEN_TO_CALL).split("{number}")[0] in text
    else:
        assert escape(str(rules.OUTCOME_BY_CODE[outcome].next_step)) in html
    for reason_id in REASONS[outcome]:
        assert escape(str(rules.reason_text(reason_id))) in html, reason_id
    listed = re.search(r'<ul class="reasons">(.*?)</ul>', html, re.S).group(1)
    assert listed.count("<li>") == len(REASONS[outcome])
    assert EMERGENCY_LINE in html
    assert links_named(html, "Printable summary") == [f"{result_url}summary/"]


@pytest.mark.parametrize("persona", ["anonymous", "alice"])
@pytest.mark.parametrize("outcome", ["emergency", "urgent_today", "clinician_soon", "not_typical"])
def test_no_outcome_but_itbs_likely_offers_the_30_day_plan(request, db, persona, outcome):
    client = request.getfixturevalue("client" if persona == "anonymous" else "alice_client")
    result_url, _ = take_screen(client, OUTCOME_ANSWERS[outcome])
    html = html_of(client.get(result_url))
    assert PLAN not in html
    assert "/rehab/start/" not in html


def test_itbs_likely_offers_a_logged_in_person_the_plan_at_rehab_start(alice_client):
    result_url, _ = take_screen(alice_client, ITBS_ANSWERS)
    html = html_of(alice_client.get(result_url))
    assert links_named(html, PLAN) == ["/rehab/start/"]


def test_itbs_likely_offers_an_anonymous_person_the_plan_through_sign_up(client, db):
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    html = html_of(client.get(result_url))
    assert links_named(html, PLAN) == ["/accounts/signup/?next=/rehab/start/"]


def test_the_result_says_when_it_was_checked_and_with_which_rules(client, db):
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    html = html_of(client.get(result_url))
    assert "rules version 2026.3" in html
    assert "not a diagnosis" in html


# --- the printable summary --------------------------------------------------------------------

SUMMARY_ANSWERS = {
    **ITBS_ANSWERS,
    "age": 47,
    "activity": "hiking",
    "several_joints": "unsure",
}
# 2026.2: several_joints fixes clinician_soon in the warning step, so the pattern step is skipped.
SUMMARY_ASKED = [
    q
    for q in rules.QUESTIONS
    if q.step in ("about", "urgent", "injury", "warning") and rules.is_asked(q.id, SUMMARY_ANSWERS)
]


def test_the_summary_lists_every_answered_question_with_its_answer_and_nothing_unasked(client, db):
    result_url, _ = take_screen(client, SUMMARY_ANSWERS)
    screening = stored(result_url)
    response = client.get(f"{result_url}summary/")
    assert response.status_code == 200
    rows = {row[0]: row[1] for row in table_rows(html_of(response)) if len(row) == 2}
    for question in rules.QUESTIONS:
        text = str(question.text)
        if question not in SUMMARY_ASKED:
            assert text not in rows, "an unasked question is listed"
            continue
        value = SUMMARY_ANSWERS[question.id]
        expected = {"age": "47", "activity": "Hiking or walking"}.get(question.id, ANSWER_LABELS.get(value))
        assert rows.get(text) == expected, question.id
    assert len(screening.answers) == len(SUMMARY_ASKED)


def test_the_summary_shows_the_outcome_reasons_date_and_rules_version(client, db):
    result_url, _ = take_screen(client, SUMMARY_ANSWERS)
    screening = stored(result_url)
    assert screening.outcome == "clinician_soon"
    html = html_of(client.get(f"{result_url}summary/"))
    rows = {row[0]: row[1] for row in table_rows(html) if len(row) == 2}
    assert HEADINGS["clinician_soon"] in rows["Result"]
    assert "clinician_soon" not in rows["Result"]  # 2026.2 flow: no internal codes
    assert rows["Rules version"] == "2026.3"
    day = dateformat.format(timezone.localtime(screening.taken_at), "j F Y")
    assert day in rows["Date"]
    for reason_id in ("several_joints",):
        assert escape(str(rules.reason_text(reason_id))) in html


def test_the_summary_lists_the_answers_in_the_order_they_were_asked(client, db):
    # JSON objects have no order of their own: PostgreSQL's jsonb stores keys sorted by length.
    result_url, _ = take_screen(client, SUMMARY_ANSWERS)
    html = html_of(client.get(f"{result_url}summary/"))
    shown = [row[0] for row in table_rows(html) if len(row) == 2 and row[0] in QUESTION_TEXTS]
    expected = [str(q.text) for q in SUMMARY_ASKED]
    assert shown == expected


def test_the_summary_links_the_print_stylesheet(client, db):
    result_url, _ = take_screen(client, OUTCOME_ANSWERS["emergency"])
    html = html_of(client.get(f"{result_url}summary/"))
    print_links = [
        attrs for attrs in elements(html, "link") if attrs.get("rel") == "stylesheet" and attrs.get("media") == "print"
    ]
    assert len(print_links) == 1
    assert "print" in print_links[0]["href"]


# --- who may see a result -----------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "summary/"])
def test_bob_and_another_anonymous_browser_get_404_for_alices_result(alice_client, bob_client, client, page):
    result_url, _ = take_screen(alice_client, ITBS_ANSWERS)
    assert alice_client.get(result_url + page).status_code == 200
    assert bob_client.get(result_url + page).status_code == 404
    assert client.get(result_url + page).status_code == 404


@pytest.mark.parametrize("page", ["", "summary/"])
def test_an_anonymous_result_is_seen_only_in_the_browser_that_took_it(client, bob_client, db, page):
    result_url, _ = take_screen(client, ITBS_ANSWERS)
    assert client.get(result_url + page).status_code == 200
    other_browser = Client()
    assert other_browser.get(result_url + page).status_code == 404
    assert bob_client.get(result_url + page).status_code == 404


def test_an_unknown_result_is_404(alice_client):
    assert alice_client.get(f"/screening/result/{uuid.uuid4()}/").status_code == 404
    assert alice_client.get(f"/screening/result/{uuid.uuid4()}/summary/").status_code == 404


# --- history ------------------------------------------------------------------------------------


def test_the_history_lists_only_your_own_screens_newest_first(alice, bob, alice_client):
    now = timezone.now()
    oldest = make_screening(alice, taken_at=now - timedelta(days=20))
    newest = make_screening(alice, {**ITBS_ANSWERS, "pain_front": "yes"}, taken_at=now - timedelta(days=1))
    middle = make_screening(alice, {**ITBS_ANSWERS, "calf_swelling": "yes"}, taken_at=now - timedelta(days=5))
    bobs = make_screening(bob, taken_at=now - timedelta(days=2))
    anonymous = make_screening(None, taken_at=now - timedelta(days=3))
    html = html_of(alice_client.get("/screening/history/"))
    listed = re.findall(r'href="/screening/result/([0-9a-f-]+)/"', html)
    assert listed == [str(newest.pk), str(middle.pk), str(oldest.pk)]
    assert str(bobs.pk) not in html and str(anonymous.pk) not in html
    assert escape(HEADINGS["not_typical"]) in html
    assert HEADINGS["urgent_today"] in html


def test_the_history_asks_an_anonymous_person_to_log_in(client, db):
    response = client.get("/screening/history/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_history_is_empty_for_someone_without_screens(bob_client, alice):
    make_screening(alice)
    html = html_of(bob_client.get("/screening/history/"))
    assert "/screening/result/" not in html
    assert "You haven" in html


# --- Query counts ---------------------------------------------------------------------------------


def test_result_summary_and_history_queries_are_pinned(alice_client, alice, django_assert_num_queries):
    from tests.factories import make_screening

    screening = make_screening(alice)
    with django_assert_num_queries(3):  # session, user, screening (no rehab look-up: issue 10)
        assert alice_client.get(f"/screening/result/{screening.pk}/").status_code == 200
    with django_assert_num_queries(3):  # session, user, screening
        assert alice_client.get(f"/screening/result/{screening.pk}/summary/").status_code == 200
    with django_assert_num_queries(3):  # session, user, the list
        assert alice_client.get("/screening/history/").status_code == 200


def test_a_person_with_a_plan_is_sent_to_it_not_to_start_another(alice_client, alice):
    from tests.factories import make_plan, make_screening

    make_plan(alice)
    screening = make_screening(alice)
    html = alice_client.get(f"/screening/result/{screening.pk}/").content.decode()
    # The result no longer asks rehab whether a plan exists: it links to rehab:start, which
    # sends a person who has a plan to it instead of starting another.
    start = reverse("rehab:start")
    assert f'href="{start}"' in html
    response = alice_client.get(start)
    assert response.status_code == 302
    assert response["Location"] == reverse("rehab:today")
