from django.core.management.base import BaseCommand

from reminders.services import send_due_reminders


class Command(BaseCommand):
    help = "Send today's email reminders that are due (run every 15 minutes by cron or a systemd timer)."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"sent {sent}")
