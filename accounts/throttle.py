"""Password guessing throttle: slows guessers down without letting anyone lock a person out.

Every password check (signing in, and the password asked again to delete the account or change
the password) goes through here. Failed checks are counted in three kinds of bucket, rows of
`accounts.Throttle` shared by every worker and machine:

- **client**: one account from one client. The client is the browser's *device cookie* if it
  has one for that account (see below), otherwise the client's address. After
  `LOGIN_FAILURE_LIMIT` (5) failures that client waits 1 minute, then 2, 4, 8, up to
  `LOGIN_MAX_WAIT` (15 minutes) after each further failure. Nobody else is affected.
- **address**: every account, from one address (an IPv6 /64 counts as one address). After
  `LOGIN_ADDRESS_FAILURE_LIMIT` (10) failures the address waits 1 second, then 2, 4, ... up to 15
  minutes: guessing a few passwords across many usernames from one place is slowed to a few
  guesses an hour, while a household that mistypes a few passwords never notices.
- **account**: one account, from every client without a device cookie for it. After
  `LOGIN_ACCOUNT_FAILURE_LIMIT` (20) failures such clients wait 1 second, then 2, 4, ... up to 15
  minutes: this is what slows guessing spread over many addresses. One address cannot get
  there alone (its own client bucket makes it wait after 5), so no single address can make an
  account wait for everyone else.

**Device cookies** (OWASP's "device cookies" for lock-outs): after a successful sign-in the
browser gets a signed cookie naming the account (a keyed hash) and a random device id. A browser
that signs in to that account with its cookie is judged by its own counter only: neither the
address nor the account bucket applies to it, and its failures count only against itself. So
while somebody hammers an account from elsewhere, its owner still signs in from a browser they
have used before. The cookie is not a credential (the password is still checked); stealing it
gives a guesser one more client bucket, nothing more.

While a client must wait, its password is not checked at all (the answer is the same whatever
it typed) and the attempt is not counted, so retrying early never makes the wait longer. A
successful check empties that client's bucket; the address and account buckets only empty with
time: a count is forgotten an hour after the bucket's last failure. `manage.py purge` deletes
rows nobody needs any more.

The client address comes from `kit.proxies.client_address`, which believes
`X-Forwarded-For` only from `TRUSTED_PROXIES`. Usernames are compared case-insensitively here (a
guesser gains nothing from "Alice" versus "alice"), whether or not such an account exists, so a
refusal says nothing about which usernames exist.

Every `authenticate()` call that carries a request is covered (our sign-in page and the admin's)
by `ThrottleBackend`, first in AUTHENTICATION_BACKENDS, and the `user_login_failed` /
`user_logged_in` signals; the two signed-in forms call `check_password` here.
"""

from __future__ import annotations

import math
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from kit.proxies import address_group, client_address

from .models import Throttle

CLIENT = "login:client"
ADDRESS = "login:address"
ACCOUNT = "login:account"

DEVICE_SALT = "accounts.throttle.device"


@dataclass(frozen=True)
class Rule:
    """How long a bucket with `hits` failures makes the next attempt wait."""

    #: Failures before any wait.
    free: int
    #: The wait after the first failure beyond `free`, in seconds; it doubles with each one after.
    first_wait: float
    max_wait: float
    #: A bucket whose last failure is this old counts from zero again.
    forget_after: timedelta

    def wait(self, hits: int, last_at: datetime | None, now: datetime) -> int:
        """Whole seconds still to wait (0: go ahead)."""
        if last_at is None or hits < self.free:
            return 0
        since = (now - last_at).total_seconds()
        if since >= self.forget_after.total_seconds():
            return 0
        wait = min(self.max_wait, self.first_wait * 2 ** min(hits - self.free, 40))
        return max(0, math.ceil(wait - since))


def rules() -> dict[str, Rule]:
    max_wait = settings.LOGIN_MAX_WAIT
    forget = timedelta(seconds=max(3600, 2 * max_wait))
    return {
        CLIENT: Rule(settings.LOGIN_FAILURE_LIMIT, min(60, max_wait), max_wait, forget),
        ADDRESS: Rule(settings.LOGIN_ADDRESS_FAILURE_LIMIT, 1, max_wait, forget),
        ACCOUNT: Rule(settings.LOGIN_ACCOUNT_FAILURE_LIMIT, 1, max_wait, forget),
    }


# --- Keys ------------------------------------------------------------------------------------


