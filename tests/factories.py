"""Small factories with sensible defaults; override only what a test cares about."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from accounts.privacy import PRIVACY_VERSION

PASSWORD = "correct horse battery staple"


def make_user(username: str = "alice", **fields) -> User:
    fields.setdefault("time_zone", "UTC")
    fields.setdefault("health_consent_version", PRIVACY_VERSION)
    fields.setdefault("health_consent_at", timezone.now())
    return User.objects.create_user(username=username, password=PASSWORD, **fields)
