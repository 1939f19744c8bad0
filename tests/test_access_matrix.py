"""Every URL of the project × {anonymous, owner, another user} × {GET, POST}.

The list of URLs comes from the URL configuration itself: a new URL without a rule here makes
`test_every_url_has_a_rule` fail, so nobody can add a page without deciding who may see it.

Codes: 200 page, 302 redirect (to log in when "login"), 404 not found (someone else's or no
plan), 405 method not allowed. The owner (Alice) has a plan and a screen; Bob has neither.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.support import LOGIN, _cases, _fake, _names, rules


def test_every_url_has_a_rule(db):
    configured = _names()
    covered = set(rules(_fake()))
    assert configured - covered == set(), "URLs without an access rule"
    assert covered - configured == set(), "rules for URLs that no longer exist"


@pytest.mark.parametrize("name, persona, method", list(_cases()))
def test_access(world, name, persona, method):
    kwargs, expected_by_persona = rules(world)[name]
    expected = expected_by_persona[persona][0 if method == "GET" else 1]
    url = f"/{settings.ADMIN_URL}" if name == "admin:*" else reverse(name, kwargs=kwargs)
    client = world[persona]
    response = client.get(url) if method == "GET" else client.post(url, {})
    if expected == LOGIN:
        assert response.status_code == 302, f"{method} {url} as {persona}: {response.status_code}"
        assert response["Location"].startswith(reverse("login") + "?next="), response["Location"]
    else:
        assert response.status_code == expected, f"{method} {url} as {persona}: {response.status_code}"


#: The calendar's ends and the site's window's edges (`kit.dates`): outside the window a date URL
#: is a 404 for everyone before any date arithmetic (these were 500s once); the timeline's month
#: falls back to the default window.
EXTREME_DAYS = ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"]


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("persona", ["owner", "other"])
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", ["rehab:log", "rehab:exercise_done"])
def test_extreme_dates_in_urls(world, name, persona, method, day):
    kwargs = {"day": day, **({"slug": "clamshell"} if name == "rehab:exercise_done" else {})}
    url = reverse(name, kwargs=kwargs)
    client = world[persona]
    response = client.get(url) if method == "GET" else client.post(url, {"done": "1", "pain_worst": "3"})
    assert response.status_code == 404, f"{method} {url} as {persona}: {response.status_code}"


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1899-12", "2200-01", "2199-12", "1900-01"])
@pytest.mark.parametrize("persona", ["owner", "other"])
def test_extreme_timeline_months(world, persona, month):
    response = world[persona].get(reverse("rehab:timeline"), {"month": month})
    assert response.status_code == (200 if persona == "owner" else 404), (month, response.status_code)
