from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.utils.timezone import localtime

from plov.registers.guards import mark_abandoned_runs
from plov.registers.models import ImportRun


class Command(BaseCommand):
    help = (
        "Vis de seneste registerkørsler, nyeste først: start, register, status, udløser, fil og "
        "fejl eller afvisning. En kørsel, der står som 'Kører', men hvis proces er væk (f.eks. "
        "stoppet med SIGKILL), markeres først som afbrudt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--register", choices=ImportRun.Register.values)
        parser.add_argument("--limit", type=int, default=20, help="hvor mange (standard 20)")

    def handle(self, *args, register: str | None, limit: int, **options) -> None:
        mark_abandoned_runs()
        runs = ImportRun.objects.order_by("-started_at")
        if register:
            runs = runs.filter(register=register)
        for run in runs[:limit]:
            line = (
                f"{localtime(run.started_at):%d.%m.%Y %H:%M:%S}  {run.register:<11} "
                f"{run.get_status_display():<10} {run.trigger:<7} {run.source}"
            )
            self.stdout.write(line)
            if run.error:
                self.stdout.write(f"    {run.error}")
