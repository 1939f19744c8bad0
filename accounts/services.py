from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import throttle
from .models import Session, Throttle, User


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete a person and everything they entered: screens, plans, logs, checks, completions.

    Their rows go by cascade from the user; every session of theirs (each browser they are
    signed in on, with whatever it held) and the throttle's rows about the account go too.
    """
    end_sessions(user=user)
    throttle.forget_account(user.get_username())
    user.delete()


def end_sessions(*, user: User, keep: str | None = None) -> int:
    """End every session of `user` (but `keep`, a session key); returns how many ended. Each
    of those browsers is signed out on its next request."""
    sessions = Session.objects.filter(user=user)
    if keep:
        sessions = sessions.exclude(session_key=keep)
    deleted, _by_model = sessions.delete()
    return deleted


def other_sessions(*, user: User, current: str | None) -> int:
    """How many live sessions `user` has besides `current`."""
    return Session.objects.filter(user=user, expire_date__gt=timezone.now()).exclude(session_key=current or "").count()


PURGE_BATCH = 2000


def delete_in_batches(queryset, *, batch: int | None = None) -> int:
    """Delete what `queryset` selects a batch at a time (short transactions, no long locks on a
    big table); returns how many rows went. Safe while another machine does the same: a row the
    other one deleted first is simply not there any more."""
    batch = batch or PURGE_BATCH
    model = queryset.model
    total = 0
    while True:
        keys = list(queryset.order_by("pk").values_list("pk", flat=True)[:batch])
        if not keys:
            return total
        deleted, _by_model = model.objects.filter(pk__in=keys).delete()
        total += deleted
        if len(keys) < batch:
            return total


def purge(*, now) -> dict[str, int]:
    """Expired sessions (with the half-finished knee checks they held), sessions whose person no
    longer exists, and throttle rows past their time."""
    orphans = Session.objects.filter(user__isnull=False).filter(~Exists(User.objects.filter(pk=OuterRef("user_id"))))
    return {
        "expired sessions": delete_in_batches(Session.objects.filter(expire_date__lt=now)),
        "sessions of deleted accounts": delete_in_batches(orphans),
        "throttle rows": delete_in_batches(Throttle.objects.filter(expires_at__lt=now)),
    }
