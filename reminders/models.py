from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_token() -> str:
    """A link's secret: 256 bits from `secrets`, URL-safe (also named by migration 0001)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """What is stored of a link's secret: its SHA-256 (the secret itself is 256 random bits from
    `secrets`, so a plain hash is enough: nobody can guess one back from the table)."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A person's private calendar subscription link. Only the token's SHA-256 is stored: the link
    is shown once, when it is made; a new link replaces the old one, deleting the row stops it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar link of {self.user}"


class ReminderSent(models.Model):
    """One row per person and local day: the record that makes each reminder go out at most once.

    Written as "sending" (and committed) before the mail server is called, "sent" after it took
    the mail: a row left "sending" is a run that stopped in between; it is reported, never sent
    again. The row also holds the SHA-256 of that email's unsubscribe link."""

    SENDING = "sending"
    SENT = "sent"
    STATES = [(SENDING, "sending"), (SENT, "sent")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    state = models.CharField(max_length=8, choices=STATES)
    started_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: The unsubscribe link in this email (a new one in every email); emptied for all of the
    #: person's rows when one is used, so each works until the first use.
    unsubscribe_hash = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "date"], name="reminder_once_per_day")]

    def __str__(self) -> str:
        return f"Reminder to {self.user} on {self.date} ({self.state})"
