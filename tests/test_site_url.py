"""Absolute links in emails and the calendar come from SITE_URL, never from the request's Host."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from tests.factories import make_plan, make_user

HOSTILE_HOST = "localhost:6666"  # an allowed host, on a port nobody serves the site on


def test_the_password_reset_link_is_on_site_url(db, settings, mailoutbox):
    settings.SITE_URL = "https://itbcare.example.org"
    make_user("alice", email="alice@example.org")
    response = Client(HTTP_HOST=HOSTILE_HOST).post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert response.status_code == 302
    body = mailoutbox[0].body
    assert "https://itbcare.example.org/accounts/reset/" in body
    assert HOSTILE_HOST not in body and "localhost" not in body


def test_the_confirmation_link_is_on_site_url(db, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://itbcare.example.org"
    client = Client(HTTP_HOST=HOSTILE_HOST)
    client.force_login(make_user("alice"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reminders/", {"email_on": "on", "remind_at": "07:00", "email": "a@example.org"})
    assert "https://itbcare.example.org/reminders/confirm/" in mailoutbox[0].body
    assert "localhost" not in mailoutbox[0].body


def test_the_calendar_link_and_its_entries_are_on_site_url(db, settings):
    settings.SITE_URL = "https://itbcare.example.org"
    user = make_user("alice")
    make_plan(user, start_date=timezone.localdate() - timedelta(days=2))
    client = Client(HTTP_HOST=HOSTILE_HOST)
    client.force_login(user)
    html = client.post("/reminders/calendar/new/").content.decode()
    assert 'value="https://itbcare.example.org/calendar/' in html
    assert "webcal://itbcare.example.org/calendar/" in html
    path = html.split('value="https://itbcare.example.org', 1)[1].split('"', 1)[0]
    ics = client.get(path).content.decode().replace("\r\n ", "")
    assert "https://itbcare.example.org/rehab/" in ics and "localhost" not in ics


def test_account_settings_lead_to_the_reminder_settings(db):
    user = make_user("alice")
    client = Client()
    client.force_login(user)
    html = client.get("/accounts/settings/").content.decode()
    assert 'id="reminders-heading"' in html and 'href="/reminders/"' in html
    assert "Off." in html
    user.reminders_by_email, user.reminder_email = True, "a@example.org"
    user.reminder_email_confirmed_at = timezone.now()
    user.save()
    html = client.get("/accounts/settings/").content.decode()
    assert "On: every day you haven't logged yet, at 20:00, to a@example.org." in html
