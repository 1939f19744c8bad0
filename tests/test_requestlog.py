"""Request ids and the one JSON line per request (itbcare/requestlog.py)."""

import json
import logging
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from itbcare.requestlog import JsonFormatter, TextFormatter
from tests.factories import make_plan

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(autouse=True)
def _request_lines_on(caplog):
    """The test settings turn the request line off (REQUEST_LOG=0); production has it on."""
    caplog.set_level(logging.INFO, logger="itbcare.request")


def lines(caplog) -> list[dict]:
    """What the production handler writes: each captured record through the JSON formatter."""
    formatter = JsonFormatter()
    return [json.loads(formatter.format(record)) for record in caplog.records]


def request_lines(caplog) -> list[dict]:
    return [line for line in lines(caplog) if line["logger"] == "itbcare.request"]


def test_every_answer_carries_a_new_request_id(client, db):
    first, second = client.get("/"), client.get("/healthz")
    assert HEX_ID.fullmatch(first["X-Request-ID"]) and HEX_ID.fullmatch(second["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_sent_by_a_client_is_ignored_unless_behind_the_proxy(client, db, settings):
    settings.TRUSTED_PROXIES = []
    assert client.get("/", HTTP_X_REQUEST_ID="chosen-by-the-client-123").headers["X-Request-ID"] != (
        "chosen-by-the-client-123"
    )
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]  # the client is not a proxy: still ignored
    assert client.get("/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")["X-Request-ID"] != (
        "0123456789abcdef0123456789abcdef"
    )
    settings.TRUSTED_PROXIES = ["127.0.0.1"]  # the test client's address: a trusted proxy
    assert client.get("/", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")["X-Request-ID"] == (
        "0123456789abcdef0123456789abcdef"
    )


@pytest.mark.parametrize("given", ["short", "x" * 101, "abc def ghi jkl", 'id"}\n{"forged": 1', "ünïcode-request-id"])
def test_a_malformed_request_id_from_the_proxy_is_replaced(client, db, settings, given):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert HEX_ID.fullmatch(client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"])


def test_one_line_per_request_with_method_route_status_duration_and_id(alice, alice_client, caplog):
    make_plan(alice)
    caplog.set_level(logging.INFO, logger="itbcare.request")
    response = alice_client.get("/rehab/")
    assert response.status_code == 200
    [line] = request_lines(caplog)
    assert line["method"] == "GET"
    assert line["route"] == "rehab:today"
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")


def test_the_line_holds_no_health_data_and_no_body(alice, alice_client, caplog):
    plan = make_plan(alice, start_date=timezone.localdate() - timedelta(days=2))
    caplog.set_level(logging.INFO)
    day = timezone.localdate().isoformat()
    form = {"pain_worst": "7", "rested": "no", "swelling": "none", "nsaid": "yes", "notes": "knee-secret-words"}
    response = alice_client.post(f"/rehab/log/{day}/", form)
    assert response.status_code == 302
    assert plan.logs.get().notes == "knee-secret-words"
    text = "\n".join(json.dumps(line) for line in lines(caplog))
    assert "knee-secret-words" not in text and "pain_worst" not in text and f"/rehab/log/{day}" not in text
    [line] = request_lines(caplog)
    assert (line["method"], line["route"], line["status"]) == ("POST", "rehab:log", 302)


@pytest.mark.parametrize(
    "path, route",
    [
        ("/s/{token}/", "reports:shared"),
        ("/calendar/{token}.ics", "reminders:feed"),
        ("/reminders/unsubscribe/{token}/", "reminders:unsubscribe"),
        ("/reminders/confirm/{token}/", "reminders:confirm"),
        ("/accounts/reset/MQ/{token}/", "password_reset_confirm"),
    ],
)
def test_token_urls_never_reach_the_log(client, db, caplog, path, route):
    token = "Tok3n-never-logged-a9f2c7e1b4d8"
    caplog.set_level(logging.INFO)
    client.get(path.format(token=token) + "?next=" + token)
    formatted = [JsonFormatter().format(r) for r in caplog.records] + [
        TextFormatter().format(r) for r in caplog.records
    ]
    assert formatted, "nothing was logged"
    assert not [line for line in formatted if token in line]
    assert request_lines(caplog)[0]["route"] == route


def test_djangos_not_found_warning_names_the_route_not_the_path(client, db, caplog):
    caplog.set_level(logging.WARNING, logger="django.request")
    response = client.get("/s/Tok3n-never-logged-a9f2c7e1b4d8/")
    [warning] = [line for line in lines(caplog) if line["logger"] == "django.request"]
    assert warning["message"] == "Not Found: reports:shared"
    # Django writes it after the middleware returned: the id comes from the request itself.
    assert warning["request_id"] == response["X-Request-ID"]


def test_a_500_shows_its_request_id_and_the_traceback_is_logged_with_it(alice, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    caplog.set_level(logging.INFO)
    with mock.patch("rehab.selectors.today_page", side_effect=RuntimeError("a bug")):
        response = client.get("/rehab/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    html = response.content.decode()
    assert f"<code>{request_id}</code>" in html
    assert "Traceback" not in html and "a bug" not in html
    [error] = [line for line in lines(caplog) if line["logger"] == "django.request"]
    assert error["request_id"] == request_id and error["level"] == "ERROR"
    assert "RuntimeError: a bug" in error["exc"]
    [line] = request_lines(caplog)
    assert (line["route"], line["status"], line["request_id"]) == ("rehab:today", 500, request_id)


def test_development_logs_are_one_readable_line_with_the_same_fields():
    record = logging.LogRecord("itbcare.request", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"method": "GET", "route": "home", "status": 200, "duration_ms": 1.5}
    record.request_id = "abc123"
    assert TextFormatter().format(record) == (
        "INFO itbcare.request [abc123] request method=GET route=home status=200 duration_ms=1.5"
    )
