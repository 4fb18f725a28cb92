from __future__ import annotations

import sys
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from plov.public.signals import clear_all_unit_caches
from plov.publishing.refresh import refresh_publication
from plov.registers.guards import ImportRefused
from plov.registers.readers import MalformedFile
from plov.registers.runs import run_import

# The order matters: addresses and production units first, so that the SOR import matches
# visiting addresses and checks P-numbers against today's data.
FILES = [
    ("dar", ("dar.json", "dar.jsonl")),
    ("cvr", ("cvr.jsonl", "cvr.json")),
    ("sor", ("SorEntity_daily.csv",)),
]


class Command(BaseCommand):
    help = (
        "Natkørslen: importér registrenes filer i DIR (dar.json eller dar.jsonl, cvr.jsonl, "
        "SorEntity_daily.csv), og genberegn derefter alle enheders offentliggørelse for den nye "
        "dag (serviceleverancer starter og slutter ved midnat). Månedens første kørsel gemmer "
        "de åbne data som månedsarkiv (enheder-ÅÅÅÅ-MM.csv og .json). Hver import gemmes som en "
        "registerkørsel. Exit 1, hvis en fil blev afvist; de øvrige importeres stadig."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR", help="mappen med filerne")
        parser.add_argument(
            "--allow-mass-closure",
            action="store_true",
            help="importér SorEntity_daily.csv, selv om den lukker mere end "
            "PLOV_SOR_MAX_CLOSURE_SHARE af de åbne enheder (se plov import --help)",
        )

    def handle(self, *args, directory: Path, allow_mass_closure: bool, **options) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory}: mappen findes ikke")
        failed = False
        for register, names in FILES:
            path = next((directory / n for n in names if (directory / n).is_file()), None)
            if path is None:
                self.stdout.write(f"{register}: ingen fil i {directory}, sprunget over")
                continue
            try:
                # Each import leaves publication as it was: it is refreshed once, below.
                summary, _ = run_import(
                    register,
                    path,
                    trigger="nightly",
                    allow_mass_closure=allow_mass_closure,
                    refresh=False,
                )
            except (MalformedFile, ImportRefused) as exc:
                self.stderr.write(f"{register}: {exc}")
                failed = True
                continue
            self.stdout.write(f"{register}: {path}\n{summary.render()}")
        # Once, after every import, for every unit and the new day: it covers what the imports
        # changed, and the agreements and sanctions that start or end at midnight.
        changed = refresh_publication()
        if changed:
            # The bulk write sends no signals, and the imports' runs renewed the cached
            # searches before it: renew them again.
            clear_all_unit_caches()
        self.stdout.write(f"offentliggørelse genberegnet: {changed} enheder ændret")
        failed = not self._keep_monthly_archive() or failed
        call_command("purge_removed_media", stdout=self.stdout)
        from plov.supervision.pending import discard_abandoned_previews

        discarded = discard_abandoned_previews()
        self.stdout.write(f"forladte forhåndsvisninger fra tilsynet: {discarded} PDF-filer slettet")
        if failed:
            sys.exit(1)

    def _keep_monthly_archive(self) -> bool:
        """The month's open-data snapshot (plov.opendata.archive), once a month. A storage
        error is reported and fails the run (exit 1), but the run's other steps still run."""
        from plov.opendata.archive import keep_monthly_snapshot

        try:
            written = keep_monthly_snapshot()
        except Exception as exc:  # the storage (disk or S3) failed: say so, go on
            self.stderr.write(f"månedsarkiv for åbne data: kunne ikke gemmes: {exc}")
            return False
        if written:
            self.stdout.write(f"månedsarkiv for åbne data gemt: {', '.join(written)}")
        return True
