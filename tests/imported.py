"""The small country imported once per test session, and given again to every test.

Importing the country (DAR, CVR, SOR, then the publication refresh) is the setup of some 980
of the suite's 1,390 tests, some 0.2 s each on PostgreSQL. `record_session` runs the real
importers once, in a transaction of its own that is rolled back, and records what they wrote:
every table's rows before and after. The `imported` fixture writes those rows again in the
test's transaction, which is rolled back after the test as always: each test starts from a
fresh copy, and a test that does not ask for `imported` sees none of it.

The real importers run instead where the recorded rows might not be what they would write: in
a transactional test (its tables are flushed, not rolled back), when the test changed
`country` first, on another day (`clock.today()`), or when a table the import writes does not
hold as many rows as before the recorded import (a fixture wrote to it first).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import AutoField, BigAutoField, Field, Model, SmallAutoField
from django.db.models.base import ModelState

from plov import clock
from plov.registers.cvr import import_cvr
from plov.registers.dar import import_dar
from plov.registers.runs import refresh_after
from plov.registers.sor import import_sor
from tests.country import Country

AUTO_FIELDS = (AutoField, BigAutoField, SmallAutoField)


def import_country(folder: Path, country: Country) -> None:
    """The real import: write the register files into `folder`, import DAR, CVR, SOR, and
    refresh publication once after them, as `plov nightly` does."""
    sor_path, cvr_path, dar_path = country.write(folder)
    refresh_after(import_dar(dar_path), import_cvr(cvr_path), import_sor(sor_path))


@dataclass
class Table:
    """What the import changed in one table: its rows by primary key, all local columns."""

    model: type[Model]
    fields: list[Field]
    inserted: list[tuple] = field(default_factory=list)
    updated: list[tuple] = field(default_factory=list)
    deleted: list = field(default_factory=list)
    rows_before: int = 0


@dataclass
class Snapshot:
    country: Country
    today: dt.date
    tables: list[Table]

    def fits(self, country: Country, connection) -> bool:
        """Do the recorded rows apply in this test (see the module's docstring)?"""
        if not connection.in_atomic_block or clock.today() != self.today or country != self.country:
            return False
        if not self.tables:
            return True
        quote = connection.ops.quote_name
        counts = ", ".join(
            f"(SELECT COUNT(*) FROM {quote(t.model._meta.db_table)})" for t in self.tables
        )
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {counts}")
            found = cursor.fetchone()
        return list(found) == [t.rows_before for t in self.tables]

    def restore(self, connection) -> None:
        """Write the recorded rows, in the test's transaction (constraints are deferred)."""
        write_rows(connection, self.tables)


def write_rows(connection, tables: list[Table]) -> None:
    """Delete, update and insert each table's recorded rows, advance PostgreSQL's sequences
    past them, and forget the units' cached pages. In a transaction: constraints are deferred."""
    using = connection.alias
    for table in tables:
        manager = table.model._base_manager.db_manager(using)
        names = [f.attname for f in table.fields]
        if table.deleted:
            manager.filter(pk__in=table.deleted)._raw_delete(using)
        for row in table.updated:
            manager.filter(pk=row[0]).update(**dict(zip(names[1:], row[1:], strict=True)))
        objects = [_instance(table.model, names, row) for row in table.inserted]
        size = connection.ops.bulk_batch_size(table.fields, objects) or len(objects)
        for start in range(0, len(objects), size):
            manager._insert(
                objects[start : start + size], fields=table.fields, using=using, raw=True
            )
    if connection.vendor == "postgresql":
        _advance_sequences(connection, tables)
    # A unit's cached page is keyed by its pk and register_updated_at, which repeat from
    # test to test now: new generations, so nothing a test before cached is read.
    from plov.public.signals import clear_all_unit_caches

    clear_all_unit_caches()


def _instance(model: type[Model], names: list[str], row: tuple) -> Model:
    """The row as an instance for `_insert`, without the model's __init__ (defaults, and
    Wagtail's page looking up its content type while the table is being written)."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, row, strict=True))
    instance._state = ModelState()
    return instance


def _advance_sequences(connection, tables: list[Table]) -> None:
    """Rows written with their ids do not move PostgreSQL's sequences: never hand them out."""
    quote = connection.ops.quote_name
    setvals = []
    for table in tables:
        pk = table.model._meta.pk
        if table.inserted and isinstance(pk, AUTO_FIELDS):
            top = max(row[0] for row in table.inserted)
            sequence = (
                f"pg_get_serial_sequence('{quote(table.model._meta.db_table)}', '{pk.column}')"
            )
            setvals.append(f"setval({sequence}, GREATEST(nextval({sequence}), {int(top)}))")
    if setvals:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(setvals)}")


def _tables() -> list[tuple[type[Model], list[Field]]]:
    """Every table of the project's models with its columns, primary key first."""
    seen: set[str] = set()
    tables = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.db_table in seen:
            continue
        seen.add(meta.db_table)
        fields = [meta.pk, *(f for f in meta.local_concrete_fields if f is not meta.pk)]
        tables.append((model, fields))
    return tables


def _rows(model: type[Model], fields: list[Field], using: str) -> dict:
    values = model._base_manager.using(using).order_by().values_list(*(f.attname for f in fields))
    return {row[0]: row for row in values}


def _other_tables(connection) -> dict[str, int]:
    """Row counts of the tables no model owns (e.g. SQLite's full-text index)."""
    owned = {model._meta.db_table for model, _ in _tables()}
    with connection.cursor() as cursor:
        names = [
            name
            for name in connection.introspection.table_names(cursor)
            if name not in owned and not name.startswith("sqlite_")
        ]
        counts = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def record_import(folder: Path, country: Country, using: str = DEFAULT_DB_ALIAS) -> Snapshot:
    """Run the real import (see import_country) and record every row it wrote."""
    connection = connections[using]
    tables = _tables()
    today = clock.today()
    before = {model: _rows(model, fields, using) for model, fields in tables}
    others = _other_tables(connection)
    import_country(folder, country)
    if _other_tables(connection) != others:
        raise AssertionError(f"the import wrote to tables no model owns: {sorted(others)}")
    changed = []
    for model, fields in tables:
        old, new = before[model], _rows(model, fields, using)
        if old == new:
            continue
        changed.append(
            Table(
                model,
                fields,
                inserted=[row for pk, row in new.items() if pk not in old],
                updated=[row for pk, row in new.items() if pk in old and old[pk] != row],
                deleted=[pk for pk in old if pk not in new],
                rows_before=len(old),
            )
        )
    return Snapshot(country=country.copy(), today=today, tables=changed)


def record_session(
    folder: Path, country: Country, using: str = DEFAULT_DB_ALIAS
) -> Snapshot | None:
    """Record the import (`record_import`) in a transaction of its own, rolled back: for the
    session, before the first test that asks for it opens its transaction. None where the
    database is not as migrations left it (a transactional test before emptied it)."""
    from django.contrib.contenttypes.models import ContentType

    from plov.units.models import Municipality

    if not Municipality.objects.using(using).exists():
        return None
    try:
        with transaction.atomic(using=using):
            snapshot = record_import(folder, country, using)
            transaction.set_rollback(True, using=using)
    finally:
        ContentType.objects.clear_cache()  # it may hold a row just rolled back
    return snapshot
