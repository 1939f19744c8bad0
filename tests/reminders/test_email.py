"""Email reminders: settings, confirmation, `send_reminders` exactly once, unsubscribe."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import datetime, time, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from reminders.models import ReminderSent, hash_token
from reminders.services import send_due_reminders, stuck_reminders
from tests.factories import make_log, make_plan, make_user

BERLIN = ZoneInfo("Europe/Berlin")
# 20:30 in Berlin on 2026-11-27: after the default 20:00.
EVENING = datetime(2026, 11, 27, 20, 30, tzinfo=BERLIN)
TODAY = EVENING.date()


def person(username="alice", *, on=True, confirmed=True, remind_at=time(20, 0), day=3):
    user = make_user(username)
    user.time_zone = "Europe/Berlin"
    user.email = f"{username}@example.org"
    user.save()
    make_plan(user, start_date=TODAY - timedelta(days=day - 1))
    user.reminders_by_email = on
    user.remind_at = remind_at
    user.reminder_email = user.email if confirmed else ""
    user.reminder_email_confirmed_at = timezone.now() if confirmed else None
    user.save()
    return user


def unsubscribe_path(message) -> str:
    return message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix(settings.SITE_URL)


@pytest.fixture
def evening():
    with time_machine.travel(EVENING, tick=False):
        yield


@pytest.mark.usefixtures("evening")
def test_a_due_reminder_goes_out_once_with_text_html_and_unsubscribe_headers(db):
    alice = person()
    call_command("send_reminders")
    call_command("send_reminders")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert "Day 3 of 30" in message.body
    assert f"{settings.SITE_URL}/rehab/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Day 3 of 30" in html
    token = unsubscribe_path(message).split("/")[3]
    assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}/reminders/unsubscribe/{token}/>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "pain" not in message.body.lower()
    row = ReminderSent.objects.get(user=alice, date=TODAY)
    assert (row.state, row.sent_at is not None) == (ReminderSent.SENT, True)
    assert row.unsubscribe_hash == hash_token(token)  # only the hash is kept
    assert str(alice.pk) != token and len(token) >= 43


@pytest.mark.usefixtures("evening")
def test_nobody_gets_one_who_logged_opted_out_is_unconfirmed_or_is_before_their_time(db):
    logged = person("logged")
    make_log(logged.plan, TODAY, rested=True)
    person("off", on=False)
    person("unconfirmed", confirmed=False)
    person("later", remind_at=time(21, 0))
    assert send_due_reminders() == 0
    assert mail.outbox == []


def test_a_failed_send_is_not_recorded_as_sent(db, monkeypatch, evening):
    person()

    def boom(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", boom)
    assert send_due_reminders() == 0
    assert ReminderSent.objects.count() == 0
    monkeypatch.undo()
    assert send_due_reminders() == 1


@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_send_one_email(evening):
    if connection.vendor == "sqlite":
        pytest.skip("concurrent writers need PostgreSQL")
    person()
    barrier = threading.Barrier(2)
    counts = []

    def run():
        barrier.wait()
        try:
            counts.append(send_due_reminders(now=EVENING))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 1]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_process_does_not_send_again(tmp_path: Path):
    """manage.py send_reminders in another process, on the real clock: the person already sent
    to today (a row from "another runner") gets nothing; a control person gets exactly one."""
    if connection.vendor == "sqlite":
        pytest.skip("a second process needs a shared PostgreSQL database")
    today = timezone.now().astimezone(BERLIN).date()
    already = person("already", remind_at=time(0, 0), day=(TODAY - today).days + 3)
    person("control", remind_at=time(0, 0), day=(TODAY - today).days + 3)
    ReminderSent.objects.create(user=already, date=today, state=ReminderSent.SENT)
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@%2Fvar%2Frun%2Fpostgresql:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "send_reminders"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "sent 1"
    texts = [p.read_text() for p in tmp_path.iterdir()]
    assert sum(text.count("To: control@example.org") for text in texts) == 1
    assert not any("already@example.org" in text for text in texts)
    assert ReminderSent.objects.filter(date=today).count() == 2


def test_unsubscribe_works_once_without_a_session_and_a_tampered_link_does_not(client, db):
    alice = person()
    with time_machine.travel(EVENING, tick=False):
        send_due_reminders()
    url = unsubscribe_path(mail.outbox[0])
    page = client.get(url)
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert User.objects.get(pk=alice.pk).reminders_by_email is True
    assert client.post(url[:-2] + "x/").status_code == 404
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert User.objects.get(pk=alice.pk).reminders_by_email is False
    # Used: voided. Turning reminders on again does not bring the old link back.
    User.objects.filter(pk=alice.pk).update(reminders_by_email=True)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert User.objects.get(pk=alice.pk).reminders_by_email is True


def test_every_email_has_its_own_link_and_using_one_voids_them_all(client, db):
    alice = person(day=3)
    with time_machine.travel(EVENING, tick=False):
        send_due_reminders()
    with time_machine.travel(EVENING + timedelta(days=1), tick=False):
        send_due_reminders()
        first, second = (unsubscribe_path(m) for m in mail.outbox)
        assert first != second
        assert client.get(first).status_code == 200 and client.get(second).status_code == 200
        assert client.post(first).status_code == 200
        assert client.post(second).status_code == 404
    assert User.objects.get(pk=alice.pk).reminders_by_email is False


def test_an_unsubscribe_link_lives_sixty_days_and_turning_reminders_off_voids_it(client, db):
    alice = person()
    with time_machine.travel(EVENING, tick=False):
        send_due_reminders()
    url = unsubscribe_path(mail.outbox[0])
    with time_machine.travel(EVENING + timedelta(days=61)):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert client.get(url).status_code == 200
    signed_in = Client()
    signed_in.force_login(alice)
    signed_in.post("/reminders/", {"remind_at": "20:00", "email": alice.email})  # off in the settings
    assert client.get(url).status_code == 404


def test_a_crash_between_the_mail_server_and_the_database_is_visible_and_never_sends_again(db, monkeypatch, evening):
    """The process dies after the mail server took the mail, before "sent" is written: the row
    stays "sending"; the next runs send nothing (at most once) and the command reports it."""
    person()
    calls = []

    def dies_after_sending(self, *args, **kwargs):
        calls.append(self.to)
        raise SystemExit("killed")  # not an error the send loop handles: the run stops here

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", dies_after_sending)
    with pytest.raises(SystemExit):
        send_due_reminders()
    monkeypatch.undo()
    row = ReminderSent.objects.get()
    assert (row.state, row.sent_at) == (ReminderSent.SENDING, None)
    assert send_due_reminders() == 0 and mail.outbox == []
    assert stuck_reminders() == 0  # a run may still be sending: not yet reported
    later = EVENING + timedelta(minutes=11)
    assert stuck_reminders(now=later) == 1
    with time_machine.travel(later, tick=False):
        out, err = StringIO(), StringIO()
        call_command("send_reminders", stdout=out, stderr=err)
    assert out.getvalue().strip() == "sent 0"
    assert "1 reminder(s) still 'sending'" in err.getvalue()
    assert len(calls) == 1


def test_settings_ask_for_confirmation(alice_client, alice, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post("/reminders/", {"email_on": "on", "remind_at": "07:30", "email": "a@example.org"})
    assert response.status_code == 302
    prefs = User.objects.get(pk=alice.pk)
    assert (prefs.reminders_by_email, prefs.remind_at, prefs.reminder_email_confirmed_at) == (True, time(7, 30), None)
    assert prefs.pending_reminder_email == "a@example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reminders/confirm/" in line)
    path = link.removeprefix(settings.SITE_URL)
    assert client.get(path).status_code == 200
    assert User.objects.get(pk=alice.pk).reminder_email_confirmed_at is None
    assert client.post(path).status_code == 200
    prefs.refresh_from_db()
    assert prefs.reminder_email == "a@example.org" and prefs.reminder_email_confirmed_at is not None


def test_todays_page_says_when_the_next_reminder_is_due(alice, alice_client):
    make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    assert "Get a daily reminder by email" in alice_client.get("/rehab/").content.decode()
    User.objects.filter(pk=alice.pk).update(
        reminders_by_email=True,
        remind_at=time(7, 15),
        reminder_email="a@example.org",
        reminder_email_confirmed_at=timezone.now(),
    )
    assert "Next reminder: today at 07:15 by email." in alice_client.get("/rehab/").content.decode()
    make_log(alice.plan, timezone.localdate(), rested=True)
    assert "Next reminder: tomorrow at 07:15 by email." in alice_client.get("/rehab/").content.decode()


def test_purge_deletes_reminder_records_older_than_an_unsubscribe_link_lives(alice):
    import io

    from django.core.management import call_command

    from reminders.models import ReminderSent
    from reminders.services import UNSUBSCRIBE_MAX_AGE

    now = timezone.now()
    old = ReminderSent.objects.create(
        user=alice,
        date=now.date() - timedelta(days=70),
        state="sent",
        started_at=now - UNSUBSCRIBE_MAX_AGE - timedelta(hours=1),
    )
    kept = ReminderSent.objects.create(
        user=alice,
        date=now.date() - timedelta(days=50),
        state="sent",
        started_at=now - UNSUBSCRIBE_MAX_AGE + timedelta(hours=1),
    )
    out = io.StringIO()
    call_command("purge", stdout=out)
    assert "reminders: deleted 1 reminder records." in out.getvalue()
    assert list(ReminderSent.objects.values_list("pk", flat=True)) == [kept.pk] and old.pk != kept.pk
