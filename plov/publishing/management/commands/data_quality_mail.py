from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from plov.publishing.weekly_summary import send_weekly


class Command(BaseCommand):
    help = (
        "The weekly data-quality e-mail: one Danish summary per municipality with findings, to "
        "the municipality's active editors with an e-mail address (counts per kind, the units "
        "with most findings, a link to the dashboard). Municipalities with no findings or no "
        "editors get none. --dry-run prints what would be sent; --kommune CODE only that one; "
        "--enqueue leaves the sending to the background worker (plov db_worker)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kommune", type=int, metavar="CODE")
        parser.add_argument("--dry-run", action="store_true", help="print, send nothing")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue it for the background worker"
        )

    def handle(
        self, *args, kommune: int | None, dry_run: bool, enqueue: bool = False, **options
    ) -> None:
        if enqueue and not dry_run:
            from plov.publishing.tasks import send_weekly_data_quality_mail

            result = send_weekly_data_quality_mail.enqueue(kommune=kommune)
            self.stdout.write(f"Sat i kø som baggrundsopgave {result.id} ({result.status}).")
            return
        sent = send_weekly(kommune=kommune, dry_run=dry_run)
        for summary in sent:
            if dry_run:
                message = summary.messages()[0]
                self.stdout.write(f"Til: {', '.join(summary.recipients)} (hver for sig)")
                self.stdout.write(f"Emne: {message.subject}")
                self.stdout.write("")
                self.stdout.write(message.body)
                self.stdout.write("-" * 72)
            else:
                self.stdout.write(
                    f"{summary.code:03d} {summary.name}: {summary.total} fund, sendt til "
                    f"{len(summary.recipients)} redaktør(er)"
                )
        verb = "ville blive sendt" if dry_run else "sendt"
        count = sum(len(summary.recipients) for summary in sent)
        self.stdout.write(f"{count} e-mail(s) til {len(sent)} kommune(r) {verb}.")
