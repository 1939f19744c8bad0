from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from screening.models import Screening


class Command(BaseCommand):
    help = (
        "Delete anonymous screens nobody claimed by signing up or logging in, once the browser "
        "session that could claim them has expired. Run daily (cron)."
    )

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
        deleted, _ = Screening.objects.filter(user__isnull=True, taken_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} unclaimed anonymous screens older than {cutoff:%Y-%m-%d %H:%M}.")
