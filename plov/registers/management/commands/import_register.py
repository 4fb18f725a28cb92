from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plov.registers.guards import REGISTER_NAMES, ImportRefused
from plov.registers.readers import MalformedFile
from plov.registers.runs import run_import

REGISTERS = ["sor", "cvr", "dar", "agreements", "editorial", "authorities", "quality"]


class Command(BaseCommand):
    help = (
        "Importér én fil: sor (SorEntity_daily.csv), cvr (produktionsenheder, JSON Lines), "
        "dar (adresser, JSON-liste eller JSON Lines), agreements (serviceleverancer, CSV), "
        "editorial (redaktionelt indhold, JSON), authorities (tilsynsmyndigheder, CSV), "
        "quality (kvalitetsindikatorer og brugertilfredshed, CSV). Viser, hvad der blev "
        "oprettet, opdateret, lukket og sprunget over. En fejlbehæftet fil giver exit 1 med "
        "STI:LINJE: årsag og ændrer intet; afviste rækker i serviceleverancer, redaktionelt "
        "indhold og kvalitet listes og giver exit 1, de gode rækker importeres. En anden import "
        "af samme register, der allerede kører, afviser importen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("register", choices=REGISTERS, help="hvilken slags fil")
        parser.add_argument("path", type=Path, help="filen, der skal importeres")
        parser.add_argument("--trigger", default="cli", help="hvem startede kørslen (cli, nightly)")
        parser.add_argument(
            "--allow-mass-closure",
            action="store_true",
            help="sor: importér, selv om filen lukker mere end PLOV_SOR_MAX_CLOSURE_SHARE af de "
            "åbne enheder eller har så meget færre enheder end sidste gennemførte import",
        )

    def handle(
        self, *args, register: str, path: Path, trigger: str, allow_mass_closure: bool, **options
    ) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: filen findes ikke")
        try:
            summary, rejected = run_import(
                register, path, trigger=trigger, allow_mass_closure=allow_mass_closure
            )
        except (MalformedFile, ImportRefused) as exc:
            self.stderr.write(str(exc))
            sys.exit(1)
        self.stdout.write(f"{REGISTER_NAMES[register]}: import af {path}")
        self.stdout.write(summary.render())
        for line in rejected:
            self.stderr.write(line)
        if rejected:
            self.stderr.write(f"{len(rejected)} afvist; de øvrige rækker er importeret")
            sys.exit(1)
