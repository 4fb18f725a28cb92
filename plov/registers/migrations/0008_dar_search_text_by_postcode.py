from django.db import migrations

# The suggestions read a street's addresses in one postcode (plov.public.suggest): on
# PostgreSQL the prefix index on search_text leads with the postcode, so that a common street
# name ("Kirkevej 4" in hundreds of postcodes) reads only its own rows. It replaces 0007's
# index on search_text alone, which nothing reads on PostgreSQL (SQLite keeps it).


def forwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dar_search_text")
        schema_editor.execute(
            "CREATE INDEX dar_postcode_search_text ON registers_daraddress "
            '(postcode, (search_text COLLATE "C"))'
        )


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dar_postcode_search_text")
        schema_editor.execute(
            'CREATE INDEX dar_search_text ON registers_daraddress ((search_text COLLATE "C"))'
        )


class Migration(migrations.Migration):
    dependencies = [("registers", "0007_dar_search_text_and_streets")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
