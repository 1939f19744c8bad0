"""The reminder address's confirmation link: a one-time nonce in a signed, opaque token; a newer
request voids the older link; the page names the address and confirms on one POST; mail limits."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from accounts.models import User
from tests.factories import make_user

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ask(client: Client, email: str, capture, *, on: bool = True):
    data = {"remind_at": "07:30", "email": email, **({"email_on": "on"} if on else {})}
    with capture(execute=True):
        return client.post("/reminders/", data)


def link_path(message) -> str:
    link = next(line for line in message.body.splitlines() if "/reminders/confirm/" in line)
    assert link.startswith(settings.SITE_URL + "/reminders/confirm/")
    return link.removeprefix(settings.SITE_URL)


def prefs(user) -> User:
    return User.objects.get(pk=user.pk)


def test_the_old_confirmation_link_cannot_take_the_reminders_back(
    alice, alice_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The attack: confirm old@, move to new@ and confirm it; the link mailed to old@ must not move
    the reminders back (it did once: for three days, as often as anyone liked)."""
    ask(alice_client, "old@example.org", django_capture_on_commit_callbacks)
    old_link = link_path(mailoutbox[-1])
    assert client.post(old_link).status_code == 200
    assert prefs(alice).reminder_email == "old@example.org"

    ask(alice_client, "new@example.org", django_capture_on_commit_callbacks)
    new_link = link_path(mailoutbox[-1])
    assert client.post(new_link).status_code == 200
    assert prefs(alice).reminder_email == "new@example.org"

    assert client.get(old_link).status_code == 404
    assert client.post(old_link).status_code == 404
    assert client.post(new_link).status_code == 404  # used up
    current = prefs(alice)
    assert (current.reminder_email, current.pending_reminder_email) == ("new@example.org", "")


def test_a_newer_request_voids_the_older_link(
    alice, alice_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    ask(alice_client, "first@example.org", django_capture_on_commit_callbacks)
    first = link_path(mailoutbox[-1])
    ask(alice_client, "second@example.org", django_capture_on_commit_callbacks)
    second = link_path(mailoutbox[-1])
    assert mailoutbox[-1].to == ["second@example.org"]
    assert client.post(first).status_code == 404
    assert prefs(alice).reminder_email_confirmed_at is None
    assert client.post(second).status_code == 200
    assert prefs(alice).reminder_email == "second@example.org"


def test_the_confirm_page_names_the_address_and_changes_nothing_until_the_click(
    alice, alice_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    ask(alice_client, "a@example.org", django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[-1])
    page = client.get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<strong>a@example.org</strong>" in html
    assert 'method="post"' in html and "Confirm this address" in html
    assert page["Cache-Control"] == "no-store"
    assert prefs(alice).reminder_email_confirmed_at is None
    done = client.post(path)
    assert done.status_code == 200 and "a@example.org" in done.content.decode()
    assert prefs(alice).reminder_email_confirmed_at is not None


def test_the_token_is_opaque(alice, alice_client, mailoutbox, django_capture_on_commit_callbacks):
    ask(alice_client, "secret.person@example.org", django_capture_on_commit_callbacks)
    token = link_path(mailoutbox[-1]).split("/")[3]
    readable = [token]
    for part in token.split(":"):
        try:
            readable.append(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("latin-1"))
        except (binascii.Error, ValueError):
            pass
    for text in readable:
        assert "secret.person" not in text and "example.org" not in text
        assert '"u"' not in text and '"e"' not in text
    nonce = token.split(":")[0]
    assert len(nonce) >= 43  # 256 bits
    assert nonce not in User.objects.get(pk=alice.pk).reminder_confirm_hash  # only its hash is kept


def test_a_link_expires_after_three_days(alice, alice_client, client, mailoutbox, django_capture_on_commit_callbacks):
    with time_machine.travel(NOW, tick=False) as traveller:
        ask(alice_client, "a@example.org", django_capture_on_commit_callbacks)
        path = link_path(mailoutbox[-1])
        traveller.shift(timedelta(days=3, minutes=1))
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404
    assert prefs(alice).reminder_email_confirmed_at is None


def test_a_tampered_link_is_a_404(alice, alice_client, client, mailoutbox, django_capture_on_commit_callbacks):
    ask(alice_client, "a@example.org", django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[-1])
    assert client.post(path[:-4] + "abc/").status_code == 404
    assert client.post("/reminders/confirm/" + "x" * 300 + "/").status_code == 404


def test_turning_reminders_off_voids_the_link(
    alice, alice_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    ask(alice_client, "a@example.org", django_capture_on_commit_callbacks)
    path = link_path(mailoutbox[-1])
    ask(alice_client, "a@example.org", django_capture_on_commit_callbacks, on=False)
    assert client.post(path).status_code == 404
    assert (prefs(alice).pending_reminder_email, prefs(alice).reminder_email) == ("", "")


def test_reminders_keep_going_to_the_confirmed_address_until_the_new_one_is_confirmed(
    alice, alice_client, client, mailoutbox, django_capture_on_commit_callbacks
):
    ask(alice_client, "old@example.org", django_capture_on_commit_callbacks)
    client.post(link_path(mailoutbox[-1]))
    ask(alice_client, "new@example.org", django_capture_on_commit_callbacks)
    current = prefs(alice)
    assert (current.reminder_email, current.pending_reminder_email) == ("old@example.org", "new@example.org")
    assert current.reminder_email_confirmed_at is not None
    html = alice_client.get("/reminders/").content.decode()
    assert "Confirmed address: old@example.org" in html
    assert "Waiting for you to confirm new@example.org" in html
    # Going back to the confirmed address needs no mail and voids the pending link.
    sent = len(mailoutbox)
    ask(alice_client, "old@example.org", django_capture_on_commit_callbacks)
    assert len(mailoutbox) == sent
    assert prefs(alice).pending_reminder_email == ""


def test_confirmation_mails_to_one_address_are_limited(db, frozen, mailoutbox, django_capture_on_commit_callbacks):
    """Two accounts asking by turns for one inbox: three mails an hour, then a message."""
    clients = []
    for name in ("p0", "p1"):
        c = Client()
        c.force_login(make_user(name))
        clients.append(c)
    responses = [ask(clients[n % 2], "victim@example.org", django_capture_on_commit_callbacks) for n in range(5)]
    assert [r.status_code for r in responses] == [302, 302, 302, 429, 429]
    assert sum(m.to == ["victim@example.org"] for m in mailoutbox) == 3
    refused = responses[3]
    html = refused.content.decode()
    assert "We have sent as many emails to that address as we will for now." in html
    assert 'value="victim@example.org"' in html  # nothing lost
    assert refused["Retry-After"] == "3600"
    frozen.shift(timedelta(hours=1, seconds=1))
    assert ask(clients[0], "victim@example.org", django_capture_on_commit_callbacks).status_code == 302


def test_confirmation_mails_from_one_account_are_limited(
    alice, alice_client, frozen, mailoutbox, django_capture_on_commit_callbacks
):
    statuses = [
        ask(alice_client, f"a{n}@example.org", django_capture_on_commit_callbacks).status_code for n in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2
    assert len(mailoutbox) == 5
    refused = ask(alice_client, "a9@example.org", django_capture_on_commit_callbacks)
    assert "We have sent as many of these emails to your account as we will for now." in refused.content.decode()
    assert prefs(alice).pending_reminder_email == "a4@example.org"  # a refused request saves nothing
