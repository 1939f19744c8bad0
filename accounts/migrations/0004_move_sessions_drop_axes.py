"""Move live sessions into `accounts_session` (nobody is signed out by the upgrade, and a knee
check in progress is kept), and drop django-axes' tables: `accounts.throttle` replaced it.

Sessions: each live row of `django_session` is copied with its person's id read from the signed
session data (the same salt and serializer Django's store uses), then deleted from the old
table, which Django's sessions app keeps empty from now on. Axes: its four tables are dropped
if they exist and its migration records removed, so that installing it again would start clean.
"""

from django.core import signing
from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

SESSION_SALT = "django.contrib.sessions.SessionStore"
AXES_TABLES = ("axes_accessattemptexpiration", "axes_accessfailurelog", "axes_accesslog", "axes_accessattempt")
BATCH = 2000


def _user_id(session_data: str):
    try:
        data = signing.loads(session_data, salt=SESSION_SALT, serializer=signing.JSONSerializer)
        return int(data.get("_auth_user_id"))
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        return None


def move_sessions(apps, schema_editor):
    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("accounts", "Session")
    alias = schema_editor.connection.alias
    live = Old.objects.using(alias).filter(expire_date__gt=timezone.now())
    batch = []
    for row in live.iterator(chunk_size=BATCH):
        batch.append(
            New(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=_user_id(row.session_data),
            )
        )
        if len(batch) == BATCH:
            New.objects.using(alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.using(alias).bulk_create(batch, ignore_conflicts=True)
    Old.objects.using(alias).all().delete()


def move_sessions_back(apps, schema_editor):
    Old = apps.get_model("sessions", "Session")
    New = apps.get_model("accounts", "Session")
    alias = schema_editor.connection.alias
    rows = New.objects.using(alias).filter(expire_date__gt=timezone.now())
    Old.objects.using(alias).bulk_create(
        (Old(session_key=r.session_key, session_data=r.session_data, expire_date=r.expire_date) for r in rows),
        batch_size=BATCH,
        ignore_conflicts=True,
    )


def drop_axes(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for table in AXES_TABLES:
        if table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")
    MigrationRecorder(schema_editor.connection).migration_qs.filter(app="axes").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_sessions_and_throttle"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_sessions, move_sessions_back),
        migrations.RunPython(drop_axes, migrations.RunPython.noop),
    ]
