from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from plov.publishing.registration_errors import registration_errors


class Command(BaseCommand):
    help = (
        "List registration errors as JSON: {sor_id, kind, message} with kind one of "
        "nested_care_home, invalid_address, duplicate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="print JSON (the only format)")

    def handle(self, *args, **options) -> None:
        self.stdout.write(json.dumps(registration_errors(), ensure_ascii=False, indent=2))
