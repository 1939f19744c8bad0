from django.apps import AppConfig


class RemindersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reminders"

    def purge(self, *, now) -> dict[str, int]:
        """`manage.py purge`: reminder records older than an unsubscribe link lives. A record only
        stops a second send on its own day and holds that email's unsubscribe link (60 days)."""
        from .models import ReminderSent
        from .services import UNSUBSCRIBE_MAX_AGE

        return {"reminder records": ReminderSent.objects.filter(started_at__lt=now - UNSUBSCRIBE_MAX_AGE).delete()[0]}
