"""Fast bulk UPDATE for the importers.

Django's `bulk_update` builds a `CASE WHEN id=… THEN …` expression per row and field; for
thousands of rows that is slow and holds every expression in memory at once (measured: 1 s of
a 4 s SOR import, and a 200 MB peak). One `executemany` of a plain parameterised UPDATE is
pipelined by psycopg 3 and costs a fraction of that, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model


def update_rows(objects: Sequence[Model], fields: Sequence[str], *, batch_size: int = 2000) -> int:
    """Write `fields` of each object by primary key. Returns the number of objects written."""
    if not objects:
        return 0
    model = type(objects[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    concrete = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in concrete)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch_size):
            cursor.executemany(
                sql,
                [
                    [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in concrete]
                    + [obj.pk]
                    for obj in objects[start : start + batch_size]
                ],
            )
    return len(objects)
