"""Drop every stored plan state and rebuild it from the facts (`rehab.snapshots`).

Safe at any time and on several machines at once: each plan is rebuilt under its row lock, in
its owner's time zone, and a page that replays in the meantime never stores over a rebuild.
Pages keep working while it runs (a missing snapshot is a replay, not an error).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from rehab import snapshots


class Command(BaseCommand):
    help = "Drop all plan snapshots and rebuild them from the logs, checks and screens."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--drop-only", action="store_true", help="Drop them; pages rebuild on first read.")

    def handle(self, *args, drop_only: bool = False, **options) -> None:
        dropped = snapshots.drop()
        if drop_only:
            self.stdout.write(f"Dropped {dropped} snapshots.")
            return
        rebuilt = snapshots.rebuild()
        self.stdout.write(f"Dropped {dropped} snapshots; rebuilt {rebuilt}.")
