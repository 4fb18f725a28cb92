"""The DAR table for the whole country: no record hash (the import compares the columns), and
one index fewer on each of id and match_key on PostgreSQL (see DarAddress.Meta)."""

from django.db import migrations, models


def drop_id_pattern_index(apps, schema_editor) -> None:
    """Django gives a varchar primary key a second, `LIKE`-capable index on PostgreSQL; nothing
    searches DAR ids by prefix, and each index costs the import of millions of rows."""
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("registers", "DarAddress")
    name = schema_editor._create_index_name(model._meta.db_table, ["id"], suffix="_like")
    schema_editor.execute(schema_editor._delete_index_sql(model, name))


def restore_id_pattern_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("registers", "DarAddress")
    sql = schema_editor._create_like_index_sql(model, model._meta.get_field("id"))
    if sql is not None:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("registers", "0002_import_run_quality"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="daraddress",
            name="record_hash",
        ),
        migrations.AlterField(
            model_name="daraddress",
            name="match_key",
            field=models.CharField(max_length=300),
        ),
        migrations.AddIndex(
            model_name="daraddress",
            index=models.Index(
                fields=["match_key"], name="dar_match_key", opclasses=["varchar_pattern_ops"]
            ),
        ),
        migrations.RunPython(drop_id_pattern_index, restore_id_pattern_index, elidable=False),
    ]
