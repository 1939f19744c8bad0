"""The report's "Activity and build-back" section (issue 16): the goal, the build weeks and each
day's activity entries, on the page, in the PDF and through a share link; nothing new without them."""

from __future__ import annotations

import io
import re

from django.test import Client
from pypdf import PdfReader

from reports.services import create_share_link
from tests.rehab.support import text_of

URL = "/rehab/report/"


def rows(body: str, caption: str) -> list[list[str]]:
    """The cells of the table with `caption`, row by row, tags stripped."""
    table = re.search(rf"<caption[^>]*>{caption}</caption>(.*?)</table>", body, re.S)
    assert table, caption
    body_rows = re.findall(r"<tr>(.*?)</tr>", table[1].split("<tbody>")[1], re.S)
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)] for r in body_rows]


def test_the_report_shows_the_goal_the_weeks_and_the_days_activities(building, alice_client):
    body = text_of(alice_client.get(URL))
    assert "Usual week before the pain (the goal): 80 minutes of running a week (about 12.0 km)." in body
    assert "Build days: Wednesday, Friday, Sunday." in body
    # Base P's build weeks from 60 min (level 8's volume): 60 → 66 → 73, each pain-free.
    assert rows(body, "Build-back weeks") == [
        ["Week 1", "11 Nov – 17 Nov", "60", "60", "1", "went well: moved up"],
        ["Week 2", "18 Nov – 24 Nov", "66", "66", "1", "went well: moved up"],
        ["Week 3", "25 Nov – 1 Dec", "73", "25", "1", "this week, so far"],
    ]
    days = dict(rows(body, "Activities by day"))
    assert days["11 Nov 2026"] == "Running 20 min · 3.2 km · effort 3"
    assert days["12 Nov 2026"] == "Swimming 30 min"
    assert days["25 Nov 2026"] == "Running 25 min"
    assert "14 Nov 2026" not in days  # a day logged without any activity
    assert len(days) == 16  # eight return sessions, seven build runs and the swim
    assert '<th scope="col">Highest session pain</th>' in body


def test_the_date_range_narrows_the_section(building, alice_client):
    body = text_of(
        alice_client.get(URL, {"sections": ["activity"], "date_from": "2026-11-12", "date_to": "2026-11-18"})
    )
    assert [r[0] for r in rows(body, "Build-back weeks")] == ["Week 1", "Week 2"]  # the weeks overlapping it
    assert list(dict(rows(body, "Activities by day"))) == ["12 Nov 2026", "13 Nov 2026", "15 Nov 2026", "18 Nov 2026"]
    assert "80 minutes of running" in body  # the goal is not dated by the range


def test_the_section_can_be_left_out(building, alice_client):
    body = text_of(alice_client.get(URL, {"sections": ["plan"]}))
    assert 'id="r-activity"' not in body
    assert "Running 20 min" not in body


def test_a_plan_without_entries_or_goal_shows_nothing_new(plan, alice_client):
    body = text_of(alice_client.get(URL))
    assert 'id="r-activity"' not in body
    assert "Build-back" not in body
    assert "Activities by day" not in body


def test_the_pdf_has_the_section(building, alice_client):
    response = alice_client.get("/rehab/report.pdf")
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Activity and build-back" in text
    assert "Build-back weeks" in text
    assert "effort 3" in text


def test_a_shared_link_shows_the_section_and_still_only_the_notes_chosen(building, alice_client):
    from rehab.models import DailyLog

    DailyLog.objects.filter(plan=building, date="2026-11-11").update(notes="Private words")
    _link, token = create_share_link(plan=building, days=7, include_notes=False)
    response = Client().get(f"/s/{token}/")
    assert response.status_code == 200
    body = text_of(response)
    assert "Running 20 min · 3.2 km · effort 3" in body
    assert ["Week 3", "25 Nov – 1 Dec", "73", "25", "1", "this week, so far"] in rows(body, "Build-back weeks")
    assert "Private words" not in body
    assert "/rehab/" not in body and "/accounts/" not in body
    _link, token = create_share_link(plan=building, days=7, include_notes=True)
    assert "Private words" in text_of(Client().get(f"/s/{token}/"))
