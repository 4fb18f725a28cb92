"""Background tasks (django-tasks). In production they are stored in the database and run by
`plov db_worker`; a failed task keeps its exception and traceback, shown to the agency under
*Kørsler* (/admin/koersler/)."""

from __future__ import annotations

from django_tasks import task

from plov.publishing.weekly_summary import send_weekly


@task()
def send_weekly_data_quality_mail(kommune: int | None = None) -> dict[str, int]:
    """The weekly data-quality mail (see `plov data-quality-mail`)."""
    sent = send_weekly(kommune=kommune)
    return {
        "municipalities": len(sent),
        "emails": sum(len(summary.recipients) for summary in sent),
    }
