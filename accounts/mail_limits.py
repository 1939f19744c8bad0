"""Rate limits for mails the site sends when somebody asks (password reset; later the reminder
address confirmation): per destination address and per account, in fixed windows.

`settings.MAIL_LIMITS` names each kind of mail and its limits:

    MAIL_LIMITS = {"password_reset": {"address": (3, 3600), "account": (5, 86400)}}

means at most 3 password-reset mails to one address an hour, and at most 5 to one account a
day. Every request counts against its address whether or not an account uses it, so a caller
can show the address limit as a plain message without telling anyone whether the address
belongs to an account; the account limit is for callers that may say so (a signed-in person),
or that skip the mail silently. Counts live in `accounts.Throttle` (atomic, shared by every
worker and machine; addresses and accounts stored as keyed hashes).

    refusal = mail_limits.count("password_reset", address=email)
    if refusal: ... show refusal.message() ...
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Throttle
from .throttle import account_key, bump, digest


@dataclass(frozen=True)
class Refusal:
    """A limit was reached: which one ("address" or "account") and the seconds until it lifts."""

    limit: str
    retry_after: int

    def message(self) -> str:
        minutes = max(1, math.ceil(self.retry_after / 60))
        if minutes >= 90:
            hours = math.ceil(minutes / 60)
            later = ngettext("in about %(count)d hour", "in about %(count)d hours", hours) % {"count": hours}
        else:
            later = ngettext("in %(count)d minute", "in %(count)d minutes", minutes) % {"count": minutes}
        if self.limit == "account":
            return _(
                "We have sent as many of these emails to your account as we will for now. You can ask again %(later)s."
            ) % {"later": later}
        return _(
            "We have sent as many emails to that address as we will for now. If one is on its way, "
            "it may take a few minutes (look in the spam folder too). You can ask again %(later)s."
        ) % {"later": later}


def _normal_address(email: str) -> str:
    return unicodedata.normalize("NFKC", email or "").strip().casefold()


def count(kind: str, *, address: str | None = None, user=None, now: datetime | None = None) -> Refusal | None:
    """Count one mail of `kind` to `address` and/or `user`'s account; a Refusal when this one is
    over a limit (then send nothing). Refused requests count too, so hammering never helps."""
    now = now or timezone.now()
    limits = settings.MAIL_LIMITS[kind]
    if len(f"mail:{kind}:address") > Throttle._meta.get_field("scope").max_length:
        raise ValueError(f"mail kind {kind!r} is too long a name")
    refusal: Refusal | None = None
    subjects = []
    if address is not None:
        subjects.append(("address", digest("mail-address", _normal_address(address)), ""))
    if user is not None:
        account = account_key(user.get_username())
        subjects.append(("account", digest("mail-account", f"{user.pk}"), account))
    for limit, key, account in subjects:
        most, seconds = limits[limit]
        window = timedelta(seconds=seconds)
        hits, first_at = bump(f"mail:{kind}:{limit}", key, now=now, window=window, idle=False, account=account)
        if hits > most and refusal is None:
            refusal = Refusal(limit, max(1, math.ceil((first_at + window - now).total_seconds())))
    return refusal
