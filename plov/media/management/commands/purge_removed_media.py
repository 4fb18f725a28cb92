from __future__ import annotations

from django.core.management.base import BaseCommand

from plov.media.models import restore_days
from plov.media.removal import purge


class Command(BaseCommand):
    help = (
        "Delete the images, documents and housing descriptions removed from units more than "
        "PLOV_MEDIA_RESTORE_DAYS (30) days ago, with their files; until then they can be "
        "restored from the unit's history. Also run at the end of `plov nightly`."
    )

    def handle(self, *args, **options) -> None:
        count = purge()
        self.stdout.write(f"removed media older than {restore_days()} days purged: {count}")
