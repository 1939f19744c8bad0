"""Hardening that a person never sees until someone tries to get in."""

from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD, make_user


def test_the_admin_is_not_at_the_default_path(client, db):
    assert client.get("/admin/").status_code == 404
    assert client.get(f"/{settings.ADMIN_URL}").status_code == 302


def test_repeated_failed_logins_lock_the_account_for_a_while(db):
    make_user("frank")
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "frank", "password": "guess"})
    response = client.post("/accounts/login/", {"username": "frank", "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()


def test_a_successful_login_after_a_few_failures_works(db):
    make_user("gina")
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 2):
        client.post("/accounts/login/", {"username": "gina", "password": "guess"})
    response = client.post("/accounts/login/", {"username": "gina", "password": PASSWORD})
    assert response.status_code == 302


def test_sessions_expire(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60 * 24 * 30
    assert settings.SESSION_COOKIE_HTTPONLY


def test_production_cookies_are_secure_by_default():
    import subprocess
    import sys

    code = "from django.conf import settings; print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)"
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "production-like-secret-" + "0123456789" * 4,
        "SITE_URL": "https://itbcare.example.org",
        "DJANGO_SETTINGS_MODULE": "itbcare.settings",
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_password_validators_are_on(settings):
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= names


def test_a_huge_username_at_login_is_refused_with_a_message_not_a_crash(db):
    # Django's AuthenticationForm does not validate the username's length; the login throttle
    # would then try to store it in a 255-character column (a 500 on PostgreSQL).
    response = Client().post("/accounts/login/", {"username": "x" * 5000, "password": "guess"})
    assert response.status_code == 200
    assert "Usernames are at most 150 characters." in response.content.decode()
