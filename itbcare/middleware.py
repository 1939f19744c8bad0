"""Project-wide middleware: the person's own time zone, and headers Django does not set itself."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

#: Health checks must answer without the database, even when a browser sends a session cookie.
NO_USER_PATHS = frozenset({"/healthz", "/readyz"})


class UserTimezoneMiddleware:
    """Activate the signed-in person's time zone so "today" and every shown time are theirs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in NO_USER_PATHS:
            return self.get_response(request)
        user = getattr(request, "user", None)
        tzname = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        if tzname:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tzname))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class UserLanguageMiddleware:
    """The signed-in person's language (account settings) over the browser's: LocaleMiddleware,
    earlier, has already picked the language cookie or Accept-Language; a chosen account language
    wins. Anonymous people keep LocaleMiddleware's choice. URLs never change."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in NO_USER_PATHS:
            user = getattr(request, "user", None)
            language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
            if language and translation.check_for_language(language):
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Add Permissions-Policy: ITB Care needs no camera, microphone, location or payment API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
