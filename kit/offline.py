"""Which pages a phone may keep a copy of for offline reading, and whose copy it is.

The service worker (templates/pwa/sw.js) keeps a copy of a page only if its response carries
`X-Offline-Copy`, whose value names the signed-in person without saying who it is (an HMAC of
the account's id with the site's secret). It serves a copy only while the browser is signed in
as that same person, and drops all copies when another person (or nobody) is seen. Pages that
carry it: today's page, the plan page and the exercise pages (`@offline_copy`); never a POST's
answer, an htmx fragment, an export, a report or a shared page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

HEADER = "X-Offline-Copy"


def account_key(user) -> str:
    """The person's key on this device: the offline queue and the page copies are filed under it."""
    return salted_hmac("itbcare.offline.account", str(user.pk)).hexdigest()[:32]


def offline_copy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a page's full answer (a GET, 200, signed in, not an htmx fragment) as one a phone may
    keep a copy of."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if (
            request.method == "GET"
            and response.status_code == 200
            and request.user.is_authenticated
            and not request.headers.get("HX-Request")
        ):
            response[HEADER] = account_key(request.user)
        return response

    return wrapped
