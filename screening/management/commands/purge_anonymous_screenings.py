from django.core.management.base import BaseCommand
from django.utils import timezone

from screening.services import purge_anonymous_screenings


class Command(BaseCommand):
    help = (
        "Delete anonymous screens nobody claimed by signing up or logging in, once the browser "
        "session that could claim them has expired. `manage.py purge` does this and more: run that daily."
    )

    def handle(self, *args, **options) -> None:
        deleted = purge_anonymous_screenings(now=timezone.now())
        self.stdout.write(f"Deleted {deleted} unclaimed anonymous screens.")
