"""Site-wide pages: home, privacy, health checks and the error pages."""

from __future__ import annotations

import sys
from functools import cache

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    from accounts.privacy import PRIVACY_VERSION

    return render(request, "privacy.html", {"privacy_version": PRIVACY_VERSION})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers: answers without touching the database."""
    return HttpResponse("ok\n", content_type="text/plain")


@cache
def code_migrations() -> frozenset[tuple[str, str]]:
    """The newest migration of each app in this release's code, read from disk once per process
    (the code cannot change under a running process; a deploy starts new ones)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers, and every migration this code needs is applied (one
    query). A new release on a database not yet migrated says 503, so a load balancer keeps
    sending people to the old one; an old release on a newer database is ready."""
    table = connection.ops.quote_name(MigrationRecorder.Migration._meta.db_table)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT app, name FROM {table}")
            applied = set(cursor.fetchall())
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    missing = code_migrations() - applied
    if missing:
        return HttpResponse(f"{len(missing)} migration(s) not applied\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _emergency_call(request: HttpRequest | None) -> dict:
    """The emergency line of a plain error page: the browser language's region, else 112; from
    the request's headers alone (never the account: the database may be what failed)."""
    from screening import emergency_numbers

    header = request.headers.get("Accept-Language") if request is not None else None
    number = emergency_numbers.number_for(emergency_numbers.country_from_accept_language(header))
    return {
        "number": number or emergency_numbers.FALLBACK_NUMBER,
        "note": "" if number else emergency_numbers.FALLBACK_NOTE,
    }


def _render_plain(template: str, status: int, request: HttpRequest | None = None, **context) -> HttpResponse:
    # No request context: rendering must not touch the session, the user or the database.
    context["emergency_call"] = _emergency_call(request)
    response = HttpResponse(loader.get_template(template).render(context), status=status)
    if status == 503:
        response["Retry-After"] = "10"
    return response


def _caused_by_database(exc: BaseException | None) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DatabaseError):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """500 handler; a database outage becomes a friendly 503 that asks to try again shortly."""
    if _caused_by_database(sys.exc_info()[1]):
        return _render_plain("503.html", 503, request)
    # The request id finds this error's log lines (itbcare/requestlog.py).
    return _render_plain("500.html", 500, request, request_id=getattr(request, "request_id", ""))


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """400 handler. A session that could not be saved because the database is down arrives here
    (Django's SessionInterrupted); that is an outage, not a bad request: answer 503."""
    if _caused_by_database(exception):
        return _render_plain("503.html", 503, request)
    return _render_plain("400.html", 400, request)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _render_plain("403.html", 403, request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its (current) security token, most often from a page
    left open for long, or with cookies blocked. Says what to do instead of Django's technical page."""
    return _render_plain("403_csrf.html", 403, request)
