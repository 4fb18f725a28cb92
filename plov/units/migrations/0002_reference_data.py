from django.db import migrations

from plov.units.reference_data import load_municipalities, load_professions_and_properties


def forwards(apps, schema_editor):
    load_municipalities(apps.get_model("units", "Municipality"))
    load_professions_and_properties(
        apps.get_model("units", "Profession"), apps.get_model("units", "Property")
    )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
