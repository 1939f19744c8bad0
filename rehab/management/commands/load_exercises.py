from django.core.management.base import BaseCommand

from rehab.library import load_catalogue
from rehab.models import Exercise


class Command(BaseCommand):
    help = "Load (or refresh) the exercise library from rehab/catalogue.py, matching by slug."

    def handle(self, *args, **options) -> None:
        count = load_catalogue(Exercise)
        self.stdout.write(self.style.SUCCESS(f"Exercise library: {count} exercises loaded."))
