from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from .rules import Outcome


class ScreeningQuerySet(models.QuerySet):
    def for_user(self, user) -> ScreeningQuerySet:
        """The person's own screens, newest first (history page, export)."""
        return self.filter(user=user).order_by("-taken_at")

    def visible_to(self, user, owned_ids) -> ScreeningQuerySet:
        """Screens this person may see: their own when logged in, else this browser's anonymous ones."""
        if user is not None and user.is_authenticated:
            return self.filter(user=user)
        return self.filter(pk__in=[str(pk) for pk in owned_ids or ()], user__isnull=True)


class Screening(models.Model):
    """One completed red-flag screen: the answers as given and the triage they led to.

    Anonymous screens are tied to the browser's session and attached to the account when the
    person signs up or logs in. The id is random, so it reveals nothing about other screens.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="screenings"
    )
    #: `screening.rules.VERSION` at the time: the rules that produced this outcome.
    version = models.CharField(max_length=20)
    #: Question id → answer, exactly as the person gave them (only the questions shown).
    answers = models.JSONField(default=dict)
    outcome = models.CharField(max_length=20, choices=Outcome.choices())
    #: The ids that decided the outcome, in question order.
    reasons = models.JSONField(default=list)
    taken_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at"]
        indexes = [models.Index(fields=["user", "-taken_at"], name="screening_user_taken")]

    def __str__(self) -> str:
        return f"{self.outcome} at {self.taken_at:%Y-%m-%d %H:%M}"

    @property
    def result(self) -> Outcome:
        """The outcome with its heading, next step and whether a plan may start."""
        return Outcome(self.outcome)
