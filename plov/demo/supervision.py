"""The demo's quality results and supervision: what citizens compare and what Ældretilsynet says.

Quality indicators and satisfaction results arrive as the agency's CSV file, so the demo writes
one (`quality.csv`, the format `plov import quality` reads) and imports it like the registers.
Supervision feedback and sanctions have no file: supervisors register them in the back office,
so the demo writes them directly, after the import, for units that exist by then. Most
feedback gets a generated PDF report (`plov.demo.reports`), some a link to Ældretilsynet's
own published report instead (demo addresses under https://www.aeldretilsynet.dk/…/demo/,
which do not exist), a few neither.

Figures are drawn around plausible levels (a few per cent with pressure ulcers, most residents
satisfied); the national average in the file is the mean of the generated values, as the
agency's own files would have it. Each row says which way is better (`bedst`), and the
satisfaction rows how many answered (`antal`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from plov.demo.reports import report_pdf
from plov.media.images import stored_name
from plov.media.models import collections_for
from plov.supervision.authorities import authority_by_municipality
from plov.supervision.models import (
    Sanction,
    SanctionType,
    SupervisingAuthority,
    SupervisionFeedback,
    SupervisionStatus,
)
from plov.supervision.quality import COLUMNS as QUALITY_COLUMNS
from plov.units.models import Unit, UnitKind

SOURCE_INDICATORS = "Sundhedsdatastyrelsen, Ældreindikatorer"
SOURCE_SATISFACTION = "Brugertilfredshedsundersøgelsen (Sundhedsdatastyrelsen)"


@dataclass(frozen=True)
class Measure:
    code: str
    name: str
    kind: str  # the file's type column
    unit_of_measure: str
    mean: float
    spread: float
    low: float = 0.0
    high: float = 100.0
    care_homes: bool = True
    home_care: bool = True
    better: str = "højt"  # the file's `bedst`


MEASURES = [
    Measure(
        "AEI-01",
        "Genindlæggelser inden for 30 dage",
        "kvalitetsindikator",
        "%",
        11,
        4,
        better="lavt",
    ),
    Measure(
        "AEI-02",
        "Forebyggelige indlæggelser pr. 1.000 borgere",
        "kvalitetsindikator",
        "pr. 1.000",
        95,
        30,
        0,
        400,
        better="lavt",
    ),
    Measure(
        "AEI-03",
        "Beboere med tryksår",
        "kvalitetsindikator",
        "%",
        4,
        2,
        home_care=False,
        better="lavt",
    ),
    Measure(
        "AEI-04",
        "Beboere screenet for underernæring",
        "kvalitetsindikator",
        "%",
        78,
        12,
        home_care=False,
    ),
    Measure(
        "AEI-05",
        "Borgere der har fået tilbudt hverdagsrehabilitering",
        "kvalitetsindikator",
        "%",
        64,
        15,
        care_homes=False,
    ),
    Measure("BTU-01", "Tilfredse med hjælpen samlet set", "brugertilfredshed", "%", 86, 7),
    Measure("BTU-02", "Oplever at blive mødt med respekt", "brugertilfredshed", "%", 90, 6),
    Measure("BTU-03", "Tilfredse med maden", "brugertilfredshed", "%", 74, 10, home_care=False),
    Measure(
        "BTU-04",
        "Oplever at få hjælp af de samme medarbejdere",
        "brugertilfredshed",
        "%",
        58,
        14,
        care_homes=False,
    ),
]


def respondents(sor_id: str, is_care_home: bool) -> int:
    """How many answered the unit's satisfaction survey: one number per unit, drawn from the
    unit's own seed so that the demo's other random draws stay as they were."""
    draw = random.Random(f"respondents-{sor_id}")
    return draw.randint(12, 70) if is_care_home else draw.randint(40, 260)


def write_quality_file(path: Path, units, *, rng: random.Random, today: dt.date) -> int:
    """Write results for most open units (`units`: the generator's care units). Returns rows."""
    year = today.year - 1
    published = dt.date(today.year, 3, 1) if today >= dt.date(today.year, 3, 1) else None
    rows: list[list[str]] = []
    values: dict[str, list[float]] = {}
    for unit in units:
        if unit.problem in ("closed", "nested_child") or rng.random() < 0.15:
            continue  # new or small units have no figures yet
        for measure in MEASURES:
            if not (measure.care_homes if unit.is_care_home else measure.home_care):
                continue
            value = min(measure.high, max(measure.low, rng.gauss(measure.mean, measure.spread)))
            value = round(value, 1)
            values.setdefault(measure.code, []).append(value)
            rows.append([unit.sor_id, measure.code, str(value), unit.is_care_home])
    averages = {code: round(sum(v) / len(v), 1) for code, v in values.items()}
    by_code = {m.code: m for m in MEASURES}
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(QUALITY_COLUMNS)
        for sor_id, code, value, is_care_home in rows:
            measure = by_code[code]
            satisfaction = measure.kind == "brugertilfredshed"
            # Surveys have respondents; the register indicators give no count (the page then
            # uses the threshold rule, `plov.supervision.verdicts`).
            answered = str(respondents(sor_id, is_care_home)) if satisfaction else ""
            writer.writerow(
                [
                    sor_id,
                    measure.kind,
                    measure.code,
                    measure.name,
                    str(year),
                    value.replace(".", ","),
                    measure.unit_of_measure,
                    str(averages[code]).replace(".", ","),
                    SOURCE_SATISFACTION if satisfaction else SOURCE_INDICATORS,
                    published.isoformat() if published else "",
                    measure.better,
                    answered,
                ]
            )
    return len(rows)


SUMMARIES = {
    SupervisionStatus.NO_REMARKS: "Ældretilsynet har ingen bemærkninger. Beboerne og de "
    "pårørende, tilsynet talte med, oplever en tryg hverdag og en god kontakt til personalet.",
    SupervisionStatus.MINOR: "Ældretilsynet har mindre bemærkninger til dokumentationen af "
    "den daglige pleje. Stedet har selv beskrevet, hvordan det følger op.",
    SupervisionStatus.SIGNIFICANT: "Ældretilsynet har væsentlige bemærkninger til "
    "medicinhåndtering og til, hvordan ændringer i borgernes tilstand bliver opdaget.",
    SupervisionStatus.CRITICAL: "Ældretilsynet har kritiske bemærkninger: der mangler "
    "faglig ledelse og kendskab til borgernes behov, og tilsynet følger op med et påbud.",
}
THEMES = [
    "Medicinhåndtering; dokumentation",
    "Faglig ledelse; kompetencer hos personalet",
    "Borgernes selvbestemmelse; tidlig opsporing",
]


def add_supervision(*, seed: int, today: dt.date) -> dict[str, int]:
    """Feedback for about half the open units and a few sanctions (one of them lifted)."""
    rng = random.Random(seed * 7919 + 17)
    authorities = {a.name: a for a in SupervisingAuthority.objects.all()}
    coverage = authority_by_municipality(today)
    statuses = list(SUMMARIES)
    weights = [55, 30, 12, 3]
    feedback, sanctions = [], []
    units = (
        Unit.objects.open()
        .filter(kind__in=[UnitKind.CARE_HOME, UnitKind.HOME_CARE_SITE])
        .order_by("sor_id")
        .only("pk", "kind", "municipality_id", "name", "sor_id")
    )
    for unit in units:
        authority = authorities.get(coverage.get(unit.municipality_id, ""))
        if authority is None or rng.random() < 0.5:
            continue  # not inspected yet, or no authority (invalid address)
        status = rng.choices(statuses, weights)[0]
        inspected = today - dt.timedelta(days=rng.randint(20, 700))
        if rng.random() < 0.3:  # an earlier inspection, shown under "Tidligere tilsyn"
            earlier = inspected - dt.timedelta(days=rng.randint(300, 500))
            feedback.append(
                SupervisionFeedback(
                    unit=unit,
                    authority=authority,
                    inspected_on=earlier,
                    status=SupervisionStatus.MINOR,
                    summary=SUMMARIES[SupervisionStatus.MINOR],
                )
            )
        feedback.append(
            SupervisionFeedback(
                unit=unit,
                authority=authority,
                inspected_on=inspected,
                status=status,
                summary=SUMMARIES[status],
            )
        )
        if status == SupervisionStatus.CRITICAL or (
            status == SupervisionStatus.SIGNIFICANT and rng.random() < 0.25
        ):
            sanctions.append(_sanction(unit, authority, inspected, rng, today))
    reports = attach_reports(feedback, seed=seed)
    SupervisionFeedback.objects.bulk_create(feedback)
    Sanction.objects.bulk_create(sanctions)
    comments = add_replies(seed=seed)
    return {
        **reports,
        "feedback": len(feedback),
        "unit_comments": comments,
        "sanctions": len(sanctions),
        "sanctions_in_force": Sanction.objects.in_force(today).count(),
    }


PDF_SHARE = 0.8  # of the feedback: the supervisor's PDF, as registered in the back office
LINK_SHARE = 0.1  # a link to Ældretilsynet's own published report instead; the rest: neither
DEMO_REPORT_URL = "https://www.aeldretilsynet.dk/tilsynsrapporter/demo/{sor_id}-{date}"


def attach_reports(feedback: list[SupervisionFeedback], *, seed: int) -> dict[str, int]:
    """Give most feedback a generated PDF report (`plov.demo.reports`) in the unit's media
    folder, as the back office stores an upload, and some a link instead.

    Draws come from their own generator, so that the demo's other random choices stay as they
    were. The documents are written straight to the storage and inserted in one query (no
    search-index task per document): the demo stays fast."""
    rng = random.Random(seed * 104729 + 3)
    storage = get_document_model()._meta.get_field("file").storage
    documents, with_pdf = [], []
    links = 0
    for item in feedback:
        draw = rng.random()
        if draw < PDF_SHARE:
            with_pdf.append(item)
        elif draw < PDF_SHARE + LINK_SHARE:
            item.report_url = DEMO_REPORT_URL.format(
                sor_id=item.unit.sor_id, date=item.inspected_on.isoformat()
            )
            links += 1
    folders = collections_for([item.unit for item in with_pdf])
    for item in with_pdf:
        data = report_pdf(
            unit_name=item.unit.name,
            authority=item.authority.name,
            inspected_on=item.inspected_on,
            status_label=str(SupervisionStatus(item.status).label),
            status=item.status,
            summary=item.summary,
        )
        # named as the back office names an upload (plov.supervision.views)
        name = storage.save(
            f"documents/{stored_name(f'tilsyn-{item.inspected_on:%Y-%m-%d}', 'pdf')}",
            ContentFile(data),
        )
        documents.append(
            get_document_model()(
                title=f"Tilsynsrapport {item.inspected_on:%d.%m.%Y}",
                file=name,
                collection=folders[item.unit_id],
                file_size=len(data),
                file_hash=hashlib.sha1(data).hexdigest(),
            )
        )
    get_document_model().objects.bulk_create(documents)
    for item, document in zip(with_pdf, documents, strict=True):
        item.document = document
    return {"reports_pdf": len(documents), "reports_link": links}


def _sanction(unit: Unit, authority, inspected: dt.date, rng: random.Random, today: dt.date):
    decided = min(today, inspected + dt.timedelta(days=rng.randint(10, 30)))
    kind = rng.choice([SanctionType.ORDER, SanctionType.ORDER, SanctionType.ADVICE_ORDER, "ban"])
    sanction = Sanction(
        unit=unit, authority=authority, decided_on=decided, themes=rng.choice(THEMES)
    )
    if kind == "ban":
        sanction.type = (
            SanctionType.BAN_NEW_RESIDENTS
            if unit.kind == UnitKind.CARE_HOME
            else SanctionType.BAN_NEW_CITIZENS
        )
        sanction.period_end = decided + dt.timedelta(days=rng.choice([90, 180]))
    else:
        sanction.type = kind
        sanction.deadline = decided + dt.timedelta(days=rng.choice([60, 90, 120]))
    if decided < today - dt.timedelta(days=200):
        # Complied with long ago: lifted, shown in the unit's history.
        sanction.lifted_on = decided + dt.timedelta(days=rng.randint(60, 150))
    return sanction


REPLIES = {
    SupervisionStatus.MINOR: [
        "Vi har gennemgået dokumentationen med alle medarbejdere og indført en fast "
        "ugentlig opfølgning.",
        "Tak for et godt tilsyn. De mindre forhold er rettet, og vi følger op på næste "
        "personalemøde.",
    ],
    SupervisionStatus.SIGNIFICANT: [
        "Vi har siden tilsynet ansat en ekstra sygeplejerske og indført dobbeltkontrol af "
        "medicin. Pårørende er velkomne til at spørge os om arbejdet.",
        "Vi er enige i, at dokumentationen skal styrkes. Alle medarbejdere har fået "
        "undervisning, og en handleplan er sendt til tilsynet.",
    ],
    SupervisionStatus.CRITICAL: [
        "Vi tager tilsynets vurdering alvorligt. En ny leder er tiltrådt, og vi arbejder efter "
        "en handleplan, som tilsynet følger.",
    ],
}


def add_replies(*, seed: int) -> int:
    """The units' own comments on about a third of the feedback with remarks (right of
    reply), each a version by the system, as an editor's save would make it."""
    from plov.supervision.replies import save_reply

    rng = random.Random(seed * 104729 + 3)
    made = 0
    feedback = SupervisionFeedback.objects.exclude(status=SupervisionStatus.NO_REMARKS).order_by(
        "unit_id", "-inspected_on", "-pk"
    )
    seen: set[int] = set()
    for item in feedback:
        if item.unit_id in seen:
            continue  # the latest feedback of each unit
        seen.add(item.unit_id)
        if rng.random() < 0.35:
            save_reply(item, rng.choice(REPLIES[item.status]), by=None, base_revision="")
            made += 1
    return made
