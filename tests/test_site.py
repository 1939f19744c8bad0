"""Site-wide pages and headers: home, privacy, health checks, errors, security headers."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

EMERGENCY_LINE = "Badly hurt or very unwell?"


@pytest.mark.parametrize("url", ["/", "/privacy/", "/screening/", "/accounts/login/", "/accounts/signup/"])
def test_every_page_shows_the_emergency_line_with_a_call_link(client, db, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert response.status_code == 200
    html = response.content.decode()
    assert EMERGENCY_LINE in html
    assert '<a href="tel:999">Call 999</a>' in html  # one tap, with the British number


def test_the_emergency_line_falls_back_to_112_with_a_note(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="tel:112">Call 112</a>' in html
    assert "112 works from mobile phones in most countries." in html


def test_a_signed_in_persons_country_sets_the_emergency_line(alice_client, alice):
    alice.country = "US"
    alice.save()
    assert (
        '<a href="tel:911">Call 911</a>' in alice_client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en-GB").content.decode()
    )


def test_home_says_what_it_is_not_and_leads_to_the_knee_check(client, db):
    html = client.get("/").content.decode()
    assert "not a diagnosis" in html
    assert 'href="/screening/"' in html
    assert "Start the knee check" in html


def test_healthz_answers_without_the_database(client):
    # No `db` fixture: pytest-django raises if the view touches the database at all.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readyz_checks_the_database(client, db):
    assert client.get("/readyz").status_code == 200


def test_readyz_says_503_when_the_database_is_down(client, db):
    with mock.patch("itbcare.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503


def test_a_database_outage_gives_a_friendly_503_page_not_a_traceback(alice, db):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with mock.patch("rehab.selectors.today_page", side_effect=OperationalError("connection refused")):
        response = client.get("/rehab/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "back in a moment" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert response["Retry-After"] == "10"


def test_unknown_pages_get_a_friendly_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "can't find that page" in response.content.decode()


def test_responses_carry_the_security_headers(client, db):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_load_no_third_party_assets(client, db):
    html = client.get("/").content.decode()
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_htmx_is_served_from_our_own_static_files(client, db):
    html = client.get("/").content.decode()
    assert '<script src="/static/django_htmx/htmx-2' in html


def test_a_session_that_cannot_be_saved_during_an_outage_gives_503_not_400(alice, db):
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", side_effect=_update_error_from_outage):
        response = client.post("/screening/", {"age": "34", "activity": "running"})
    assert response.status_code == 503
    assert "back in a moment" in response.content.decode()


def _update_error_from_outage(*args, **kwargs):
    from django.contrib.sessions.backends.base import UpdateError

    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        raise UpdateError  # noqa: B904 - as Django's session store does, inside the except block


def test_a_real_bad_request_is_still_400(rf):
    from django.core.exceptions import SuspiciousOperation

    from itbcare.views import bad_request

    assert bad_request(rf.get("/"), SuspiciousOperation("bad host")).status_code == 400
