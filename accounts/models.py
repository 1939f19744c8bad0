from __future__ import annotations

from datetime import time

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person using ITB Care. Everything they enter belongs to exactly one user."""

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=settings.TIME_ZONE,
        help_text=_("Used for “today” and every date the app shows."),
    )
    #: ISO 3166-1 alpha-2; empty means "the country of my time zone" (for the emergency number).
    country = models.CharField(
        _("country"),
        max_length=2,
        blank=True,
        help_text=_("Sets the emergency number we show. Leave it empty to use your time zone's country."),
    )
    #: The language of the pages, emails and calendar feed ("" = the browser's language; emails
    #: and the feed then use LANGUAGE_CODE). Set at sign-up from the language the person was using.
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,  # no `choices`: adding a language must not need a migration (forms check it)
        help_text=_("The language of these pages, your reminder emails and your calendar."),
    )
    #: The version of the privacy text the person agreed to when they consented to storing
    #: health data, and when. Empty only for staff accounts made on the command line.
    health_consent_version = models.CharField(max_length=20, blank=True)
    health_consent_at = models.DateTimeField(null=True, blank=True)
    #: Email reminders (`reminders`): off until the person turns them on and confirms the address.
    #: Kept on the user row, which every signed-in request loads anyway.
    reminders_by_email = models.BooleanField(default=False)
    remind_at = models.TimeField(default=time(20, 0))
    reminder_email = models.EmailField(blank=True)
    reminder_email_confirmed_at = models.DateTimeField(null=True, blank=True)
    #: An address the person asked reminders to go to and has not confirmed yet (reminders keep
    #: going to `reminder_email` until they do), and the SHA-256 of the one-time nonce inside the
    #: confirmation link mailed to it (`reminders.services`). A newer request replaces both, so an
    #: older link stops working; confirming empties both, so a link works once.
    pending_reminder_email = models.EmailField(blank=True)
    reminder_confirm_hash = models.CharField(max_length=64, blank=True, db_index=True)
    #: How the clinician report names the person (a name or initials); optional, empty by default.
    report_name = models.CharField(
        _("name on your reports"),
        max_length=60,
        blank=True,
        help_text=_("Optional. Your name or initials, shown at the top of the report you give a clinician."),
    )

    class Meta:
        db_table = "accounts_user"

    @property
    def mail_language(self) -> str:
        """The language of what is sent to the person (emails, the calendar feed)."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def effective_country(self) -> str:
        """The chosen country, else the country of the time zone ("" when it has none)."""
        from screening.emergency_numbers import country_for_zone

        return self.country or country_for_zone(self.time_zone)


class Session(AbstractBaseSession):
    """A browser session (`accounts.sessions.SessionStore`): Django's database session with the
    signed-in person's id in a column of its own, so that every session of one person can be
    found and ended in one indexed query (sign out everywhere, account deletion, a new password).

    No database constraint on `user`: a session saved by another of the person's browsers in the
    moment their account is deleted must not fail; `manage.py purge` removes such orphans. The ORM
    still deletes a person's sessions with the person (CASCADE)."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore


class Throttle(models.Model):
    """A counter of recent events for one (scope, key): failed passwords per account, per client
    and per address (`accounts.throttle`), mails per account and per address
    (`accounts.mail_limits`). Shared by every worker and machine; changed only by single atomic
    UPDATEs (`accounts.throttle.bump`), so concurrent requests never lose a count.

    `key` and `account` are keyed hashes (HMAC-SHA256 with SECRET_KEY) of the username, address or
    email they stand for: the table holds no username, IP address or email in plain text."""

    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    #: The account the row is about (its hash), for deleting an account's rows; empty for rows about
    #: an address alone.
    account = models.CharField(max_length=64, blank=True, db_index=True)
    hits = models.PositiveIntegerField(default=0)
    #: When the current window began (its first hit) and the latest hit.
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()
    #: After this the row says nothing any more: `manage.py purge` deletes it.
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="accounts_throttle_scope_key")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key[:8]}: {self.hits}"
