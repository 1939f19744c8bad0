"""Settings come from the environment through strict helpers; production refuses unsafe defaults."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from itbcare.settings import env_bool, env_int, env_list
from tests.support import run_manage


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
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
