"""One JSON line per request, and request ids.

Every request gets an id: the one nginx sends in `X-Request-ID` (believed only from a
peer in `TRUSTED_PROXIES`, and only when it looks like an id), otherwise a new random one. The id is
returned in the `X-Request-ID` response header, shown on the 500 page and written with every log
line of that request, so a person's "reference" on the error page finds the traceback.

The request line holds the method, the route's *name* (`rehab:log`, `reports:shared`), the
status, the duration and the id: never the path or the query string, which can hold a share,
calendar, confirmation or password-reset token, and never anything from the body. Django's own
warnings and errors name the path ("Not Found: /s/<token>/"); `JsonFormatter` writes the route's
name there instead.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from kit.proxies import from_trusted_proxy

HEADER = "X-Request-ID"
#: nginx's `$request_id` is 32 hex digits; other proxies use UUIDs. Anything else (too long, or
#: with characters that could forge a log line) is replaced by a new id.
_VALID_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,99}")

#: The id of the request this thread (or task) is serving, for log lines written during it.
current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

logger = logging.getLogger("itbcare.request")


def request_id_from(request: HttpRequest) -> str:
    """The proxy's id when it is trusted and well formed, else a new one."""
    if from_trusted_proxy(request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if _VALID_ID.fullmatch(given):
            return given
    return uuid.uuid4().hex


def route_name(request: HttpRequest) -> str | None:
    """The URL pattern's name (`namespace:name`), never the path: paths can carry tokens."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return None


class RequestLogMiddleware:
    """First in the chain: sets the request id, times everything below it, writes the line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        began = time.perf_counter()
        request_id = request.request_id = request_id_from(request)
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            logger.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "route": route_name(request),
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - began) * 1000, 1),
                    }
                },
            )
            return response
        finally:
            current_request_id.reset(token)


def _request_id(record: logging.LogRecord) -> str | None:
    """The id of the request the record is about: Django logs a 4xx/5xx answer (with the request
    attached) after the middleware has returned, so the request object is asked first."""
    return (
        getattr(record, "request_id", None)
        or getattr(getattr(record, "request", None), "request_id", None)
        or current_request_id.get()
    )


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None) on every record, for the text format too."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id(record)
        return True


def _message(record: logging.LogRecord) -> str:
    """The record's message, with the request's path replaced by its route's name."""
    request = getattr(record, "request", None)
    if isinstance(request, HttpRequest) and isinstance(record.args, tuple):
        route = route_name(request) or "-"
        args = tuple(route if arg in (request.path, request.path_info, request.get_full_path()) else arg
                     for arg in record.args)  # fmt: skip
        try:
            return str(record.msg) % args if args else str(record.msg)
        except (TypeError, ValueError):
            return str(record.msg)
    return record.getMessage()


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, the record's
    `fields` (the request line's), and a traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": _message(record),
            "request_id": _request_id(record),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exc"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Development: `LEVEL logger [request id] message key=value ...`, paths replaced as above."""

    def format(self, record: logging.LogRecord) -> str:
        fields = " ".join(f"{k}={v}" for k, v in getattr(record, "fields", {}).items())
        request_id = _request_id(record) or "-"
        text = f"{record.levelname} {record.name} [{request_id}] {_message(record)}" + (f" {fields}" if fields else "")
        if record.exc_info:
            text += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return text
