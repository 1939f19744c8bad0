from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from imports import worker
from imports.models import ImportJob
from tests.factories import make_plan


@pytest.fixture
def plan(alice):
    """Alice's plan, started 10 days ago (her knee check was 90 days ago: see `make_plan`)."""
    return make_plan(alice, start_date=timezone.localdate() - timedelta(days=10))


def at(day, hour: int = 7, minute: int = 0) -> datetime:
    """A start time on `day` (UTC, like the tests' people)."""
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def upload(client, *files: tuple[str, bytes]):
    """POST files to the upload page; returns the response."""
    return client.post("/rehab/import/", {"files": [SimpleUploadedFile(name, data) for name, data in files]})


def import_files(client, *files: tuple[str, bytes]) -> ImportJob:
    """Upload, let a worker read them, and return the job (ready for its preview)."""
    response = upload(client, *files)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[-1])
    assert worker.run_once() == 1
    job.refresh_from_db()
    return job
