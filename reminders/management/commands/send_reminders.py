from django.core.management.base import BaseCommand

from reminders.services import STUCK_AFTER, send_due_reminders, stuck_reminders


class Command(BaseCommand):
    help = "Send today's email reminders that are due (run every 15 minutes by cron or a systemd timer)."

    def handle(self, *args, **options):
        sent = send_due_reminders()
        self.stdout.write(f"sent {sent}")
        if stuck := stuck_reminders():
            minutes = int(STUCK_AFTER.total_seconds() // 60)
            self.stderr.write(
                f"warning: {stuck} reminder(s) still 'sending' after {minutes} minutes: a run stopped between "
                "the mail server and the database. They may or may not have gone out and are not sent again "
                "(ReminderSent rows with state='sending')."
            )
