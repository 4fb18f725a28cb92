"""The weekly data-quality e-mail: one plain-text Danish summary (with an HTML alternative) per
municipality with findings, sent to each of that municipality's editors separately.

Recipients are the active users whose scope (`plov.accounts.scope.Scope`) makes them editors of
the organisation whose CVR is the municipality's, and who have an e-mail address. Editors of
private companies, other municipalities' editors, contract managers who are not also editors and
deactivated users get nothing; a municipality with no findings or no such editor gets no e-mail.

The dashboard link is absolute: `settings.WAGTAILADMIN_BASE_URL` (environment variable
`PLOV_BASE_URL`) followed by the municipality's dashboard path. The sender is
`settings.DEFAULT_FROM_EMAIL`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string

from plov import clock
from plov.accounts.scope import Scope
from plov.publishing.data_quality import KIND_HELP, KINDS, counts, detailed_findings
from plov.units.models import Municipality, Organisation

logger = logging.getLogger("plov.publishing")

TOP_UNITS = 10


@dataclass
class Summary:
    """What one municipality's editors get."""

    code: int
    name: str  # "Aarhus Kommune"
    recipients: list[str]
    counts: dict[str, int]  # kind → number of findings, every kind
    total: int
    top_units: list[dict] = field(default_factory=list)
    dashboard_url: str = ""
    week: tuple[int, int] = (0, 0)  # ISO year, week

    @property
    def subject(self) -> str:
        return f"Plejeoverblikket: datakvalitet i {self.name}, uge {self.week[1]} {self.week[0]}"

    def context(self) -> dict:
        return {
            "summary": self,
            "lines": [
                {"kind": k, "label": KINDS[k], "count": n, "help": KIND_HELP[k]}
                for k, n in self.counts.items()
                if n
            ],
        }

    def messages(self, connection=None) -> list[EmailMultiAlternatives]:
        """One e-mail per editor: colleagues' addresses are not shared with each other."""
        context = self.context()
        body = render_to_string("data_quality/weekly_mail.txt", context)
        html = render_to_string("data_quality/weekly_mail.html", context)
        result = []
        for recipient in self.recipients:
            message = EmailMultiAlternatives(
                subject=self.subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[recipient],
                connection=connection,
            )
            message.attach_alternative(html, "text/html")
            result.append(message)
        return result


def site_url() -> str:
    return (settings.WAGTAILADMIN_BASE_URL or "http://127.0.0.1:8000").rstrip("/")


def municipality_cvrs() -> dict[str, int]:
    """CVR number → kommunekode, for the municipalities' organisations."""
    return dict(
        Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY,
            cvr_number__isnull=False,
            municipality__isnull=False,
        ).values_list("cvr_number", "municipality_id")
    )


def editors_by_municipality() -> dict[int, list[str]]:
    """Kommunekode → the sorted e-mail addresses of the municipality's active editors."""
    code_by_cvr = municipality_cvrs()
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .select_related("plov_profile")
        .order_by("pk")
    )
    editors: dict[int, set[str]] = {}
    for user in users:
        scope = Scope.for_user(user)
        code = code_by_cvr.get(scope.cvr)
        if code is not None and scope.is_editor:
            editors.setdefault(code, set()).add(user.email.strip())
    return {code: sorted(addresses) for code, addresses in editors.items()}


def top_units(rows: list[dict], own_cvr: str = "", limit: int = TOP_UNITS) -> list[dict]:
    """The units with the most findings (then by name): name, SOR-ID, labels, and the link to
    the unit editor for the units owned by `own_cvr` (the ones the recipients may open)."""
    from django.urls import reverse

    per_unit: dict[int, list[dict]] = {}
    for r in rows:
        per_unit.setdefault(r["unit_id"], []).append(r)
    ranked = sorted(per_unit.values(), key=lambda rs: (-len(rs), rs[0]["name"].casefold()))
    return [
        {
            "name": rs[0]["name"],
            "sor_id": rs[0]["sor_id"] or "",
            "owner_name": rs[0]["owner_name"],
            "count": len(rs),
            "labels": [KINDS[k] for k in dict.fromkeys(r["kind"] for r in rs)],
            "url": site_url() + reverse("backoffice:edit", args=[rs[0]["unit_id"]])
            if own_cvr and rs[0]["owner_cvr"] == own_cvr
            else "",
        }
        for rs in ranked[:limit]
    ]


def summaries(*, kommune: int | None = None, today: dt.date | None = None) -> list[Summary]:
    """One summary per municipality with findings and editors (only `kommune` if given)."""
    from plov.publishing.views import dashboard_url

    today = today or clock.today()
    rows = detailed_findings(today=today)
    editors = editors_by_municipality()
    cvr_by_code = {code: cvr for cvr, code in municipality_cvrs().items()}
    full_names = {m.code: m.full_name for m in Municipality.objects.all()}
    by_municipality: dict[int, list[dict]] = {}
    for r in rows:
        if r["municipality"] is not None:
            by_municipality.setdefault(r["municipality"], []).append(r)
    year, week, _ = today.isocalendar()
    result = []
    for code, municipal_rows in sorted(by_municipality.items()):
        if kommune is not None and code != kommune:
            continue
        recipients = editors.get(code, [])
        if not recipients:
            continue
        per_kind = counts(municipal_rows)["national"]
        result.append(
            Summary(
                code=code,
                name=full_names.get(code, f"{municipal_rows[0]['municipality_name']} Kommune"),
                recipients=recipients,
                counts=per_kind,
                total=sum(per_kind.values()),
                top_units=top_units(municipal_rows, cvr_by_code.get(code, "")),
                dashboard_url=site_url() + dashboard_url(code),
                week=(year, week),
            )
        )
    return result


def send_weekly(
    *, kommune: int | None = None, today: dt.date | None = None, dry_run: bool = False
) -> list[Summary]:
    """Send (or with dry_run only build) the week's summaries; returns them."""
    result = summaries(kommune=kommune, today=today)
    if dry_run or not result:
        return result
    connection = get_connection()
    try:
        connection.send_messages([m for s in result for m in s.messages(connection)])
    except Exception:
        # Counts only: nothing about the recipients or the messages' text.
        logger.exception(
            "The weekly data-quality mail failed (%d municipalities)",
            len(result),
            extra={"municipalities": len(result)},
        )
        raise
    return result
