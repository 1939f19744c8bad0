"""Tokens at rest: calendar links keep only their token's SHA-256 (existing links keep working:
each stored token is hashed in place and the plain text dropped); each reminder records "sending"
before the mail server is called and "sent" after, with its own unsubscribe link's SHA-256."""

import hashlib

import django.utils.timezone
from django.db import migrations, models


def hash_feed_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("reminders", "CalendarFeed")
    for feed in CalendarFeed.objects.all().only("pk", "token"):
        CalendarFeed.objects.filter(pk=feed.pk).update(token_hash=hashlib.sha256(feed.token.encode()).hexdigest())


def no_way_back(apps, schema_editor):
    # A hash cannot be turned back into the link: going back deletes the links (people make new ones).
    apps.get_model("reminders", "CalendarFeed").objects.all().delete()


def sent_rows_started_when_sent(apps, schema_editor):
    ReminderSent = apps.get_model("reminders", "ReminderSent")
    ReminderSent.objects.update(started_at=models.F("sent_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_preferences_on_the_user"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_feed_tokens, no_way_back),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="state",
            field=models.CharField(choices=[("sending", "sending"), ("sent", "sent")], default="sent", max_length=8),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="remindersent",
            name="started_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunPython(sent_rows_started_when_sent, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="remindersent",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="remindersent",
            name="unsubscribe_hash",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
    ]
