from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandParser

from plov.registers.pnumber import check_pnumber


class Command(BaseCommand):
    help = "Check a P-number against the imported CVR data; prints JSON {ok, level, message}."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("p_number", metavar="PNR")

    def handle(self, *args, p_number: str, **options) -> None:
        self.stdout.write(json.dumps(check_pnumber(p_number).as_dict(), ensure_ascii=False))
