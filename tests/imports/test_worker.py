"""The worker: one claim per job however many workers look, lost claims save nothing, stale jobs
go back to the queue (and fail after three tries), old jobs are purged."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from imports import worker
from imports.models import ImportJob, ImportUpload
from tests.imports.builders import gpx_bytes
from tests.imports.conftest import at

State = ImportJob.State


def _queued(user, data=b"") -> ImportJob:
    job = ImportJob.objects.create(user=user)
    ImportUpload.objects.create(job=job, position=0, name="a.gpx", data=data)
    return job


def test_a_job_is_claimed_once(alice):
    job = _queued(alice)
    first = worker.claim()
    assert first is not None and first.pk == job.pk and first.state == State.READING and first.attempts == 1
    assert worker.claim() is None  # a second worker finds nothing to do
    assert not worker._take(job.pk, uuid.uuid4())  # the compare-and-set refuses a claimed job


def test_a_worker_that_lost_its_claim_saves_nothing(alice):
    job = _queued(alice, gpx_bytes(at(timezone.localdate() - timedelta(days=3)), 30, 5.0))
    mine = worker.claim()
    ImportJob.objects.filter(pk=job.pk).update(claim_token=uuid.uuid4())  # presumed dead, claimed again
    assert worker.process(mine) is False
    job.refresh_from_db()
    assert job.state == State.READING and job.result is None
    assert ImportUpload.objects.filter(job=job).exists()


def test_a_stale_job_goes_back_to_the_queue_then_fails_after_three_tries(alice):
    job = _queued(alice)
    long_ago = timezone.now() - worker.STALE_AFTER - timedelta(seconds=1)
    for attempt in (1, 2, 3):
        claimed = worker.claim()
        assert claimed.pk == job.pk and claimed.attempts == attempt
        ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    assert worker.claim() is None
    job.refresh_from_db()
    assert job.state == State.FAILED and job.error == "gave_up"
    assert not ImportUpload.objects.filter(job=job).exists()


def test_the_command_reads_the_queue_once(alice):
    job = _queued(alice, gpx_bytes(at(timezone.localdate() - timedelta(days=3)), 30, 5.0))
    call_command("import_worker", "--once", verbosity=0)
    job.refresh_from_db()
    assert job.state == State.READY and len(job.result["activities"]) == 1
    assert (job.progress_done, job.progress_total) == (1, 1)
    assert not ImportUpload.objects.exists()


def test_old_jobs_are_purged(alice, bob):
    old, new = _queued(alice), _queued(bob)
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=worker.KEEP_DAYS + 1))
    assert worker.purge() >= 1
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [new.pk]
