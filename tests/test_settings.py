"""Settings come from the environment through strict helpers; production refuses unsafe defaults."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from itbcare.settings import env_bool, env_int, env_list
from tests.support import ROOT, run_manage


@pytest.mark.parametrize("raw, expected", [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not expected) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "ten")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER"):
        env_int("SOME_NUMBER", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("SOME_LIST", " a.example, b.example ,,")
    assert env_list("SOME_LIST") == ["a.example", "b.example"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_check_deploy_is_silent_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="itbcare.example.org",
        SITE_URL="https://itbcare.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    "secret, reason",
    [
        ("change-me-to-a-long-random-string", "is the placeholder from .env.example"),
        ("short-but-random-Q2x9", "has 21 characters; it needs at least 50"),
        ("django-insecure-" + "k3y" * 20, "is a development key"),
        ("ab" * 40, "has fewer than 5 different characters"),
    ],
)
def test_production_refuses_a_placeholder_or_weak_secret_key(secret, reason):
    result = run_manage("check", DEBUG="0", SECRET_KEY=secret, ALLOWED_HOSTS="itbcare.example.org")
    assert result.returncode != 0
    assert f"SECRET_KEY {reason}." in result.stderr
    assert secret not in result.stderr  # never printed


def test_development_accepts_any_secret_key():
    assert run_manage("check", DEBUG="1", SECRET_KEY="change-me-to-a-long-random-string").returncode == 0


def test_the_example_environment_file_holds_the_placeholder_the_settings_refuse():
    from itbcare.settings import PLACEHOLDER_SECRET_KEYS

    example = (ROOT / ".env.example").read_text()
    assert any(f"SECRET_KEY={key}\n" in example for key in PLACEHOLDER_SECRET_KEYS)


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "x.example",
}


def test_production_refuses_to_start_without_a_site_url():
    result = run_manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "SITE_URL is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "url",
    [
        "itbcare.example.org",
        "ftp://itbcare.example.org",
        "https://",
        "https://x.example/app/",
        "https://x.example/?a=1",
    ],
)
def test_a_site_url_that_is_not_an_origin_stops_start_up(url):
    result = run_manage("check", **PRODUCTION, SITE_URL=url)
    assert result.returncode != 0
    assert "SITE_URL must be" in result.stderr


def test_a_site_url_with_a_port_or_a_trailing_slash_is_taken():
    show = "from django.conf import settings; print(settings.SITE_URL)"
    result = run_manage("shell", "--no-imports", "-c", show, **PRODUCTION, SITE_URL="https://x.example:8443/")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://x.example:8443"


def test_development_has_a_default_site_url():
    show = "from django.conf import settings; print(settings.SITE_URL)"
    assert run_manage("shell", "--no-imports", "-c", show, DEBUG="1").stdout.strip() == "http://127.0.0.1:8000"


def test_trusted_proxies_must_be_addresses_or_networks():
    result = run_manage("check", DEBUG="1", TRUSTED_PROXIES="10.0.0.1,proxy.example")
    assert result.returncode != 0
    assert "TRUSTED_PROXIES" in result.stderr
