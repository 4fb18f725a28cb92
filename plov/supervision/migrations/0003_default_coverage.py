import csv
import datetime as dt
from pathlib import Path

from django.db import migrations

DEFAULT = Path(__file__).resolve().parent.parent / "data" / "supervising_authorities.csv"


def forwards(apps, schema_editor):
    """A starting coverage table; the agency replaces it with `plov import authorities`."""
    Authority = apps.get_model("supervision", "SupervisingAuthority")
    Coverage = apps.get_model("supervision", "AuthorityCoverage")
    Municipality = apps.get_model("units", "Municipality")
    codes = set(Municipality.objects.values_list("code", flat=True))
    with DEFAULT.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            code = int(row["kommunekode"])
            if code not in codes:
                continue
            authority, _ = Authority.objects.get_or_create(name=row["tilsyn"])
            Coverage.objects.create(
                municipality_id=code,
                authority=authority,
                valid_from=dt.date.fromisoformat(row["gyldig_fra"]) if row["gyldig_fra"] else None,
            )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0002_initial"), ("units", "0002_reference_data")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
