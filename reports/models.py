"""Share links to the clinician report, and the random id the FHIR export names the person by."""

from __future__ import annotations

import hashlib
import uuid

from django.db import models
from django.utils import timezone

from rehab.models import Plan

SHARE_DAYS = (1, 7, 30)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLink(models.Model):
    """A read-only link to the report. Only the token's SHA-256 is stored; deleting the plan (or the
    account, which deletes the plan) deletes its links."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    include_notes = models.BooleanField(default=False)
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link until {self.expires_at:%Y-%m-%d}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class FhirIdentity(models.Model):
    """A random id per plan for the FHIR Patient: stable across exports, unrelated to the account."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="fhir_identity")
    fhir_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    def __str__(self) -> str:
        return str(self.fhir_id)
