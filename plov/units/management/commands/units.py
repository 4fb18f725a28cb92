from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plov.publishing.listing import units_for_listing
from plov.units.models import Municipality


class Command(BaseCommand):
    help = (
        "List units as JSON. With --kommune CODE: the units a citizen searching that "
        "municipality sees (published, with an agreement in force today). With --all: every "
        "unit (narrowed to those located in --kommune if given)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, metavar="CODE", help="3-digit kommunekode")
        parser.add_argument("--all", action="store_true", help="every unit, published or not")
        parser.add_argument("--json", action="store_true", help="print JSON (the only format)")

    def handle(self, *args, kommune: int | None, all: bool, **options) -> None:
        if kommune is not None and not Municipality.objects.filter(code=kommune).exists():
            raise CommandError(f"--kommune {kommune}: no municipality has that code", returncode=2)
        if kommune is None and not all:
            raise CommandError("give --kommune CODE, --all, or both", returncode=2)
        units = units_for_listing(kommune, include_all=all)
        self.stdout.write(json.dumps(units, ensure_ascii=False, indent=2, default=str))
