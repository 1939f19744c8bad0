"""Read uploaded training files in the background: `manage.py import_worker` (runs until
stopped; `make run` starts one) or `--once` (the queue, then exit: for cron or a systemd timer).
Any number may run, on any number of machines (see `imports.worker`)."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from imports import worker


class Command(BaseCommand):
    help = "Read queued training-file imports (GPX, TCX, FIT, Strava exports)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Process the queue, then exit.")
        parser.add_argument("--sleep", type=float, default=1.0, help="Seconds between looks at an empty queue.")

    def handle(self, *args, once: bool = False, sleep: float = 1.0, **options):
        stopping = []
        if not once:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.append(True))
        purged_at = 0.0
        processed = 0
        while not stopping:
            if not connection.in_atomic_block:  # (a test's transaction) else: drop broken or old connections
                close_old_connections()
            if time.monotonic() - purged_at > 3600:
                worker.purge()
                purged_at = time.monotonic()
            job = worker.claim()
            if job is not None:
                worker.process(job)
                processed += 1
                continue
            if once:
                break
            time.sleep(sleep)
        if once or options.get("verbosity", 1) > 1:
            self.stdout.write(f"{processed} import job(s) read.")
