from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        "The nightly run: import the registers' files found in DIR (dar.json or dar.jsonl, "
        "cvr.jsonl, SorEntity_daily.csv), then re-evaluate every unit's publication for the "
        "new day (agreements start and end at midnight). Each import is kept as an ImportRun. "
        "Exits 1 if any file was rejected; the others are still imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--allow-mass-closure",
            action="store_true",
            help="import SorEntity_daily.csv even if it closes more than "
            "PLOV_SOR_MAX_CLOSURE_SHARE of the open units (see plov import --help)",
        )

    def handle(self, *args, directory: Path, allow_mass_closure: bool, **options) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory}: no such directory")
        failed = False
        for register, names in FILES:
            path = next((directory / n for n in names if (directory / n).is_file()), None)
            if path is None:
                self.stdout.write(f"{register}: no file in {directory}, skipped")
                continue
            try:
                summary, _ = run_import(
                register, path, trigger="nightly", allow_mass_closure=allow_mass_closure
            )
            except (MalformedFile, ImportRefused) as exc:
                self.stderr.write(f"{register}: {exc}")
                failed = True
                continue
            self.stdout.write(f"{register}: {path}\n{summary.render()}")
        changed = refresh_publication()
        self.stdout.write(f"publication re-evaluated: {changed} units changed")
        from plov.supervision.pending import discard_abandoned_previews

        discarded = discard_abandoned_previews()
        self.stdout.write(f"abandoned supervision previews: {discarded} PDF(s) deleted")
        if failed:
            sys.exit(1)
