from django.db import migrations


def load(apps, schema_editor):
    from rehab.library import load_catalogue

    load_catalogue(apps.get_model("rehab", "Exercise"))


class Migration(migrations.Migration):
    dependencies = [("rehab", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
