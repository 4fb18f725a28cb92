"""Run an importer and keep its outcome as an ImportRun, success or failure."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from plov.registers.models import ImportRun
from plov.registers.readers import MalformedFile
from plov.registers.summary import ImportSummary

logger = logging.getLogger("plov.registers")


def importer_for(register: str) -> Callable[[Path], tuple[ImportSummary, list[str]]]:
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
        "sor": whole_file(import_sor),
        "cvr": whole_file(import_cvr),
        "dar": whole_file(import_dar),
        "authorities": whole_file(import_authorities),
        "agreements": import_agreements,
        "editorial": import_editorial,
        "quality": import_quality,
    }[register]


def run_import(
    register: str, path: Path, *, trigger: str = "cli"
) -> tuple[ImportSummary, list[str]]:
    """Import one file. The ImportRun row is written outside the import's transaction, so a
    failed run is recorded too. Raises MalformedFile (database unchanged) on a bad file."""
    run = ImportRun.objects.create(register=register, source=str(path), trigger=trigger)
    try:
        summary, rejected = importer_for(register)(Path(path))
    except MalformedFile as exc:
        run.status, run.error, run.finished_at = ImportRun.Status.FAILED, str(exc), timezone.now()
        run.save()
        logger.error(
            "Import %s failed: %s", register, exc, extra={"register": register, "run_id": run.pk}
        )
        raise
    except Exception as exc:
        run.status, run.finished_at = ImportRun.Status.FAILED, timezone.now()
        run.error = f"{type(exc).__name__}: {exc}"
        run.save()
        logger.exception(
            "Import %s crashed", register, extra={"register": register, "run_id": run.pk}
        )
        raise
    run.status, run.finished_at = ImportRun.Status.SUCCEEDED, timezone.now()
    run.summary = {**summary.as_dict(), "rejected": rejected}
    run.save()
    return summary, rejected
