from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import ShareLink, hash_token


@transaction.atomic
def create_share_link(*, plan, days: int, include_notes: bool) -> tuple[ShareLink, str]:
    """A new link; returns it with the token, which is never stored (only its SHA-256)."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    link = ShareLink.objects.create(
        plan=plan,
        token_hash=hash_token(token),
        created_at=now,
        expires_at=now + timedelta(days=days),
        include_notes=include_notes,
    )
    return link, token


def revoke(*, link: ShareLink) -> None:
    ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def open_link(*, token: str) -> ShareLink | None:
    """The active link for `token`, counting the view atomically; None if unknown, expired or revoked."""
    now = timezone.now()
    active = ShareLink.objects.filter(token_hash=hash_token(token), revoked_at__isnull=True, expires_at__gt=now)
    if not active.update(views=F("views") + 1, last_viewed_at=now):
        return None
    return active.select_related("plan__user").first()
