from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plov.registers.guards import ImportRefused
from plov.registers.readers import MalformedFile
from plov.registers.runs import run_import

REGISTERS = ["sor", "cvr", "dar", "agreements", "editorial", "authorities", "quality"]


class Command(BaseCommand):
    help = (
        "Import one file: sor (SorEntity_daily.csv), cvr (production units, JSON Lines), "
        "dar (addresses, JSON array or JSON Lines), agreements (CSV), editorial (JSON), "
        "authorities (CSV), quality (indicators and satisfaction, CSV). Prints what was "
        "created, updated, closed and skipped. A malformed "
        "file exits 1 with PATH:LINE: reason and changes nothing; rejected rows of agreements, "
        "editorial and quality files are listed and exit 1, the good rows are imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("register", choices=REGISTERS, help="which kind of file")
        parser.add_argument("path", type=Path, help="the file to import")
        parser.add_argument("--trigger", default="cli", help="who started the run (cli, nightly)")
        parser.add_argument(
            "--allow-mass-closure",
            action="store_true",
            help="sor: import even if the file closes more than PLOV_SOR_MAX_CLOSURE_SHARE of "
            "the open units or has that much fewer entities than the last successful import",
        )

    def handle(
        self, *args, register: str, path: Path, trigger: str, allow_mass_closure: bool, **options
    ) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            summary, rejected = run_import(
                register, path, trigger=trigger, allow_mass_closure=allow_mass_closure
            )
        except (MalformedFile, ImportRefused) as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        self.stdout.write(f"{register} import of {path}")
        self.stdout.write(summary.render())
        for line in rejected:
            self.stderr.write(line)
        if rejected:
            self.stderr.write(f"{len(rejected)} rejected; the other rows were imported")
            sys.exit(1)
