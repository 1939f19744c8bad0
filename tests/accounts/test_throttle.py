"""The password-guessing throttle (accounts/throttle.py): guessers are slowed, nobody is locked out.

Time is frozen in every test that counts: the waits are seconds long, and a slow machine must not
turn a refused attempt into an allowed one.
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts import throttle
from accounts.models import Throttle, User
from tests.factories import PASSWORD, make_user

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
TOO_MANY = "Too many attempts"


def log_in(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def page_without_tokens(response, username: str) -> str:
    html = response.content.decode().replace(username, "")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- The rule, without a database -------------------------------------------------------------


RULE = throttle.Rule(free=5, first_wait=60, max_wait=900, forget_after=timedelta(hours=1))


def test_no_wait_before_the_free_failures_are_used():
    assert RULE.wait(4, NOW, NOW) == 0


def test_the_wait_doubles_from_the_first_wait_up_to_the_most():
    assert [RULE.wait(hits, NOW, NOW) for hits in range(5, 11)] == [60, 120, 240, 480, 900, 900]


def test_the_wait_counts_from_the_last_failure():
    assert RULE.wait(5, NOW, NOW + timedelta(seconds=45)) == 15
    assert RULE.wait(5, NOW, NOW + timedelta(seconds=60)) == 0


def test_a_bucket_is_forgotten_an_hour_after_its_last_failure():
    assert RULE.wait(10_000, NOW, NOW + timedelta(minutes=59)) == 0  # the 900 s wait is over
    assert RULE.wait(10_000, NOW, NOW + timedelta(hours=1)) == 0


def test_a_huge_count_does_not_overflow():
    assert RULE.wait(10**9, NOW, NOW) == 900


# --- Regressions: the spray and the proxy lock-out ---------------------------------------------


def test_a_few_passwords_across_20_usernames_from_one_address_are_slowed(db, frozen):
    for n in range(20):
        make_user(f"runner{n:02d}")
    client = Client(REMOTE_ADDR="203.0.113.7")
    checked, refused = 0, 0
    for password in ("123456", "password", "qwerty", "letmein"):
        for n in range(20):
            response = log_in(client, f"runner{n:02d}", password)
            if response.status_code == 429:
                refused += 1
                assert TOO_MANY in response.content.decode()
            else:
                assert response.status_code == 200
                checked += 1
    # 80 guesses, and only the address' free failures were even checked.
    assert (checked, refused) == (settings.LOGIN_ADDRESS_FAILURE_LIMIT, 80 - settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def test_a_patient_sprayer_who_waits_each_time_needs_more_than_15_hours_for_80_guesses(db, frozen):
    for n in range(20):
        make_user(f"runner{n:02d}")
    client = Client(REMOTE_ADDR="203.0.113.7")
    guesses = [(f"runner{n:02d}", password) for password in ("a1", "b2", "c3", "d4") for n in range(20)]
    waited = 0
    for username, password in guesses:
        while (response := log_in(client, username, password)).status_code == 429:
            wait = int(response["Retry-After"])
            waited += wait
            frozen.shift(wait)
        assert response.status_code == 200
    assert waited > 15 * 3600


def test_behind_a_trusted_proxy_five_wrong_passwords_from_one_client_do_not_lock_out_another(db, frozen, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    make_user("frank")
    guesser = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _ in range(5):
        assert log_in(guesser, "frank", "guess").status_code == 200
    assert log_in(guesser, "frank", PASSWORD).status_code == 429  # the guesser waits...
    owner = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert log_in(owner, "frank", PASSWORD).status_code == 302  # ...the owner, elsewhere, does not


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(db, frozen):
    """A guesser cannot pose as many clients by making up the header."""
    for n in range(12):
        make_user(f"runner{n:02d}")
    codes = []
    for n in range(12):
        client = Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        codes.append(log_in(client, f"runner{n:02d}", "guess").status_code)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert codes == [200] * limit + [429] * (12 - limit)


def test_behind_a_trusted_proxy_the_header_written_by_the_client_is_not_believed(db, frozen, settings):
    """The proxy appends the real address; what the client put in front of it is ignored."""
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for n in range(12):
        make_user(f"runner{n:02d}")
    codes = []
    for n in range(12):
        client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9")
        codes.append(log_in(client, f"runner{n:02d}", "guess").status_code)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    assert codes == [200] * limit + [429] * (12 - limit)


# --- One client's wait ------------------------------------------------------------------------


def test_five_wrong_passwords_make_that_client_wait_a_minute_with_a_message_and_retry_after(db, frozen):
    make_user("frank")
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = log_in(client, "frank", "guess")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    response = log_in(client, "frank", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Too many attempts. For your safety, please wait 1 minute and try again." in html
    assert 'name="username"' in html and "Forgot your password?" in html  # the form is still there


def test_the_wait_lifts_and_attempts_while_waiting_are_neither_checked_nor_counted(db, frozen):
    make_user("frank")
    client = Client()
    for _ in range(5):
        log_in(client, "frank", "guess")
    frozen.shift(30)
    response = log_in(client, "frank", PASSWORD)  # the right password, too early
    assert response.status_code == 429 and response["Retry-After"] == "30"
    frozen.shift(31)
    assert log_in(client, "frank", PASSWORD).status_code == 302  # the early try did not count


def test_each_further_failure_doubles_the_wait_up_to_15_minutes(db, frozen):
    make_user("frank")
    client = Client()
    waits = []
    for _ in range(5 + 6):
        response = log_in(client, "frank", "guess")
        if response.status_code == 429:
            waits.append(int(response["Retry-After"]))
            frozen.shift(int(response["Retry-After"]))
            assert log_in(client, "frank", "guess").status_code == 200
    assert waits == [60, 120, 240, 480, 900, 900]


def test_a_success_empties_that_clients_count(db, frozen):
    make_user("frank")
    client = Client()
    for _ in range(4):
        log_in(client, "frank", "guess")
    assert log_in(client, "frank", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert log_in(client, "frank", "guess").status_code == 200


def test_unknown_usernames_are_counted_and_refused_like_real_ones(db, frozen):
    make_user("frank")
    known, unknown = Client(REMOTE_ADDR="192.0.2.1"), Client(REMOTE_ADDR="192.0.2.2")
    for _ in range(5):
        log_in(known, "frank", "guess")
        log_in(unknown, "nobody-at-all", "guess")
    a, b = log_in(known, "frank", "guess"), log_in(unknown, "nobody-at-all", "guess")
    assert (a.status_code, b.status_code) == (429, 429)
    assert page_without_tokens(a, "frank") == page_without_tokens(b, "nobody-at-all")


def test_usernames_differing_only_in_case_share_a_count(db, frozen):
    make_user("frank")
    client = Client()
    for name in ("frank", "Frank", "FRANK", "fRaNk", "franK"):
        log_in(client, name, "guess")
    assert log_in(client, "frank", PASSWORD).status_code == 429


# --- Device cookies ---------------------------------------------------------------------------


def test_the_owner_still_signs_in_from_a_known_browser_while_guessers_hold_the_account(db, frozen):
    make_user("gail")
    owner = Client(REMOTE_ADDR="198.51.100.1")
    assert log_in(owner, "gail", PASSWORD).status_code == 302
    assert settings.LOGIN_DEVICE_COOKIE_NAME in owner.cookies
    owner.post("/accounts/logout/")
    # Guessing spread over six addresses, four guesses each (under each address' own limits).
    for n in range(6):
        guesser = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        for _ in range(4):
            log_in(guesser, "gail", "guess")
    stranger = Client(REMOTE_ADDR="192.0.2.50")
    assert log_in(stranger, "gail", PASSWORD).status_code == 429  # a new browser waits
    assert log_in(owner, "gail", PASSWORD).status_code == 302  # the owner's browser does not


def test_a_known_browser_is_judged_by_its_own_count(db, frozen):
    make_user("gail")
    owner = Client()
    log_in(owner, "gail", PASSWORD)
    owner.post("/accounts/logout/")
    for _ in range(5):
        assert log_in(owner, "gail", "guess").status_code == 200
    assert log_in(owner, "gail", PASSWORD).status_code == 429
    # Its failures counted against itself only: another browser at the same address goes ahead.
    assert log_in(Client(), "gail", PASSWORD).status_code == 302


def test_a_device_cookie_helps_only_the_account_it_was_given_for(db, frozen):
    make_user("gail")
    make_user("hank")
    browser = Client()
    log_in(browser, "gail", PASSWORD)
    browser.post("/accounts/logout/")
    for _ in range(5):
        log_in(Client(), "hank", "guess")  # same address, no cookie
    assert log_in(browser, "hank", PASSWORD).status_code == 429


@pytest.mark.parametrize("cookie", ["garbage", "e30:1xaY1z:forged", "x" * 5000])
def test_a_forged_device_cookie_counts_as_none(db, frozen, cookie):
    make_user("gail")
    for _ in range(5):
        log_in(Client(), "gail", "guess")
    browser = Client()
    browser.cookies[settings.LOGIN_DEVICE_COOKIE_NAME] = cookie
    assert log_in(browser, "gail", PASSWORD).status_code == 429


def test_signing_up_gives_the_browser_a_device_cookie(db):
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "username": "ivy",
            "password1": "a-long-Unusual-passphrase-42",
            "password2": "a-long-Unusual-passphrase-42",
            "time_zone": "UTC",
            "health_consent": "on",
        },
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.LOGIN_DEVICE_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "ivy" not in cookie.value


# --- The signed-in password checks ------------------------------------------------------------


def test_wrong_passwords_on_delete_account_are_throttled(alice_client, alice, frozen):
    for _ in range(5):
        response = alice_client.post("/accounts/delete/", {"password": "wrong"})
        assert response.status_code == 200
        assert "That password is not right." in response.content.decode()
    response = alice_client.post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many attempts. For your safety, please wait 1 minute" in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()
    frozen.shift(60)
    assert alice_client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()


def test_wrong_old_passwords_on_change_password_are_throttled(alice_client, alice, frozen):
    new = "a-long-Unusual-passphrase-42"
    data = {"old_password": "wrong", "new_password1": new, "new_password2": new}
    for _ in range(5):
        response = alice_client.post("/accounts/password/change/", data)
        assert response.status_code == 200
        assert "Your old password was entered incorrectly" in response.content.decode()
    response = alice_client.post("/accounts/password/change/", {**data, "old_password": PASSWORD})
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_the_signed_in_checks_and_signing_in_share_one_count(alice_client, alice, frozen):
    for _ in range(3):
        alice_client.post("/accounts/delete/", {"password": "wrong"})
    for _ in range(2):
        alice_client.post("/accounts/password/change/", {"old_password": "wrong"})
    assert log_in(Client(), "alice", PASSWORD).status_code == 429


def test_the_admin_login_is_throttled_too(db, frozen):
    User.objects.create_superuser("root-user", "root@example.org", PASSWORD)
    url = f"/{settings.ADMIN_URL}login/"
    client = Client()
    for _ in range(5):
        client.post(url, {"username": "root-user", "password": "guess"})
    response = client.post(url, {"username": "root-user", "password": PASSWORD})
    assert response.status_code == 200  # the admin's own "wrong password" page, not signed in
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 302


# --- Storage ----------------------------------------------------------------------------------


def test_the_rows_hold_no_username_and_no_address(db, frozen):
    make_user("frank")
    for _ in range(3):
        log_in(Client(REMOTE_ADDR="203.0.113.77"), "frank", "guess")
    rows = list(Throttle.objects.values("scope", "key", "account", "hits"))
    assert {(row["scope"], row["hits"]) for row in rows} == {
        (throttle.CLIENT, 3),
        (throttle.ADDRESS, 3),
        (throttle.ACCOUNT, 3),
    }
    text = repr(rows)
    assert "frank" not in text and "203.0.113" not in text


def test_deleting_the_account_deletes_its_throttle_rows(alice_client, alice, frozen):
    log_in(Client(REMOTE_ADDR="203.0.113.77"), "alice", "guess")
    assert alice_client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert list(Throttle.objects.values_list("scope", flat=True)) == [throttle.ADDRESS]  # about the address only


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's in-memory test database serialises writers")
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_on_several_connections_are_all_counted():
    def bump_five():
        try:
            for _ in range(5):
                throttle.bump("test", "same", now=NOW, window=timedelta(hours=1), idle=True)
        finally:
            connection.close()

    threads = [threading.Thread(target=bump_five) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Throttle.objects.get(scope="test", key="same").hits == 40
