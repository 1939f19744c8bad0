"""An import job: the uploaded files (kept only until they are read), the worker's progress,
and what it found, waiting for the person to confirm. One person's, never anyone else's."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued"  # uploaded, waiting for a worker
        READING = "reading"  # a worker has it (see `claim_token`, `heartbeat_at`)
        READY = "ready"  # read: the preview waits for the person
        DONE = "done"  # confirmed: entries written
        FAILED = "failed"  # the worker gave up (`error`); nothing was written

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Set by each claim: a worker that lost its job (presumed dead, claimed again) can't save.
    claim_token = models.UUIDField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    #: The pipeline's outcome: {"activities": [...], "problems": [...], "ignored": n}.
    result = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    #: After confirming: {"written": n, "skipped": {code: n}}.
    summary = models.JSONField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "created_at"], name="importjob_queue")]
        constraints = [
            # One import being read per person at a time (a second upload waits for the first).
            models.UniqueConstraint(
                fields=["user"], condition=Q(state__in=["queued", "reading"]), name="one_running_import_per_user"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "reading", "ready", "done", "failed"]), name="importjob_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress_done__lte=models.F("progress_total")), name="importjob_progress_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.state})"

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.READING)

    @property
    def percent(self) -> int:
        return 0 if not self.progress_total else (100 * self.progress_done) // self.progress_total


class ImportUpload(models.Model):
    """One uploaded file's bytes, in the database so that a worker on any machine can read it;
    deleted as soon as the job is read (or fails)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="uploads")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=255)
    data = models.BinaryField()

    class Meta:
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "position"], name="one_upload_per_job_position")]

    def __str__(self) -> str:
        return self.name
