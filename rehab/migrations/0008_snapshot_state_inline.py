"""Keep a plan's stored state in its row on PostgreSQL (issue 13).

The state is compressed by the app (`rehab.snapshots.dumps`, ~2.6 KB for a year); with the
column's default storage PostgreSQL would still move a value over ~2 KB to the TOAST table and
read it back with an extra look-up on every page. `MAIN` keeps it in the row unless the row could
not fit a page. Nothing to do on SQLite.
"""

from django.db import migrations


def storage(mode: str):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE rehab_plansnapshot ALTER COLUMN state SET STORAGE {mode}")

    return apply


class Migration(migrations.Migration):
    dependencies = [("rehab", "0007_plan_snapshot")]

    operations = [migrations.RunPython(storage("MAIN"), storage("EXTENDED"))]
