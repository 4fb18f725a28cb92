from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from plov.publishing.data_quality import counts, findings


class Command(BaseCommand):
    help = (
        "The agency's data-quality overview as JSON: counts nationally and per municipality, and "
        "with --list every finding (unit, kind, detail). --kommune CODE narrows to one "
        "municipality (the unit's beliggenhedskommune, else its owner municipality)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, metavar="CODE")
        parser.add_argument("--list", action="store_true", help="include every finding")
        parser.add_argument("--json", action="store_true", help="JSON (the only format)")

    def handle(self, *args, kommune: int | None, list: bool, **options) -> None:
        rows = findings()
        if kommune is not None:
            rows = [r for r in rows if r["municipality"] == kommune]
        result = counts(rows)
        if list:
            result["findings"] = rows
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
