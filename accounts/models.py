from __future__ import annotations

from datetime import time

from django.conf import settings
from django.contrib.auth.models import AbstractUser
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

    class Meta:
        db_table = "accounts_user"

    @property
    def effective_country(self) -> str:
        """The chosen country, else the country of the time zone ("" when it has none)."""
        from screening.emergency_numbers import country_for_zone

        return self.country or country_for_zone(self.time_zone)
