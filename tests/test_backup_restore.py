"""The README's backup and restore of the database: `pg_dump -Fc` of a live plov database,
`pg_restore` into an empty one, and the restored copy serves the same data (PostgreSQL only)."""

from __future__ import annotations

import subprocess
import uuid

import psycopg
import pytest
from django.conf import settings

from plov.agreements.models import AgreementType, ServiceAgreement
from plov.publishing.refresh import refresh_publication
from plov.registers.cvr import import_cvr
from plov.registers.dar import import_dar
from plov.registers.sor import import_sor
from plov.units.models import Unit, UnitContent
from tests import country as c
from tests.servers import require_postgresql


def _pg_args(db: dict) -> list[str]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-U", db.get("USER") or "postgres"]
    return [*args, "-p", str(db["PORT"])] if db.get("PORT") else args


@pytest.mark.postgres
def test_pg_dump_and_restore_round_trip(reference_data, tmp_path):
    # reference_data: a transactional test (pg_dump sees only committed rows) on a database
    # another transactional test may have flushed, municipalities included.
    require_postgresql("the backup is pg_dump's")
    sor_path, cvr_path, dar_path = c.small_country().write(tmp_path / "registers")
    import_dar(dar_path)
    import_cvr(cvr_path)
    import_sor(sor_path)
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    UnitContent.objects.create(unit=solgaarden, p_number=c.P_SOLGAARDEN, values="<p>Tryghed</p>")
    ServiceAgreement.objects.create(
        municipality_id=751, unit=solgaarden, reference="AAR-1",
        type=AgreementType.OWN_PRODUCTION, start="2024-01-01",
    )  # fmt: skip
    refresh_publication()

    db = settings.DATABASES["default"]
    dump = tmp_path / "plov.dump"
    copy = f"plov_restore_{uuid.uuid4().hex[:8]}"
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    run = dict(check=True, capture_output=True, env={**env, "PATH": "/usr/bin:/bin"}, timeout=120)
    subprocess.run(["pg_dump", *_pg_args(db), "-Fc", "-f", str(dump), db["NAME"]], **run)
    subprocess.run(["createdb", *_pg_args(db), copy], **run)
    try:
        subprocess.run(
            ["pg_restore", *_pg_args(db), "--no-owner", "--exit-on-error", "-d", copy, str(dump)],
            **run,
        )
        with psycopg.connect(
            host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
            user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None, dbname=copy,
        ) as restored:  # fmt: skip
            for model in (Unit, UnitContent, ServiceAgreement):
                table = model._meta.db_table
                rows = restored.execute(f"SELECT id FROM {table} ORDER BY id").fetchall()
                assert [r[0] for r in rows] == sorted(model.objects.values_list("pk", flat=True))
            published, values = restored.execute(
                "SELECT u.published, c.values FROM units_unit u JOIN units_unitcontent c"
                " ON c.unit_id = u.id WHERE u.sor_id = %s", [c.SOLGAARDEN],
            ).fetchone()  # fmt: skip
            assert published == Unit.objects.get(sor_id=c.SOLGAARDEN).published
            assert values == "<p>Tryghed</p>"
    finally:
        subprocess.run(["dropdb", *_pg_args(db), "--if-exists", copy], **run)
