"""`manage.py purge`: delete what nobody needs any more, in every app. Run it daily (cron).

Each installed app whose AppConfig has a `purge(now=...)` method takes part (accounts: expired
sessions, sessions of deleted accounts, old throttle rows; screening: anonymous screens nobody
claimed), so a new app adds its own without this command importing it. Every purge is a set of
batched DELETEs by age: running it on several machines at once is safe (one of them deletes a
row, for the others it is already gone).
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Delete expired sessions, sessions of deleted accounts, old throttle rows and unclaimed anonymous screens."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        for config in apps.get_app_configs():
            purge = getattr(config, "purge", None)
            if not callable(purge):
                continue
            for what, count in purge(now=now).items():
                self.stdout.write(f"{config.label}: deleted {count} {what}.")
