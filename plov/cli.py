"""The `plov` command: plov's own commands, and Django's management commands passed through.

plov import sor|cvr|dar|agreements|editorial|authorities|quality PATH [--allow-mass-closure]
plov import-runs [--register R] [--limit N]
plov units [--kommune CODE] [--all] --json
plov check-pnumber PNR
plov registration-errors --json
plov supervision-list [--changed-since DATE] [--csv]
plov data-quality [--kommune CODE] [--list] --json
plov data-quality-mail [--kommune CODE] [--dry-run]
plov demo
plov nightly DIR [--allow-mass-closure]
plov serve [--bind HOST:PORT]   (gunicorn; workers and threads from PLOV_WEB_WORKERS/THREADS)
plov db_worker                  (runs background tasks: the weekly mail, Wagtail's tasks)
plov purge-removed-media
plov migrate | runserver | …   (any Django management command)

Settings: plov.settings.production unless DJANGO_SETTINGS_MODULE names others
(scripts/demo uses plov.settings.dev, the tests plov.settings.test).
"""

from __future__ import annotations

import os
import sys

# plov's names for its commands → the Django management commands that implement them.
ALIASES = {
    "import": "import_register",
    "import-runs": "import_runs",
    "check-pnumber": "check_pnumber",
    "registration-errors": "registration_errors",
    "supervision-list": "supervision_list",
    "data-quality": "data_quality",
    "data-quality-mail": "data_quality_mail",
    "purge-removed-media": "purge_removed_media",
}


def serve(args: list[str]) -> None:
    """Replace this process with gunicorn serving plov.wsgi (production settings unless told
    otherwise). PLOV_WEB_BIND (127.0.0.1:8000), PLOV_WEB_WORKERS (2), PLOV_WEB_THREADS (4) and
    PLOV_WEB_TIMEOUT (60 s) from the environment; any further arguments go to gunicorn."""
    env = os.environ
    command = [
        sys.executable, "-m", "gunicorn", "plov.wsgi:application",
        f"--bind={env.get('PLOV_WEB_BIND', '127.0.0.1:8000')}",
        f"--workers={env.get('PLOV_WEB_WORKERS', '2')}",
        f"--threads={env.get('PLOV_WEB_THREADS', '4')}",
        "--worker-class=gthread",
        f"--timeout={env.get('PLOV_WEB_TIMEOUT', '60')}",
        "--graceful-timeout=30",
        "--keep-alive=5",
        # Requests are logged by plov itself (plov.request: JSON, no query strings).
        "--error-logfile=-",
        *args,
    ]  # fmt: skip
    os.execv(sys.executable, command)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plov.settings.production")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        print(__doc__)
        print("`plov COMMAND --help` explains each command.")
        if len(argv) < 2:
            sys.exit(2)
        return
    if argv[1] == "serve":
        serve(argv[2:])
        return
    argv = [argv[0], ALIASES.get(argv[1], argv[1]), *argv[2:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
