from __future__ import annotations

import datetime as dt
import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from plov.supervision.register import as_csv, changes_since, supervised_units


class Command(BaseCommand):
    help = (
        "Ældretilsynet's authoritative list: every open care home and home-care site with SOR-ID, "
        "name, type, owner and CVR, P-number, visiting address, beliggenhedskommune and "
        "supervising authority. --changed-since DATE lists what changed since then (including "
        "closures). JSON by default, --csv for a semicolon-separated file Excel opens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--changed-since", metavar="YYYY-MM-DD")
        parser.add_argument("--csv", action="store_true", help="CSV instead of JSON")
        parser.add_argument("--json", action="store_true", help="JSON (the default)")

    def handle(self, *args, changed_since: str | None, csv: bool, **options) -> None:
        if changed_since:
            try:
                day = dt.date.fromisoformat(changed_since)
            except ValueError:
                raise CommandError(
                    f"--changed-since {changed_since!r} is not a date (YYYY-MM-DD)", returncode=2
                ) from None
            since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            rows = changes_since(since)
        else:
            rows = supervised_units()
        if csv:
            sys.stdout.write(as_csv(rows))
        else:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
