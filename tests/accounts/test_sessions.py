"""Sessions belong to their person: deleting the account, a new password and "sign out everywhere
else" end them; `manage.py purge` clears what has expired."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import Session, Throttle
from accounts.sessions import SessionStore
from screening.models import Screening
from screening.services import ANSWERS_KEY
from tests.factories import PASSWORD, make_screening

NEW_PASSWORD = "a-long-Unusual-passphrase-42"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_key(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def is_signed_in(client: Client) -> bool:
    return client.get("/accounts/settings/").status_code == 200


def test_a_session_row_names_its_person_and_an_anonymous_one_nobody(alice, client):
    laptop = signed_in(alice)
    assert Session.objects.get(session_key=session_key(laptop)).user_id == alice.pk
    client.post("/screening/", {"age": "34", "activity": "running"})  # a knee check in progress
    assert Session.objects.get(session_key=session_key(client)).user_id is None


def test_the_session_keeps_its_person_through_a_real_log_in(alice):
    client = Client()
    client.post("/screening/", {"age": "34", "activity": "running"})
    anonymous_key = session_key(client)
    assert client.post("/accounts/login/", {"username": "alice", "password": PASSWORD}).status_code == 302
    assert not Session.objects.filter(session_key=anonymous_key).exists()  # a new key at log-in
    assert Session.objects.get(session_key=session_key(client)).user_id == alice.pk


def test_deleting_the_account_ends_every_session_of_the_person_and_no_one_elses(alice, bob):
    laptop, phone, tablet = signed_in(alice), signed_in(alice), signed_in(alice)
    session = phone.session
    session[ANSWERS_KEY] = {"age": 34}  # a half-finished knee check on the phone
    session.save()
    bobs = signed_in(bob)
    assert Session.objects.filter(user=alice).count() == 3

    assert laptop.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302

    assert Session.objects.filter(user_id=alice.pk).count() == 0
    assert not Session.objects.filter(session_key__in=[session_key(phone), session_key(tablet)]).exists()
    assert not is_signed_in(phone) and not is_signed_in(tablet)
    assert is_signed_in(bobs)


def test_deleting_the_account_forgets_this_browsers_device_cookie(alice):
    client = Client()
    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    response = client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.cookies[settings.LOGIN_DEVICE_COOKIE_NAME].value == ""


def test_sign_out_everywhere_else_ends_the_other_sessions_and_keeps_this_one(alice, bob):
    here, phone, tablet = signed_in(alice), signed_in(alice), signed_in(alice)
    bobs = signed_in(bob)
    old_key = session_key(here)
    assert "You are also signed in on 2 other browsers or devices." in here.get("/accounts/settings/").content.decode()

    response = here.post("/accounts/sessions/end-others/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/settings/#sessions-heading"
    html = response.content.decode()
    assert "Signed out on 2 other browsers or devices. You are still signed in here." in html
    assert "You are not signed in anywhere else." in html
    assert is_signed_in(here) and session_key(here) != old_key  # a new key for this one
    assert not is_signed_in(phone) and not is_signed_in(tablet)
    assert is_signed_in(bobs)
    assert list(Session.objects.filter(user=alice).values_list("session_key", flat=True)) == [session_key(here)]


def test_sign_out_everywhere_else_is_a_post(alice_client):
    assert alice_client.get("/accounts/sessions/end-others/").status_code == 405


def test_the_settings_page_offers_it_as_a_form_that_works_without_javascript(alice_client):
    html = alice_client.get("/accounts/settings/").content.decode()
    form = re.search(r'<form method="post" action="/accounts/sessions/end-others/">.*?</form>', html, re.S)
    assert form and 'name="csrfmiddlewaretoken"' in form.group(0)
    assert '<button type="submit" class="button">Sign out everywhere else</button>' in form.group(0)


def test_a_new_password_ends_the_other_sessions(alice):
    here, phone = signed_in(alice), signed_in(alice)
    response = here.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert is_signed_in(here)
    assert not Session.objects.filter(session_key=session_key(phone)).exists()
    assert Session.objects.filter(user=alice).count() == 1


def test_a_password_set_from_a_reset_link_ends_every_session(alice):
    phone = signed_in(alice)
    client = Client()
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    response = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert not Session.objects.filter(user=alice).exists()
    assert not is_signed_in(phone)


# --- manage.py purge --------------------------------------------------------------------------


def purge() -> str:
    out = StringIO()
    call_command("purge", stdout=out)
    return out.getvalue()


def test_purge_deletes_expired_sessions_and_keeps_live_ones(alice):
    live = signed_in(alice)
    expired = SessionStore()
    expired[ANSWERS_KEY] = {"age": 34}  # an abandoned knee check
    expired.set_expiry(timezone.now() - timedelta(seconds=1))
    expired.create()
    output = purge()
    assert "accounts: deleted 1 expired sessions." in output
    assert list(Session.objects.values_list("session_key", flat=True)) == [session_key(live)]


def test_purge_deletes_sessions_whose_person_no_longer_exists(alice):
    # Saved by one of a person's browsers in the moment their account went (no database
    # constraint stops it, so that the save does not fail).
    stray = SessionStore()
    stray["_auth_user_id"] = "999999"
    stray.create()
    assert Session.objects.get(session_key=stray.session_key).user_id == 999999
    signed_in(alice)
    assert "accounts: deleted 1 sessions of deleted accounts." in purge()
    assert list(Session.objects.values_list("user_id", flat=True)) == [alice.pk]


def test_purge_deletes_unclaimed_anonymous_screens_once_their_session_could_have_expired(alice):
    old = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)
    abandoned = make_screening(None, taken_at=old)
    recent = make_screening(None, taken_at=timezone.now() - timedelta(days=1))
    claimed = make_screening(alice, taken_at=old)
    assert "screening: deleted 1 unclaimed anonymous screens." in purge()
    assert set(Screening.objects.values_list("pk", flat=True)) == {recent.pk, claimed.pk}
    assert not Screening.objects.filter(pk=abandoned.pk).exists()


def test_purge_deletes_throttle_rows_past_their_time(db):
    now = timezone.now()
    fields = {"hits": 1, "first_at": now, "last_at": now}
    Throttle.objects.create(scope="s", key="old", expires_at=now - timedelta(seconds=1), **fields)
    Throttle.objects.create(scope="s", key="new", expires_at=now + timedelta(hours=1), **fields)
    assert "accounts: deleted 1 throttle rows." in purge()
    assert list(Throttle.objects.values_list("key", flat=True)) == ["new"]


def test_purge_twice_in_a_row_as_two_machines_would_is_harmless(alice):
    expired = SessionStore()
    expired.set_expiry(timezone.now() - timedelta(seconds=1))
    expired["x"] = 1
    expired.create()
    assert "deleted 1 expired sessions" in purge()
    assert "deleted 0 expired sessions" in purge()


def test_purge_works_through_batches(db, monkeypatch):
    from accounts import services

    monkeypatch.setattr(services, "PURGE_BATCH", 3)
    for _ in range(7):
        store = SessionStore()
        store.set_expiry(timezone.now() - timedelta(seconds=1))
        store["x"] = 1
        store.create()
    with CaptureQueriesContext(connection) as queries:
        assert "deleted 7 expired sessions" in purge()
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('DELETE FROM "accounts_session"')]
    assert len(deletes) == 3  # 3 + 3 + 1
    assert not Session.objects.exists()


def test_the_old_command_still_works_for_existing_cron_lines(db):
    make_screening(None, taken_at=timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
    out = StringIO()
    call_command("purge_anonymous_screenings", stdout=out)
    assert "Deleted 1 unclaimed anonymous screens." in out.getvalue()
    assert not Screening.objects.exists()
