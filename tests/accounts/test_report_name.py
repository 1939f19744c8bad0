"""The optional name or initials on the clinician report: set in Account settings, never required."""

from __future__ import annotations

from tests.factories import make_user
from tests.rehab.support import text_of

URL = "/accounts/report-name/"


def test_account_settings_offer_the_name_and_save_it(db, client):
    user = make_user("dana")
    client.force_login(user)
    settings_page = text_of(client.get("/accounts/settings/"))
    assert f'<li id="report-name"><a href="{URL}">Your name on reports (optional)</a></li>' in settings_page
    form_page = text_of(client.get(URL))
    assert f'action="{URL}"' in form_page
    assert 'name="report_name"' in form_page and "required" not in form_page.split('name="report_name"')[1][:80]
    response = client.post(URL, {"report_name": "  D. K.  "})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/settings/#report-name"
    user.refresh_from_db()
    assert user.report_name == "D. K."
    settings_page = text_of(client.get(response["Location"]))
    assert "Your reports now show “D. K.”" in settings_page
    assert f'<a href="{URL}">Your name on reports (optional)</a>: D. K.</li>' in settings_page
    assert client.post(URL, {"report_name": ""}).status_code == 302
    user.refresh_from_db()
    assert user.report_name == ""


def test_a_name_too_long_gets_a_message_and_nothing_changes(db, client):
    user = make_user("dana", report_name="D. K.")
    client.force_login(user)
    response = client.post(URL, {"report_name": "x" * 61})
    assert response.status_code == 400
    body = text_of(response)
    assert "at most 60 characters" in body
    assert 'value="' + "x" * 61 + '"' in body  # what was typed is kept
    user.refresh_from_db()
    assert user.report_name == "D. K."


def test_signing_up_never_asks_for_it(db, client):
    assert "report_name" not in text_of(client.get("/accounts/signup/"))
