"""Headers every response leaves with: no caching of anything personal, and the security headers
even on responses that skipped the middleware that usually sets them.

- `NoStoreMiddleware`: `Cache-Control: no-store` and `Vary: Cookie` on every response by default:
  signed-in pages, exports, reports, the PDF, token pages (share links, calendar feed, reminder
  confirmation and unsubscribe), forms, error pages. Only the pages in `PUBLIC_PAGES`, asked for
  by a browser without a session cookie, keep the caching their view chose (none today): they say
  nothing about anybody (an error there is no-store too). Static files keep WhiteNoise's long-lived caching (hashed names).
- `SecurityHeadersMiddleware` (first in MIDDLEWARE, so it sees every response, including errors
  raised inside SecurityMiddleware, such as a 400 for a bad Host header): sets the site's CSP,
  nosniff, frame denial, Referrer-Policy, Cross-Origin-Opener-Policy and Permissions-Policy
  wherever they are missing.
- `static_file_headers` (WHITENOISE_ADD_HEADERS_FUNCTION): static files get nosniff, a CSP that
  lets nothing run (it matters when a file such as an SVG is opened as a page of its own), frame
  denial and `Cross-Origin-Resource-Policy: same-origin`. WhiteNoise computes them once per file.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

#: URL names (namespace:name) whose pages say nothing about anybody and may be cached when the
#: browser has no session. Everything else is `no-store`. Add a page here only if it shows the same
#: thing to every visitor without a session.
PUBLIC_PAGES = frozenset({"home", "privacy"})

#: Opened as a document (an SVG, a text file), a static file may show images and styles of this
#: site and nothing else; no script, no form, no frame.
STATIC_CSP = (
    "default-src 'none'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
)


def static_file_headers(headers, path: str, url: str) -> None:
    """WHITENOISE_ADD_HEADERS_FUNCTION: called once per static file when WhiteNoise starts."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = STATIC_CSP
    headers["X-Frame-Options"] = "DENY"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    headers["Permissions-Policy"] = settings.PERMISSIONS_POLICY


def _is_static_file(response: HttpResponse) -> bool:
    from whitenoise.middleware import WhiteNoiseFileResponse

    return isinstance(response, WhiteNoiseFileResponse)


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if _is_static_file(response):
            return response
        patch_vary_headers(response, ("Cookie",))
        match = getattr(request, "resolver_match", None)
        if (
            response.status_code == 200
            and match is not None
            and match.view_name in PUBLIC_PAGES
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return response
        response["Cache-Control"] = "no-store"
        return response


@cache
def _site_csp() -> str:
    from csp.utils import build_policy

    return build_policy()


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        headers = response.headers
        headers.setdefault("Content-Security-Policy", _site_csp())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        headers.setdefault("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
        headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
