"""What every response says about caching and security (itbcare/headers.py).

- Every URL of the URL configuration (the access matrix's list: a new URL without a rule there
  fails that test), as anonymous, owner and another person, GET and POST: `no-store` and
  `Vary: Cookie`, except the public pages asked for without a session.
- Static files: their own security headers, and the long-lived cache kept.
- Error pages 400, 403 (forbidden, and an expired form), 404, 500 and 503, including a 400 made
  when a middleware itself refuses the request: the security headers, no-store, friendly words.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from itbcare.headers import PUBLIC_PAGES, STATIC_CSP
from tests.support import _cases, rules

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_security_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.get(name) == value, (name, response.get(name))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert "camera=()" in response["Permissions-Policy"]


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.get("Vary", "").split(",")}


# --- Caching, URL by URL ------------------------------------------------------------------------


@pytest.mark.parametrize("name, persona, method", list(_cases()))
def test_every_url_is_no_store_unless_a_public_page_without_a_session(world, name, persona, method):  # noqa: F811
    kwargs, _expected = rules(world)[name]
    url = f"/{settings.ADMIN_URL}" if name == "admin:*" else reverse(name, kwargs=kwargs)
    client = world[persona]
    response = client.get(url) if method == "GET" else client.post(url, {})
    assert "cookie" in vary(response), (method, url, persona, response.get("Vary"))
    public = name in PUBLIC_PAGES and persona == "anon" and method == "GET"  # a 405 is no-store too
    if public:
        assert "no-store" not in response.get("Cache-Control", ""), (method, url)
    else:
        assert response.get("Cache-Control") == "no-store", (method, url, persona, response.get("Cache-Control"))
    assert_security_headers(response)


def test_a_public_page_is_no_store_once_the_browser_has_a_session(alice_client, client, db):
    assert alice_client.get("/privacy/")["Cache-Control"] == "no-store"
    client.post("/screening/", {"age": "34", "activity": "running"})  # an anonymous session
    assert client.get("/privacy/")["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/rehab/export.json", "/rehab/export.csv", "/rehab/export.fhir.json"])
def test_downloads_are_no_store(alice_client, path):
    response = alice_client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


# --- Static files -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["css/site.css", "js/app.js", "img/favicon.svg"])
def test_static_files_carry_security_headers_and_keep_their_long_cache(client, name):
    response = client.get(static(name))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == STATIC_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "immutable" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]


def test_a_missing_static_file_is_a_404_page_with_the_headers(client, db):
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"
    assert_security_headers(response)


# --- Error pages --------------------------------------------------------------------------------


def bad_host_over_http(settings):
    """SecurityMiddleware itself refuses the Host while redirecting to HTTPS: a 400 made outside
    the middleware that usually adds the headers."""
    settings.SECURE_SSL_REDIRECT = True
    return Client().get("/", HTTP_HOST="evil.example")


def too_many_fields(settings):
    data = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    return Client().post("/accounts/login/", data)


def expired_form(settings):
    return Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})


def forbidden(settings):
    with mock.patch("itbcare.views.render", side_effect=PermissionDenied):
        return Client(raise_request_exception=False).get("/")


def not_found(settings):
    return Client().get("/no-such-page/")


def crash(settings):
    with mock.patch("itbcare.views.render", side_effect=RuntimeError("boom")):
        return Client(raise_request_exception=False).get("/")


def outage(settings):
    with mock.patch("itbcare.views.render", side_effect=OperationalError("connection refused")):
        return Client(raise_request_exception=False).get("/")


ERRORS = [
    (bad_host_over_http, 400, "We couldn't understand that request"),
    (too_many_fields, 400, "We couldn't understand that request"),
    (expired_form, 403, "That form had expired"),
    (forbidden, 403, "You can't open this page"),
    (not_found, 404, "We can't find that page"),
    (crash, 500, "Something went wrong on our side"),
    (outage, 503, "We'll be back in a moment"),
]


@pytest.mark.parametrize("make, status, words", ERRORS, ids=[e[0].__name__ for e in ERRORS])
def test_every_error_page_is_friendly_and_carries_the_headers(db, settings, make, status, words):
    response = make(settings)
    assert response.status_code == status
    html = response.content.decode()
    assert words in html
    assert "Traceback" not in html
    assert '<a href="tel:112">Call 112</a>' in html  # the emergency line, even here
    assert_security_headers(response)
    assert response["Cache-Control"] == "no-store"
    assert "cookie" in vary(response)
