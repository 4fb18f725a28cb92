"""Run an importer and keep its outcome as an ImportRun, success or failure.

The register importers (SOR, CVR, DAR) only import: they say on their summary whether
publication may have moved (`ImportSummary.moves_publication`), and whoever runs them refreshes
it, once. `run_import` does so after its one import, in the import's transaction, unless the
caller runs several imports and refreshes once after them (`plov nightly`, the demo)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from plov.registers.guards import ImportRefused, RegisterBusy, register_lock
from plov.registers.models import ImportRun
from plov.registers.readers import MalformedFile
from plov.registers.summary import ImportSummary

logger = logging.getLogger("plov.registers")


def importer_for(
    register: str, *, allow_mass_closure: bool = False
) -> Callable[[Path], tuple[ImportSummary, list[str]]]:
    """Every importer, returning (summary, rejected rows)."""
    from plov.agreements.importer import import_agreements
    from plov.registers.cvr import import_cvr
    from plov.registers.dar import import_dar
    from plov.registers.sor import import_sor
    from plov.supervision.authorities import import_authorities
    from plov.supervision.quality import import_quality
    from plov.units.editorial import import_editorial

    def whole_file(fn):
        return lambda path: (fn(path), [])

    return {
        "sor": lambda path: (import_sor(path, allow_mass_closure=allow_mass_closure), []),
        "cvr": whole_file(import_cvr),
        "dar": whole_file(import_dar),
        "authorities": whole_file(import_authorities),
        "agreements": import_agreements,
        "editorial": import_editorial,
        "quality": import_quality,
    }[register]


def refresh_after(*summaries: ImportSummary) -> int:
    """Refresh every unit's publication once if any of these imports may have moved it, on the
    day the SOR import judged by (the units it closed are closed as of it). Returns how many
    units changed; each that came on or went off the public site is logged once."""
    from plov.publishing.refresh import refresh_publication

    moved = [s for s in summaries if s.moves_publication]
    if not moved:
        return 0
    return refresh_publication(today=next((s.today for s in moved if s.today), None))


def run_import(
    register: str,
    path: Path,
    *,
    trigger: str = "cli",
    allow_mass_closure: bool = False,
    refresh: bool = True,
) -> tuple[ImportSummary, list[str]]:
    """Import one file, holding the register's lock (RegisterBusy if another import of it
    runs; runs left 'running' by a killed process are marked abandoned), then refresh
    publication if the import may have moved it (`refresh_after`), in the same transaction.
    `refresh=False`: the caller refreshes once after all its imports. The ImportRun row is
    written outside the import's transaction, so a failed run is recorded too. Raises
    MalformedFile (database unchanged) on a bad file, and ImportRefused (database unchanged)
    when the SOR file would close a mass of units."""
    try:
        with register_lock(register, str(path)):
            return _run(
                register,
                path,
                trigger=trigger,
                allow_mass_closure=allow_mass_closure,
                refresh=refresh,
            )
    except RegisterBusy as exc:
        _record_refusal(register, path, trigger, str(exc))
        logger.error("Import af %s afvist: %s", register, exc, extra={"register": register})
        raise


def _record_refusal(register: str, path: Path, trigger: str, message: str) -> None:
    """Keep the refusal as a run. SQLite lets one process write at a time: while the other
    import's transaction is open the refusal cannot be kept, and is only printed."""
    sqlite = connection.vendor == "sqlite"
    if sqlite:
        connection.ensure_connection()
        connection.connection.execute("PRAGMA busy_timeout = 1000")
    try:
        ImportRun.objects.create(
            register=register,
            source=str(path),
            trigger=trigger,
            status=ImportRun.Status.REFUSED,
            error=message,
            finished_at=timezone.now(),
        )
    except OperationalError:
        if not sqlite:
            raise
    finally:
        if sqlite:
            timeout = connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)
            connection.connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")


def _run(
    register: str, path: Path, *, trigger: str, allow_mass_closure: bool, refresh: bool
) -> tuple[ImportSummary, list[str]]:
    run = ImportRun.objects.create(register=register, source=str(path), trigger=trigger)
    importer = importer_for(register, allow_mass_closure=allow_mass_closure)
    try:
        # The import and the refresh after it commit together: the public site never sees
        # the new register data with the old publication, and a failed refresh fails the run.
        with transaction.atomic():
            summary, rejected = importer(Path(path))
            if refresh:
                refresh_after(summary)
    except ImportRefused as exc:
        run.status, run.error, run.finished_at = ImportRun.Status.REFUSED, str(exc), timezone.now()
        run.save()
        logger.error(
            "Import af %s afvist: %s",
            register,
            exc,
            extra={"register": register, "run_id": run.pk},
        )
        raise
    except MalformedFile as exc:
        run.status, run.error, run.finished_at = ImportRun.Status.FAILED, str(exc), timezone.now()
        run.save()
        logger.error(
            "Import af %s fejlede: %s",
            register,
            exc,
            extra={"register": register, "run_id": run.pk},
        )
        raise
    except Exception as exc:
        run.status, run.finished_at = ImportRun.Status.FAILED, timezone.now()
        run.error = f"{type(exc).__name__}: {exc}"
        run.save()
        logger.exception(
            "Import af %s brød sammen", register, extra={"register": register, "run_id": run.pk}
        )
        raise
    run.status, run.finished_at = ImportRun.Status.SUCCEEDED, timezone.now()
    run.summary = {**summary.as_dict(), "rejected": rejected}
    run.save()
    return summary, rejected
