"""Mail rate limits (accounts/mail_limits.py), on the password reset: per address and per account,
with a friendly message that says nothing about whether an account uses the address."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from accounts import mail_limits
from accounts.models import Throttle
from tests.factories import make_user

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
LIMIT_MESSAGE = "We have sent as many emails to that address as we will for now."


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ask_reset(email: str, client: Client | None = None):
    return (client or Client()).post("/accounts/password/reset/", {"email": email})


def test_ten_reset_requests_for_one_inbox_send_three_mails(db, frozen, mailoutbox):
    make_user("alice", email="alice@example.org")
    responses = [ask_reset("alice@example.org") for _ in range(10)]
    assert len(mailoutbox) == 3
    assert [r.status_code for r in responses] == [302] * 3 + [429] * 7
    refused = responses[3]
    assert LIMIT_MESSAGE in refused.content.decode()
    assert refused["Retry-After"] == "3600"


def test_the_limit_message_is_the_same_whether_or_not_an_account_uses_the_address(db, frozen, mailoutbox):
    make_user("alice", email="alice@example.org")
    for email in ("alice@example.org", "nobody@example.org"):
        for _ in range(3):
            assert ask_reset(email).status_code == 302  # "check your email" either way
    with_account, without = ask_reset("alice@example.org"), ask_reset("nobody@example.org")
    assert (with_account.status_code, without.status_code) == (429, 429)

    def page(response) -> str:
        html = response.content.decode().replace("alice@example.org", "").replace("nobody@example.org", "")
        return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)

    assert page(with_account) == page(without)
    assert len(mailoutbox) == 3


def test_the_address_limit_ignores_case_and_spaces(db, frozen, mailoutbox):
    make_user("alice", email="alice@example.org")
    for email in ("alice@example.org", "ALICE@example.org", "Alice@Example.org"):
        ask_reset(email)
    assert ask_reset(" alice@EXAMPLE.org ").status_code == 429


def test_the_limit_lifts_after_the_hour(db, frozen, mailoutbox):
    make_user("alice", email="alice@example.org")
    for _ in range(4):
        ask_reset("alice@example.org")
    frozen.shift(timedelta(hours=1, seconds=1))
    assert ask_reset("alice@example.org").status_code == 302
    assert len(mailoutbox) == 4


def test_more_than_five_a_day_to_one_account_are_skipped_silently(db, frozen, mailoutbox):
    make_user("alice", email="alice@example.org")
    for _ in range(7):
        response = ask_reset("alice@example.org")
        assert response.status_code == 302  # the usual "check your email": nothing told
        frozen.shift(timedelta(hours=2))  # past the address limit's hour each time
    assert len(mailoutbox) == 5


def test_other_addresses_are_not_held_up_by_one(db, frozen, mailoutbox):
    make_user("alice", email="alice@example.org")
    make_user("bob", email="bob@example.org")
    for _ in range(5):
        ask_reset("alice@example.org")
    assert ask_reset("bob@example.org").status_code == 302
    assert [m.to for m in mailoutbox] == [["alice@example.org"]] * 3 + [["bob@example.org"]]


def test_the_rows_hold_no_email_address(db, frozen):
    make_user("alice", email="alice@example.org")
    ask_reset("alice@example.org")
    assert "example.org" not in repr(list(Throttle.objects.values()))


# --- The mechanism, for other mails (the reminder address confirmation) ------------------------


def test_count_returns_a_refusal_with_the_time_left_once_over_a_limit(db, frozen, settings):
    settings.MAIL_LIMITS = {"confirm": {"address": (2, 600), "account": (3, 3600)}}
    user = make_user("alice")
    assert mail_limits.count("confirm", address="a@example.org", user=user) is None
    frozen.shift(100)
    assert mail_limits.count("confirm", address="a@example.org", user=user) is None
    refusal = mail_limits.count("confirm", address="a@example.org", user=user)
    assert refusal == mail_limits.Refusal("address", 500)
    refusal = mail_limits.count("confirm", address="b@example.org", user=user)
    assert refusal == mail_limits.Refusal("account", 3500)
    assert "You can ask again in 59 minutes." in refusal.message()


def test_an_unknown_kind_of_mail_is_a_programming_error(db):
    with pytest.raises(KeyError):
        mail_limits.count("no-such-mail", address="a@example.org")