def digest(scope: str, value: str) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY): rows never hold a username, address or email."""
    return salted_hmac(f"itbcare.throttle.{scope}", value, algorithm="sha256").hexdigest()


def account_key(username: str) -> str:
    return digest("account", unicodedata.normalize("NFKC", username or "").casefold())


# --- Counting (also used by accounts.mail_limits) --------------------------------------------


def bump(
    scope: str, key: str, *, now: datetime, window: timedelta, idle: bool, account: str = ""
) -> tuple[int, datetime]:
    """Count one hit in (scope, key) atomically; returns (hits, start of the window) after it.

    `idle=True`: the count starts again when the last hit is `window` old (a throttle that an
    ongoing attack keeps up); `idle=False`: fixed windows from the first hit ("3 an hour").
    A single UPDATE does the counting, so concurrent requests on any machine never lose a hit;
    the first hit inserts the row, and a concurrent first insert falls back to the UPDATE.
    """
    stale = Q(last_at__lt=now - window) if idle else Q(first_at__lt=now - window)
    at_now = Value(now, output_field=DateTimeField())
    changes = {
        "hits": Case(When(stale, then=Value(1)), default=F("hits") + 1),
        "first_at": Case(When(stale, then=at_now), default=F("first_at")),
        "last_at": at_now,
        "expires_at": (
            Value(now + window, output_field=DateTimeField())
            if idle
            else Case(When(stale, then=Value(now + window, output_field=DateTimeField())), default=F("expires_at"))
        ),
    }
    rows = Throttle.objects.filter(scope=scope, key=key)
    with transaction.atomic():
        if not rows.update(**changes):
            try:
                with transaction.atomic():
                    Throttle.objects.create(
                        scope=scope,
                        key=key,
                        account=account,
                        hits=1,
                        first_at=now,
                        last_at=now,
                        expires_at=now + window,
                    )
            except IntegrityError:
                rows.update(**changes)
        return rows.values_list("hits", "first_at").get()


# --- Device cookies --------------------------------------------------------------------------


def _device_id(request: HttpRequest, account: str) -> str | None:
    """The device id of this browser's cookie if it was given for this account, else None."""
    raw = request.COOKIES.get(settings.LOGIN_DEVICE_COOKIE_NAME)
    if not raw or len(raw) > 400:
        return None
    try:
        data = signing.loads(raw, salt=DEVICE_SALT, max_age=settings.LOGIN_DEVICE_COOKIE_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("a") != account[:32] or not isinstance(data.get("d"), str):
        return None
    return data["d"] or None


def remember_device(response: HttpResponse, user) -> None:
    """Give the browser that just signed in a device cookie for this account (a new device id,
    so its own counter starts empty)."""
    value = signing.dumps(
        {"a": account_key(user.get_username())[:32], "d": secrets.token_urlsafe(12)}, salt=DEVICE_SALT
    )
    response.set_cookie(
        settings.LOGIN_DEVICE_COOKIE_NAME,
        value,
        max_age=settings.LOGIN_DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_device(response: HttpResponse) -> None:
    response.delete_cookie(settings.LOGIN_DEVICE_COOKIE_NAME, samesite="Lax")


# --- Attempts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One password check for one account from one client: the buckets that judge it."""

    account: str
    trusted: bool
    buckets: tuple[tuple[str, str], ...]  # (scope, key)

    def wait(self, now: datetime | None = None) -> int:
        now = now or timezone.now()
        by_scope = rules()
        query = Q()
        for scope, key in self.buckets:
            query |= Q(scope=scope, key=key)
        rows = Throttle.objects.filter(query).values_list("scope", "hits", "last_at")
        return max((by_scope[scope].wait(hits, last_at, now) for scope, hits, last_at in rows), default=0)

    def failed(self, now: datetime | None = None) -> None:
        now = now or timezone.now()
        by_scope = rules()
        for scope, key in self.buckets:
            account = "" if scope == ADDRESS else self.account
            bump(scope, key, now=now, window=by_scope[scope].forget_after, idle=True, account=account)

    def succeeded(self) -> None:
        Throttle.objects.filter(scope=CLIENT, key=self.buckets[0][1]).delete()


def attempt(request: HttpRequest, username: str) -> Attempt:
    account = account_key(username)
    device = _device_id(request, account)
    if device is not None:
        return Attempt(account, True, ((CLIENT, digest(CLIENT, f"{account}|device|{device}")),))
    group = address_group(client_address(request))
    return Attempt(
        account,
        False,
        (
            (CLIENT, digest(CLIENT, f"{account}|address|{group}")),
            (ADDRESS, digest(ADDRESS, group)),
            (ACCOUNT, account),
        ),
    )


class Throttled(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


def check_password(request: HttpRequest, user, password: str) -> bool:
    """The signed-in person's password, checked under the same throttle as signing in: raises
    `Throttled` (without checking) while this client must wait; a wrong one counts as a failure."""
    this = attempt(request, user.get_username())
    wait = this.wait()
    if wait:
        raise Throttled(wait)
    if user.check_password(password):
        this.succeeded()
        return True
    this.failed()
    return False


def wait_message(wait: int) -> str:
    if wait < 60:
        return ngettext(
            "Too many attempts. For your safety, please wait %(count)d second and try again.",
            "Too many attempts. For your safety, please wait %(count)d seconds and try again.",
            wait,
        ) % {"count": wait}
    minutes = math.ceil(wait / 60)
    return ngettext(
        "Too many attempts. For your safety, please wait %(count)d minute and try again.",
        "Too many attempts. For your safety, please wait %(count)d minutes and try again.",
        minutes,
    ) % {"count": minutes}


def mark_throttled(response: HttpResponse, wait: int) -> HttpResponse:
    """429 Too Many Requests with Retry-After: the page itself (the form and the message) is the
    same a person sees, so it works without JavaScript."""
    response.status_code = 429
    response["Retry-After"] = str(wait)
    return response


# --- Signing in: the backend and the signals -------------------------------------------------


class ThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: refuses (PermissionDenied stops `authenticate()`) while
    the client must wait, before any backend checks the password. It never signs anyone in, so it
    has no `get_user` (Django's test client picks the first backend with one for force_login)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return None
        wait = attempt(request, username).wait()
        if wait:
            request.login_throttled = wait
            raise PermissionDenied
        return None


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = credentials.get("username")
    if request is None or username is None or getattr(request, "login_throttled", 0):
        return  # no client to judge, or refused without a check: nothing to count
    attempt(request, username).failed()


def on_logged_in(sender, request, user, **kwargs) -> None:
    if request is not None:
        attempt(request, user.get_username()).succeeded()


def forget_account(username: str) -> None:
    """Delete every row about this account (when the account is deleted)."""
    Throttle.objects.filter(account=account_key(username)).delete()
