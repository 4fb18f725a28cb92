"""The demo country (`plov demo --scale 0.05`) built once per test session, and given again to
every test that serves it.

Some 45 browser tests and a few others start from the demo country, and the command takes some
11 s on PostgreSQL: about 8 minutes of the suite. `DemoCountry.build` runs the real command the
first time and records what it left behind: every table's rows, reference data included (a
transactional test's tables are flushed and its reference data loaded again under new ids, so
the demo's rows only fit the rows they were built on), and the files it wrote to MEDIA_ROOT
(the supervision reports). Each later build empties every table, writes the recorded rows and
files again, moves PostgreSQL's sequences past them, and empties the caches: each test starts
from the pristine demo, whatever the test before it changed.

The real command runs instead, and its result is recorded in place of the old one, where the
copy might not be what it would build: on another day (`clock.today()`), with another demo
password, with media not on the local disk, or when a table does not hold as many rows as
before the recorded build (a fixture wrote to it first). Where the demo writes to a table no
model owns (SQLite's full-text index, which Django's flush does not empty either), nothing is
recorded, and every build is the real one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from plov import clock
from tests.imported import Table, _other_tables, _rows, _tables, write_rows

SCALE = 0.05


def _key() -> tuple | None:
    """What the demo's result depends on besides the database; None: never record."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    return (clock.today(), settings.PLOV_DEMO_PASSWORD)


def _counts(connection) -> dict[str, int]:
    """Rows in each table that Django's flush empties."""
    names = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(n)})" for n in names))
        return dict(zip(names, cursor.fetchone(), strict=True))


def _files() -> dict[str, tuple[int, int]]:
    """The files under MEDIA_ROOT, by name, with their size and modification time."""
    root = Path(default_storage.location)
    return {
        path.relative_to(root).as_posix(): (stat.st_size, stat.st_mtime_ns)
        for path in root.rglob("*")
        if path.is_file() and (stat := path.stat())
    }


@dataclass
class Copy:
    tables: list[Table]  # every row of every table after the recorded build
    files: dict[str, bytes]  # what it wrote to MEDIA_ROOT, by name
    counts: dict[str, int]  # every table's rows after it


class DemoCountry:
    """The session's recorded demo builds (see the module's docstring), by what they depend on
    and the row counts they started from: a transactional test builds on flushed tables and
    reference data loaded again, another test on the migrated database."""

    def __init__(self) -> None:
        self.copies: dict[tuple, Copy | None] = {}

    def build(self) -> None:
        """The demo country at scale 0.05, as `call_command("demo", scale=0.05)` builds it."""
        connection = connections[DEFAULT_DB_ALIAS]
        key = _key()
        start = (key, tuple(_counts(connection).items()))
        copy = self.copies.get(start) if key else None
        if copy is not None:
            self._restore(connection, copy)
        else:
            self.copies[start] = self._record(connection, key)

    def _record(self, connection, key: tuple | None) -> Copy | None:
        """Build the demo for real; what it left, or None where it cannot be recorded."""
        others = _other_tables(connection)
        files = _files() if key else {}
        out = io.StringIO()
        call_command("demo", scale=SCALE, stdout=out, stderr=out)
        if key is None or _other_tables(connection) != others:
            return None
        tables = [
            Table(model, fields, inserted=list(_rows(model, fields, connection.alias).values()))
            for model, fields in _tables()
        ]
        root = Path(default_storage.location)
        written = {
            name: (root / name).read_bytes()
            for name, stat in _files().items()
            if files.get(name) != stat
        }
        return Copy([t for t in tables if t.inserted], written, _counts(connection))

    def _restore(self, connection, copy: Copy) -> None:
        names = connection.introspection.django_table_names(only_existing=True, include_views=False)
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                # TRUNCATE refuses tables with deferred checks pending (rows the test wrote)
                connection.check_constraints()
            flush = connection.ops.sql_flush(no_style(), names, allow_cascade=False)
            connection.ops.execute_sql_flush(flush)
            write_rows(connection, copy.tables)
        if _counts(connection) != copy.counts:
            raise AssertionError("the demo's copy does not hold the rows the demo left")
        for name, data in copy.files.items():
            path = Path(default_storage.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        # Cached content types, Wagtail's site root paths, pages: ids of rows just replaced.
        ContentType.objects.clear_cache()
        for cache in caches.all():
            cache.clear()
