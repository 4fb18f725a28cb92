"""Imports as separate processes do them: one killed with SIGKILL half-way, two of the same
register started at once. Real `plov import` processes share the database with the test: on
PostgreSQL the test database itself, on SQLite (whose test database lives in this process's
memory) a copy of it in a file."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests import country as c
from tests.test_cli import run

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent

# A real `plov import`, paused after the units are written inside the import's transaction
# (so that it can be killed there, or another import started meanwhile).
SLOW_IMPORT = """
import sys, time, django
django.setup()
from plov.registers import sor
original = sor.SorImporter.write
def write(self):
    result = original(self)
    print("written, not committed", flush=True)
    time.sleep(120)
    return result
sor.SorImporter.write = write
from plov.cli import main
main(["plov", "import", "sor", sys.argv[1]])
"""


class SharedDatabase:
    """The database as the test's subprocesses see it, and SQL on it from the test."""

    def __init__(self, tmp_path: Path) -> None:
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "plov.settings.test"}
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            self.env["DATABASE_URL"] = (
                f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/"
                f"{s['NAME']}"
            )
            self.file = None
        else:
            self.file = tmp_path / "plov.sqlite3"
            target = sqlite3.connect(self.file)
            connection.ensure_connection()
            connection.connection.backup(target)
            target.close()
            self.env["DATABASE_URL"] = f"sqlite:///{self.file}"

    def query(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self.file is None:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()
        with sqlite3.connect(self.file) as db:
            return db.execute(sql, params).fetchall()

    def plov(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "plov.cli", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start_slow_import(self, path: Path) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-c", SLOW_IMPORT, str(path)],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = process.stdout.readline()
        assert line.strip() == "written, not committed", process.stderr.read()
        return process

    def wait_until_unlocked(self) -> None:
        """PostgreSQL ends a killed client's session (and its advisory lock) a moment later."""
        if self.file is not None:
            return
        for _ in range(100):
            if not self.query("SELECT 1 FROM pg_locks WHERE locktype = 'advisory'"):
                return
            time.sleep(0.1)
        raise AssertionError("the killed import's advisory lock was never released")

    def runs(self) -> list[tuple]:
        return self.query(
            "SELECT id, status, error FROM registers_importrun WHERE register = 'sor' ORDER BY id"
        )

    def unit_name(self, sor_id: str) -> str:
        return self.query("SELECT name FROM units_unit WHERE sor_id = ?", (sor_id,))[0][0]


@pytest.fixture
def shared(reference_data, tmp_path, capsys, country) -> SharedDatabase:
    sor_path, cvr_path, dar_path = country.write(tmp_path / "day1")
    for register, path in (("dar", dar_path), ("cvr", cvr_path), ("sor", sor_path)):
        code, _, err = run(capsys, "import", register, str(path))
        assert code == 0, err
    return SharedDatabase(tmp_path)


def _renamed_file(tmp_path, country) -> Path:
    country.entity(c.SOLGAARDEN).name = "Plejecenter Solgården Syd"
    return country.write(tmp_path / "day2")[0]


def test_a_run_killed_by_sigkill_is_marked_abandoned_by_the_next_import(shared, tmp_path, country):
    path = _renamed_file(tmp_path, country)
    killed = shared.start_slow_import(path)
    killed.send_signal(signal.SIGKILL)
    killed.wait(30)
    shared.wait_until_unlocked()
    killed_id, status, _ = shared.runs()[-1]
    assert status == "running"
    assert shared.unit_name(c.SOLGAARDEN) == "Plejecenter Solgården"  # nothing committed

    result = shared.plov("import", "sor", str(path))
    assert result.returncode == 0, result.stderr
    runs = {run_id: (status, error) for run_id, status, error in shared.runs()}
    started = shared.query("SELECT started_at FROM registers_importrun WHERE id = ?", (killed_id,))
    assert runs[killed_id][0] == "abandoned"
    from django.utils.dateparse import parse_datetime
    from django.utils.timezone import localtime

    when = started[0][0]
    when = parse_datetime(when) if isinstance(when, str) else when  # SQLite: naive UTC text
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    assert runs[killed_id][1] == (
        f"afbrudt: kørslen startede {localtime(when):%d.%m.%Y kl. %H:%M:%S} og blev aldrig "
        "færdig – processen blev stoppet (f.eks. med SIGKILL eller ved en genstart af "
        "maskinen); intet fra den blev skrevet"
    )
    assert list(runs.values())[-1][0] == "succeeded"
    assert shared.unit_name(c.SOLGAARDEN) == "Plejecenter Solgården Syd"


def test_the_agencys_list_of_runs_marks_a_killed_run_abandoned(shared, tmp_path, country):
    killed = shared.start_slow_import(_renamed_file(tmp_path, country))
    killed.kill()
    killed.wait(30)
    shared.wait_until_unlocked()
    result = shared.plov("import-runs", "--register", "sor")
    assert result.returncode == 0, result.stderr
    newest = result.stdout.splitlines()[:2]
    assert "Afbrudt" in newest[0]
    assert newest[1].strip().startswith("afbrudt: kørslen startede ")
    assert shared.runs()[-1][1] == "abandoned"


def test_two_imports_of_the_same_register_never_run_at_once(shared, tmp_path, country):
    path = _renamed_file(tmp_path, country)
    first = shared.start_slow_import(path)
    try:
        second = shared.plov("import", "sor", str(path))
        assert second.returncode == 1
        assert "Traceback" not in second.stderr
        # the log line (for the log collector) comes first; the message for the operator last
        message = second.stderr.strip().splitlines()[-1]
        assert message.startswith(
            f"{path}: importen er afvist, intet er ændret: en anden import af SOR kører allerede "
            "(startet "
        )
        assert message.endswith(
            f" fra cli med filen {path}); to imports af samme register må ikke køre samtidig – "
            "vent, til den er færdig, og prøv igen"
        )
        statuses = [status for _, status, _ in shared.runs()]
        if shared.file is None:
            assert statuses[-2:] == ["running", "refused"]
            # another register is not held up (SQLite has one writer at a time whatever we do)
            other = shared.plov("import", "dar", str(tmp_path / "day2" / "dar.json"))
            assert other.returncode == 0, other.stderr
        else:
            # SQLite: the running import's open transaction keeps the refusal from being kept
            assert statuses[-1] == "running"
    finally:
        first.kill()
        first.wait(30)
    shared.wait_until_unlocked()
    assert shared.plov("import", "sor", str(path)).returncode == 0
