"""The `plov` command: plov's own commands, and Django's management commands passed through.

plov import sor|cvr|dar|agreements|editorial|authorities|quality PATH
plov units [--kommune CODE] [--all] --json
plov check-pnumber PNR
plov registration-errors --json
plov supervision-list [--changed-since DATE] [--csv]
plov data-quality [--kommune CODE] [--list] --json
plov data-quality-mail [--kommune CODE] [--dry-run]
plov demo
plov nightly DIR
plov purge-removed-media
plov migrate | runserver | …   (any Django management command)
"""

from __future__ import annotations

import os
import sys

# plov's names for its commands → the Django management commands that implement them.
ALIASES = {
    "import": "import_register",
    "check-pnumber": "check_pnumber",
    "registration-errors": "registration_errors",
    "supervision-list": "supervision_list",
    "data-quality": "data_quality",
    "data-quality-mail": "data_quality_mail",
    "purge-removed-media": "purge_removed_media",
}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plov.settings.dev")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        print(__doc__)
        print("`plov COMMAND --help` explains each command.")
        if len(argv) < 2:
            sys.exit(2)
        return
    argv = [argv[0], ALIASES.get(argv[1], argv[1]), *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
