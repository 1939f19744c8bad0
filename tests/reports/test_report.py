"""The clinician report page and its PDF."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from reports import pdf
from screening.rules import Outcome
from tests.factories import make_history, make_plan, make_user, warm
from tests.rehab.support import TODAY, text_of

URL = "/rehab/report/"
PDF_URL = "/rehab/report.pdf"


def test_the_report_shows_plan_screens_flare_check_and_adherence(plan, alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "Knee plan report" in body
    assert str(Outcome.ITBS_LIKELY.heading) in body
    assert body.count(str(Outcome.ITBS_LIKELY.heading)) == 2  # the starting screen and the later one
    assert "Later check (21 Nov 2026)" in body
    assert "Your knee flared up (new swelling appeared on the outside of the knee)" in body
    assert "25 Nov 2026: Passed" in body
    assert "Pain on hopping: 2" in body
    assert "Anti-inflammatory painkillers on 1 of 3 logged days." in body
    assert "Rest kept on 1 of 1 logged rest days." in body
    assert 'class="line-morning"' in body
    assert "Felt fine" not in body  # notes only when chosen


def test_notes_and_sections_are_chosen(plan, alice_client):
    body = text_of(alice_client.get(URL, {"sections": ["notes", "checks"]}))
    assert "Felt fine" in body
    assert "Progress checks" in body
    assert 'id="r-events"' not in body


def test_the_date_range_narrows_the_report(plan, alice_client):
    body = text_of(alice_client.get(URL, {"sections": ["events", "adherence"], "date_to": "2026-11-26"}))
    assert "flared up" not in body
    assert "painkillers on 0 of 2 logged days" in body


@pytest.mark.parametrize(
    "query", [{"date_from": "2026-11-27", "date_to": "2026-11-01"}, {"date_from": "yesterday"}, {"sections": "x"}]
)
def test_bad_options_give_a_message_not_an_error(plan, alice_client, query):
    response = alice_client.get(URL, query)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_no_plan_is_a_404(alice_client):
    assert alice_client.get(URL).status_code == 404


def test_the_pdf_is_real_text(plan, alice_client):
    response = alice_client.get(PDF_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Knee plan report" in text
    assert "flared up" in text
    assert "Pain on hopping: 2" in text


def test_the_pdf_fetcher_refuses_anything_but_static_files(db):
    with pytest.raises(ValueError):
        pdf.url_fetcher("https://example.com/x.css")
    with pytest.raises(ValueError):
        pdf.url_fetcher(pdf.BASE_URL + "static/../settings.py")
    assert b".report-facts" in pdf.url_fetcher(pdf.BASE_URL + "static/css/report.css")["string"]


def test_without_weasyprint_the_page_says_so(plan, alice_client, monkeypatch):
    def broken(html):
        raise pdf.PdfUnavailable("no pango")

    monkeypatch.setattr(pdf, "available", lambda: False)
    monkeypatch.setattr(pdf, "render", broken)
    assert "isn't available" in text_of(alice_client.get(URL))
    response = alice_client.get(PDF_URL)
    assert response.status_code == 503
    assert "isn't available" in text_of(response)


@pytest.mark.parametrize("days", [7, 365])
def test_query_count_is_constant(days, db, frozen_clock, django_assert_num_queries, client):
    user = make_user("carol")
    plan = make_plan(user, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days, today=TODAY)
    warm(plan)  # the page everybody gets after the day's first
    client.force_login(user)
    # session, user, the plan with its stored state, its logs, checks and completions (one UNION
    # ALL), screenings (issue 13)
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
