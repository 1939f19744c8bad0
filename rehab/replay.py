"""Writes sent from a phone's offline queue (static/js/offline.js): how they are recognised, read
and answered. The saving itself is `services.log_replay` / `services.tick_replay`.

A queued write is the form as the person filled it in, plus `write_key` (a UUID the phone made),
`saved_at` (when it was saved on the phone) and `sent_at` (when it is sent), both in milliseconds
on the phone's clock, and `account` (the person it was saved for, kit/offline.py), with the
header `X-Offline-Replay: 1`. An entry saved for somebody else than the session's person (a page
left open while another person signed in) is refused with 403 and stays on the phone. Their difference is how long the
entry waited, so a phone whose clock is wrong still dates it right on the server's clock.

The answer is JSON: `outcome` is `applied` (200), `conflict` (409: the day was changed later on
another device; nothing written), `invalid` (422: the answers no longer pass the form) or
`refused` (422: the day can't be logged). All but `applied` carry `html`, a notice the queue
shows until the person acts on it; none is ever dropped without the person seeing it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from django.http import HttpRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.offline import account_key

from .forms import RED_FLAG_CHOICES, YES_NO, LogForm
from .models import Swelling, WriteKey
from .services import OfflineWrite

HEADER = "X-Offline-Replay"
#: The queue's own fields, never part of the entry.
OWN_FIELDS = frozenset({"csrfmiddlewaretoken", "write_key", "saved_at", "sent_at", "account"})
#: An entry older than this on arrival is dated this old (a phone left in a drawer for months).
MAX_AGE = timedelta(days=400)
STATUS = {WriteKey.Outcome.APPLIED: 200, WriteKey.Outcome.CONFLICT: 409}


def is_replay(request: HttpRequest) -> bool:
    return request.method == "POST" and request.headers.get(HEADER) == "1"


def not_theirs(request: HttpRequest) -> JsonResponse | None:
    """403 if the entry was saved for another person than the one signed in (it is kept on the
    phone for its own person), else None."""
    if request.POST.get("account") == account_key(request.user):
        return None
    return JsonResponse({"outcome": "other_account"}, status=403)


def parse(request: HttpRequest) -> OfflineWrite:
    """The queued write's key, its moment on the server's clock and its fields; ValueError if
    any of the queue's own fields is missing or malformed."""
    post = request.POST
    key = uuid.UUID(post.get("write_key", ""))
    saved_at, sent_at = int(post.get("saved_at", "")), int(post.get("sent_at", ""))
    waited = timedelta(milliseconds=min(max(sent_at - saved_at, 0), MAX_AGE / timedelta(milliseconds=1)))
    fields = tuple((name, value) for name, values in post.lists() if name not in OWN_FIELDS for value in values)
    return OfflineWrite(key=key, made_at=timezone.now() - waited, fields=fields)


def answer(request: HttpRequest, written: WriteKey) -> JsonResponse:
    """What a write is told, the first time and every time it is sent again."""
    data = dict(written.answer)
    if written.outcome == WriteKey.Outcome.CONFLICT:
        day = date.fromisoformat(data["day"])
        context = {
            "key": str(written.key),
            "day": day,
            "changed_at": datetime.fromisoformat(data["changed_at"]),
            "offline": _described(data["offline"]),
            "server": _described(data["server"]),
            "fields": data["fields"],
            "log_url": reverse("rehab:log", args=[day]),
        }
        data["html"] = render_to_string("rehab/partials/offline_conflict.html", context, request=request)
    return JsonResponse(data, status=STATUS[written.outcome])


def invalid(request: HttpRequest, day: date, write: OfflineWrite, form) -> JsonResponse:
    """The answers no longer pass the log form (the plan moved on while the phone was offline):
    nothing saved; the notice opens the day's log page with them, the errors by the fields."""
    context = {
        "key": str(write.key),
        "day": day,
        "offline": _described(
            {
                name: form.data.getlist(name) if name == "new_symptoms" else form.data.get(name)
                for name in LogForm.base_fields
            }
        ),
        "fields": write.fields,
        "log_url": reverse("rehab:log", args=[day]),
    }
    html = render_to_string("rehab/partials/offline_invalid.html", context, request=request)
    return JsonResponse({"outcome": "invalid", "day": day.isoformat(), "html": html}, status=422)


def refused(request: HttpRequest, message: str, key: str = "") -> JsonResponse:
    """The write can't be applied at all (a day before the plan, no plan, an exercise not in it)."""
    html = render_to_string("rehab/partials/offline_refused.html", {"message": message, "key": key}, request=request)
    return JsonResponse({"outcome": "refused", "message": message, "html": html}, status=422)


def _described(values: dict) -> list[tuple[str, str]]:
    """A log's answers as (question, answer) pairs in the form's order, unanswered ones left out."""
    words = {
        **dict(YES_NO),
        **{True: _("Yes"), False: _("No")},
        **dict(Swelling.choices),
    }
    flags = dict(RED_FLAG_CHOICES)
    pairs = []
    for name, field in LogForm.base_fields.items():
        value = values.get(name)
        if value in (None, "", []):
            continue
        if name.startswith("pain_"):
            shown = _("%(pain)s out of 10") % {"pain": value}
        elif name == "new_symptoms":
            shown = ", ".join(str(flags.get(flag, flag)) for flag in (value if isinstance(value, list) else [value]))
        elif name == "cross_training_minutes":
            shown = _("%(minutes)s minutes") % {"minutes": value}
        else:
            shown = str(words.get(value, value))
        pairs.append((str(field.label), shown))
    return pairs
