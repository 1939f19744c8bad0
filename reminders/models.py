from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_token() -> str:
    """A calendar link's secret: 256 bits from `secrets`, URL-safe."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar subscription link. A new link replaces the old one."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar link of {self.user}"


class ReminderSent(models.Model):
    """One row per person and local day: the record that makes each reminder go out once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="reminder_once_per_day")]

    def __str__(self) -> str:
        return f"Reminder to {self.user} on {self.date}"
