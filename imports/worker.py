"""The import worker: claims a queued job, reads its files, stores what it found.

Safe on several machines at once. A claim is a compare-and-set (`UPDATE … WHERE state =
'queued'`): of two workers only one changes the row, on any database. On PostgreSQL the candidate
is first picked with `SELECT … FOR UPDATE SKIP LOCKED`, so busy workers don't queue behind each
other's locks. Every claim gets a new token, and the worker's writes name it: a worker that was
presumed dead (no heartbeat for `STALE_AFTER`) and whose job was handed to another can no longer
save anything. A job is tried `MAX_ATTEMPTS` times, then failed with a message.

Uploads are deleted as soon as their job is read or has failed; jobs (with their previews) are
deleted `KEEP_DAYS` after they were made.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import ImportJob, ImportUpload
from .pipeline import read_uploads

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=5)
MAX_ATTEMPTS = 3
KEEP_DAYS = 14
#: Progress is written at most this often (seconds), besides the last step.
PROGRESS_EVERY = 0.5

State = ImportJob.State


def claim() -> ImportJob | None:
    """The oldest queued job, now ours (state `reading`, a fresh claim token), or None."""
    requeue_stale()
    token = uuid.uuid4()
    claimed = None
    if connection.vendor == "postgresql":
        with transaction.atomic():
            candidate = (
                ImportJob.objects.select_for_update(skip_locked=True)
                .filter(state=State.QUEUED)
                .order_by("created_at")
                .values_list("pk", flat=True)
                .first()
            )
            if candidate is not None and _take(candidate, token):
                claimed = candidate
    else:
        for candidate in (
            ImportJob.objects.filter(state=State.QUEUED).order_by("created_at").values_list("pk", flat=True)[:5]
        ):
            if _take(candidate, token):
                claimed = candidate
                break
    return None if claimed is None else ImportJob.objects.get(pk=claimed)


def _take(pk, token) -> bool:
    return bool(
        ImportJob.objects.filter(pk=pk, state=State.QUEUED).update(
            state=State.READING, claim_token=token, heartbeat_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def requeue_stale() -> None:
    """Jobs whose worker stopped answering go back to the queue, or fail after the last try."""
    cutoff = timezone.now() - STALE_AFTER
    stale = ImportJob.objects.filter(state=State.READING, heartbeat_at__lt=cutoff)
    stale.filter(attempts__lt=MAX_ATTEMPTS).update(state=State.QUEUED, claim_token=None)
    failed = list(stale.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True))
    for pk in failed:
        _fail(pk, None, "gave_up")


def _fail(pk, token, error: str) -> None:
    with transaction.atomic():
        rows = ImportJob.objects.filter(pk=pk, state=State.READING)
        if token is not None:
            rows = rows.filter(claim_token=token)
        if rows.update(state=State.FAILED, error=error, finished_at=timezone.now()):
            ImportUpload.objects.filter(job_id=pk).delete()


def process(job: ImportJob) -> bool:
    """Read a claimed job's files and store the outcome; False if the job was lost meanwhile."""
    token = job.claim_token
    uploads = [(name, bytes(data)) for name, data in job.uploads.order_by("position").values_list("name", "data")]
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        ImportJob.objects.filter(pk=job.pk, claim_token=token, state=State.READING).update(
            progress_done=min(done, total), progress_total=total, heartbeat_at=timezone.now()
        )

    try:
        outcome = read_uploads(uploads, progress=progress)
    except Exception:
        log.exception("import job %s could not be read", job.pk)
        _fail(job.pk, token, "unexpected")
        return False
    finally:
        del uploads
    result = {"activities": outcome.activities, "problems": outcome.problems, "ignored": outcome.ignored}
    with transaction.atomic():
        saved = ImportJob.objects.filter(pk=job.pk, claim_token=token, state=State.READING).update(
            state=State.READY, result=result, finished_at=timezone.now(), progress_done=F("progress_total")
        )
        if saved:
            ImportUpload.objects.filter(job_id=job.pk).delete()
    return bool(saved)


def purge(now=None) -> int:
    """Delete jobs made more than `KEEP_DAYS` ago (their previews hold health data)."""
    now = now or timezone.now()
    return ImportJob.objects.filter(created_at__lt=now - timedelta(days=KEEP_DAYS)).delete()[0]


def run_once() -> int:
    """Process every queued job, one after another; the number processed."""
    count = 0
    while (job := claim()) is not None:
        process(job)
        count += 1
    return count
