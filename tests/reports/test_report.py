"""The clinician report page and its PDF."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader

from reports import pdf
from screening.rules import Outcome
from tests.factories import make_history, make_plan, make_user, warm
from tests.rehab.support import NOW, TODAY, text_of

URL = "/rehab/report/"
PDF_URL = "/rehab/report.pdf"


def test_the_report_shows_plan_screens_flare_check_and_adherence(plan, alice_client):
    response = alice_client.get(URL)
    assert response.status_code == 200
    body = text_of(response)
    assert "Knee plan report" in body
    fits = "Answers fit IT band syndrome (not a diagnosis)"
    assert body.count(fits) == 2  # the starting screen and the later one
    assert str(Outcome.ITBS_LIKELY.heading) not in body  # the person's words, not the clinician's
    assert "Later check (21 Nov 2026, rules 2026.3)" in body
    assert "Your knee flared up (new swelling appeared on the outside of the knee)" in body  # quoted as told
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


# --- Shaped for a clinician: header, ruled-out red flags, the days as text, a dated chart -----------


def _flag_questions_answered_no(answers: dict) -> list[str]:
    from screening import rules

    return [str(q.text) for q in rules.QUESTIONS if q.level and answers.get(q.id) == "no"]


def test_the_header_names_the_person_their_dates_and_plan_day(plan, alice, alice_client):
    body = text_of(alice_client.get(URL))
    assert "<h1>Knee plan report</h1>" in body  # no name chosen: none shown, none required
    alice.report_name = "A. L."
    alice.save()
    body = text_of(alice_client.get(URL))
    assert "<h1>Knee plan report: A. L.</h1>" in body
    assert "12 Nov 2026 to 27 Nov 2026 (16 days) · plan day 16 · return-to-activity phase" in body


def test_the_report_lists_the_red_flags_the_answers_ruled_out_in_the_third_person(plan, alice_client):
    from tests.factories import ITBS_ANSWERS

    body = text_of(alice_client.get(URL))
    ruled_out = _flag_questions_answered_no(ITBS_ANSWERS)
    assert len(ruled_out) >= 20
    listed = body[body.index(f"{len(ruled_out)} red flags ruled out by the person's answers") :]
    listed = listed[: listed.index("</ul>")]
    assert all(q in listed for q in ruled_out)
    assert listed.count("<li>") == len(ruled_out)
    # The starting screen (the older one) counts them; the latest lists them.
    assert f"{len(ruled_out)} red flags answered No (the latest check lists those it ruled out)." in body
    assert "Yes: Is the pain on the outside of the knee" in body  # what decided the outcome
    assert "You said" not in body and "We suggest" not in body


def test_a_red_flag_answered_not_sure_is_reported_not_ruled_out(plan, alice, alice_client):
    from tests.factories import ITBS_ANSWERS, make_screening

    make_screening(alice, {**ITBS_ANSWERS, "night_or_rest_pain": "unsure"}, taken_at=NOW - timedelta(days=1))
    body = text_of(alice_client.get(URL))
    latest = body[body.rindex("Later check") :]
    assert "Not sure: Does the pain wake you at night whichever way you lie" in latest  # decided the outcome
    ruled_out = latest[latest.index("ruled out by the person") : latest.index("</ul>", latest.index("ruled out"))]
    assert "Does the pain wake you at night" not in ruled_out


def test_the_daily_table_gives_every_logged_days_values(plan, alice_client):
    body = text_of(alice_client.get(URL))
    table = body[body.index('<table class="data-table report-daily">') :]
    table = table[: table.index("</table>")]
    assert '<caption id="r-daily">' in table
    assert table.count('<th scope="col">') == 8
    rows = [row for row in table.split("<tr>")[2:]]
    assert len(rows) == 3  # days 1, 14 and 16 were logged
    cells = lambda row: [c.split(">", 1)[1].split("<", 1)[0] for c in row.split("<t")[1:]]  # noqa: E731
    assert cells(rows[0]) == ["Thu 12 Nov", "5", "–", "3", "Yes", "–", "–", "–"]
    assert cells(rows[1]) == ["Wed 25 Nov", "2", "2", "1", "–", "Yes", "–", "–"]
    assert cells(rows[2]) == [
        "Fri 27 Nov", "4", "6", "–", "–", "Yes, stopped early", "–", "local swelling over the outside bump"
    ]  # fmt: skip
    assert '<th scope="row">Thu 12 Nov</th>' in table


def test_the_daily_table_names_activities_and_warning_signs(plan, alice_client):
    from rehab.models import ActivityEntry, DailyLog
    from tests.factories import make_log

    log = make_log(plan, TODAY - timedelta(days=1), pain_worst=3, new_symptoms=["locked_knee"], swelling="whole_knee")
    ActivityEntry.objects.create(log=log, position=0, kind="running", duration_min=20)
    assert DailyLog.objects.filter(plan=plan).count() == 4
    body = text_of(alice_client.get(URL))
    row = body[body.index('<th scope="row">Thu 26 Nov</th>') :].split("</tr>")[0]
    assert "Running 20 min" in row
    assert "knee locked; whole knee swollen" in row


def test_the_chart_has_date_ticks_from_first_to_last_day_and_a_key():
    from types import SimpleNamespace

    from reports.report import MAX_DATE_TICKS, pain_chart

    first = TODAY - timedelta(days=89)
    logs = [SimpleNamespace(date=first + timedelta(days=n), pain_worst=n % 11, pain_during=None, pain_morning=None)
            for n in range(90)]  # fmt: skip
    chart = pain_chart(logs, first, TODAY, [first + timedelta(days=13)], [TODAY])
    days = [d for _x, d in chart.x_ticks]
    assert days[0] == first and days[-1] == TODAY
    assert 3 <= len(days) <= MAX_DATE_TICKS + 1
    assert [x for x, _d in chart.x_ticks] == sorted(x for x, _d in chart.x_ticks)
    assert {label for _x, label, _y in chart.marks} == {"C", "!"}
    single = pain_chart(logs[:1], first, first, [], [])
    assert [d for _x, d in single.x_ticks] == [first]


def test_the_pdf_reads_back_the_daily_values_date_ticks_and_key(plan, alice, alice_client):
    alice.report_name = "A. L."
    alice.save()
    response = alice_client.get(PDF_URL)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Knee plan report: A. L." in text
    assert "Thu 12 Nov 5 – 3 Yes – – –" in text  # a row of the daily table
    assert "Fri 27 Nov 4 6 – – Yes, stopped early" in text
    # The chart's date ticks (every 3rd day of 16): 15 and 24 Nov are no logged day, check, event or
    # adherence week's bound, so only the chart's time axis writes them.
    assert "15 Nov" in text and "24 Nov" in text
    assert "C (under the axis): a progress check. ! (at the top): a change to the plan" in " ".join(text.split())
    assert "ruled out by the person's answers" in text


@pytest.mark.parametrize("days", [30, 90])
def test_the_pdf_keeps_to_about_a_page_per_30_days(days, db, frozen_clock, client):
    user = make_user("carol", report_name="C. R.")
    plan = make_plan(user, start_date=TODAY - timedelta(days=days - 1))
    make_history(plan, days, today=TODAY)
    client.force_login(user)
    pages = PdfReader(io.BytesIO(client.get(PDF_URL).content)).pages
    assert len(pages) <= days // 30 + 1
    text = " ".join(page.extract_text() for page in pages)
    assert text.count(" Yes – – –") >= days - 1  # every logged rest day has its row


@pytest.mark.parametrize(
    ("fields", "section", "status"),
    [
        ({"new_symptoms": ["locked_knee"]}, "plan-paused", "paused until a clinician has checked the knee"),
        ({"swelling": "whole_knee"}, "plan-paused", "paused until a clinician has checked the knee"),
    ],
)
def test_the_pause_message_on_todays_page_leads_to_the_report(plan, alice_client, fields, section, status):
    from tests.factories import make_log

    make_log(plan, TODAY - timedelta(days=1), pain_worst=3, **fields)
    today = text_of(alice_client.get("/rehab/"))
    hold = today[today.index(f'id="{section}"') :].split("</section>")[0]
    assert f'href="{URL}">Your report for a clinician' in hold
    report = text_of(alice_client.get(URL))
    assert f" · {status}</p>" in report
    assert "knee locked" in report or "whole knee swollen" in report  # the day that paused it, in the table


def test_the_referral_message_on_todays_page_leads_to_the_report(db, frozen_clock, client):
    from tests.factories import make_log

    user = make_user("rita")
    plan = make_plan(user, start_date=TODAY - timedelta(days=42))  # day 43: six weeks without finishing
    for n in range(13):
        make_log(plan, plan.start_date + timedelta(days=n), pain_worst=4, rested=True)
    client.force_login(user)
    today = text_of(client.get("/rehab/"))
    hold = today[today.index('id="plan-referred"') :].split("</section>")[0]
    assert f'class="button" href="{URL}">Your report for a clinician' in hold
    assert "referred to a clinician" in text_of(client.get(URL))
