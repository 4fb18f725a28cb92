from django.db import migrations, models

from plov.units.reference_data import load_municipalities


def forwards(apps, schema_editor):
    load_municipalities(apps.get_model("units", "Municipality"))


class Migration(migrations.Migration):
    dependencies = [("units", "0002_reference_data")]
    operations = [
        migrations.AddField(
            model_name="municipality",
            name="official_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="officielt navn"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
