"""Email reminder preferences move onto the user row (accounts 0003), which every signed-in request
loads anyway: copy each ReminderSettings row there, then drop the table."""

from django.db import migrations


def to_the_user(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for prefs in apps.get_model("reminders", "ReminderSettings").objects.all():
        User.objects.filter(pk=prefs.user_id).update(
            reminders_by_email=prefs.email_on,
            remind_at=prefs.remind_at,
            reminder_email=prefs.confirmed_email,
            reminder_email_confirmed_at=prefs.confirmed_at,
        )


def back_from_the_user(apps, schema_editor):
    ReminderSettings = apps.get_model("reminders", "ReminderSettings")
    for user in apps.get_model("accounts", "User").objects.all():
        ReminderSettings.objects.create(
            user_id=user.pk,
            email_on=user.reminders_by_email,
            remind_at=user.remind_at,
            confirmed_email=user.reminder_email,
            confirmed_at=user.reminder_email_confirmed_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_reminder_preferences"),
        ("reminders", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(to_the_user, back_from_the_user),
        migrations.DeleteModel(name="ReminderSettings"),
    ]
