"""Choosing the language: Accept-Language for anonymous people, the account setting for signed-in
people (their emails and calendar feed too), and the footer's switch (Django's set_language)."""

from __future__ import annotations

from datetime import time, timedelta

from django.core import mail
from django.utils import timezone, translation

from accounts.models import User
from reminders.services import new_feed_link, reminder_message, save_reminder_settings
from tests.factories import make_plan

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"}


def html_lang(response) -> str:
    text = response.content.decode()
    start = text.index('<html lang="') + len('<html lang="')
    return text[start : text.index('"', start)]


def test_anonymous_people_get_their_browsers_language(client, db):
    assert html_lang(client.get("/")) == "en"
    response = client.get("/", **SPANISH)
    assert html_lang(response) == "es"
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")) == "en"  # not offered: English


def test_the_footer_switch_works_without_javascript_and_keeps_the_url(client, db):
    page = client.get("/privacy/").content.decode()
    assert 'action="/i18n/setlang/"' in page and '<label for="site-language">' in page
    response = client.post("/i18n/setlang/", {"language": "es", "next": "/privacy/"})
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    assert html_lang(client.get("/privacy/")) == "es"  # the cookie, over Accept-Language
    assert html_lang(client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


def test_the_switch_refuses_an_unknown_language_and_a_foreign_next(client, db):
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert html_lang(client.get("/")) == "en"
    response = client.post("/i18n/setlang/", {"language": "es", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get("/i18n/setlang/").status_code == 405


def test_a_signed_in_persons_account_language_wins_over_the_browser(alice_client, alice):
    alice.language = "es"
    alice.save()
    assert html_lang(alice_client.get("/accounts/settings/", HTTP_ACCEPT_LANGUAGE="en")) == "es"
    alice.language = ""
    alice.save()
    assert html_lang(alice_client.get("/accounts/settings/", **SPANISH)) == "es"
    assert html_lang(alice_client.get("/accounts/settings/")) == "en"


def test_the_switch_saves_a_signed_in_persons_language(alice_client, alice):
    alice_client.post("/i18n/setlang/", {"language": "es", "next": "/rehab/"})
    alice.refresh_from_db()
    assert alice.language == "es"


def test_the_account_setting_is_saved_and_checked(alice_client, alice):
    data = {"time_zone": "Europe/Madrid", "country": "", "language": "es"}
    assert alice_client.post("/accounts/settings/", data).status_code == 302
    alice.refresh_from_db()
    assert alice.language == "es"
    response = alice_client.post("/accounts/settings/", {**data, "language": "xx"})
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.language == "es"


def test_sign_up_keeps_the_language_the_person_was_using(client, db):
    data = {
        "username": "lucia",
        "email": "lucia@example.org",
        "time_zone": "Europe/Madrid",
        "password1": "un caballo de carreras 42",
        "password2": "un caballo de carreras 42",
        "health_consent": "on",
    }
    response = client.post("/accounts/signup/", data, **SPANISH)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="lucia").language == "es"


def test_reminder_email_and_calendar_use_the_account_language(client, alice):
    alice.language = "es"
    alice.save()
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    message = reminder_message(user=alice, email="a@example.org", day=3, unsubscribe="t" * 43)
    assert message.subject.startswith("ITB Care: día 3 de 30")
    feed = client.get(f"/calendar/{new_feed_link(user=alice)}.ics", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SUMMARY:ITB Care: registro diario" in feed


def test_confirmation_email_uses_the_account_language(alice, django_capture_on_commit_callbacks):
    alice.language = "es"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        save_reminder_settings(user=alice, email_on=True, remind_at=time(20, 0), email="a@example.org")
    assert mail.outbox[-1].subject == "ITB Care: confirma tu dirección para los recordatorios"


def test_password_reset_email_uses_the_account_language(client, alice):
    alice.language = "es"
    alice.email = "alice@example.org"
    alice.save()
    client.post("/accounts/password/reset/", {"email": "alice@example.org"})
    assert mail.outbox
    assert "contraseña" in mail.outbox[-1].body


def test_the_html_reminder_and_the_pdf_say_their_language(alice):
    alice.language = "es"
    alice.save()
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    with translation.override("es"):
        message = reminder_message(user=alice, email="a@example.org", day=3, unsubscribe="t" * 43)
    html = message.alternatives[0][0]
    assert '<html lang="es">' in html and "Registra hoy, te lleva un minuto" in html


def test_a_person_without_a_language_gets_english_mail_whatever_the_thread_speaks(alice):
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    with translation.override("es"):
        message = reminder_message(user=alice, email="a@example.org", day=3, unsubscribe="t" * 43)
    assert message.subject.startswith("ITB Care: day 3 of 30")
