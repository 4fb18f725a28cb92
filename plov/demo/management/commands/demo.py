"""`plov demo`: (re)build the demo country through the real importers."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, ModelLogEntry, Revision

from plov import clock
from plov.agreements.models import AgreementDescription, ServiceAgreement
from plov.applying.demo import create_demo_guidance
from plov.demo.generator import FILES, generate
from plov.demo.supervision import add_supervision
from plov.demo.users import DEFAULT_PASSWORD, create_demo_users
from plov.media.models import UnitMediaFolder
from plov.pages.demo import create_demo_pages
from plov.pages.permissions import grant_agency_page_permissions
from plov.publishing.registration_errors import registration_errors
from plov.registers.models import CvrProductionUnit, DarAddress, DarPostcode
from plov.registers.runs import refresh_after, run_import
from plov.supervision.models import QualityResult, Sanction, SupervisionFeedback
from plov.units.models import Municipality, Organisation, Unit, UnitContent, UnitKind

ERROR_LABELS = {
    "nested_care_home": "plejeenhed over/under plejeenhed",
    "invalid_address": "besøgsadresse ikke i DAR",
    "duplicate": "mulig dublet",
}


def clear_demo_data() -> None:
    """Delete what the registers and editors made: units, their content and agreements,
    organisations, CVR and DAR copies. Municipalities, supervising authorities, users and the
    import log stay."""
    # The units' media folders, emptied and removed below once the units are gone: the demo's
    # supervision reports and anything uploaded since (Wagtail deletes the files on commit).
    folders = list(UnitMediaFolder.objects.values_list("collection_id", flat=True))
    AgreementDescription.objects.all().delete()
    ServiceAgreement.all_objects.all().delete()
    Revision.objects.filter(
        base_content_type=ContentType.objects.get_for_model(ServiceAgreement)
    ).delete()
    content_types = ContentType.objects.get_for_models(UnitContent, Unit).values()
    Revision.objects.filter(base_content_type__in=content_types).delete()
    ModelLogEntry.objects.filter(content_type__in=content_types).delete()
    UnitContent.objects.all().delete()
    # Sites hang under their provider (PROTECT): children first.
    Unit.objects.filter(parent__isnull=False).delete()
    Unit.objects.all().delete()
    get_document_model().objects.filter(collection_id__in=folders).delete()
    get_image_model().objects.filter(collection_id__in=folders).delete()
    Collection.objects.filter(pk__in=folders).delete()
    Organisation.objects.all().delete()
    CvrProductionUnit.objects.all().delete()
    DarAddress.objects.all().delete()
    DarPostcode.objects.all().delete()


def build_demo(
    folder: Path, *, seed: int, scale: float, today: dt.date | None = None
) -> dict[str, list[str]]:
    """Clear, generate into `folder`, import in order, refresh publication once. Returns the
    rejected rows per register (empty when the generator and the importers agree)."""
    clear_demo_data()
    files = generate(folder, seed=seed, scale=scale, today=today)
    rejected = {}
    summaries = []
    for register, path in files.paths.items():
        # The demo replaces the whole country on purpose, whatever size it had before.
        summary, rejected[register] = run_import(
            register, path, trigger="demo", allow_mass_closure=True, refresh=False
        )
        summaries.append(summary)
    # Once, after every import: the registers' changes, with the agreements and editorial
    # content imported after them.
    refresh_after(*summaries)
    # Supervisors register feedback and sanctions in the back office: no file to import.
    add_supervision(seed=seed, today=today or clock.today())
    return rejected


class Command(BaseCommand):
    help = (
        "Build the demo: delete units, agreements, editorial content, organisations and the CVR "
        "and DAR copies (not municipalities, supervising authorities or other users), write "
        "realistic register files, import them with the real importers (dar, cvr, sor, "
        "agreements, editorial, quality), add supervision feedback and sanctions, and create "
        "one demo login per role. Running it again gives the same result."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size; 1.0 = about 1,000 care homes and 400 home-care sites",
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument(
            "--keep-files",
            type=Path,
            metavar="DIR",
            help="write the register files here and keep them",
        )

    def handle(self, *args, scale: float, seed: int, keep_files: Path | None, **options) -> None:
        if not 0 < scale <= 5:
            raise CommandError("--scale skal være over 0 og højst 5")
        if Municipality.objects.count() != 98:
            raise CommandError("kommunerne mangler i databasen: kør først `plov migrate`")
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix="plov-demo-") as tmp:
            folder = keep_files or Path(tmp)
            with transaction.atomic():
                rejected = build_demo(folder, seed=seed, scale=scale)
                logins = create_demo_users()
                grant_agency_page_permissions()
                create_demo_pages()
                create_demo_guidance()
        self.report(time.monotonic() - started, scale, seed, keep_files, rejected, logins)

    def report(
        self,
        seconds: float,
        scale: float,
        seed: int,
        keep_files: Path | None,
        rejected: dict[str, list[str]],
        logins: dict[str, tuple[str, str]],
    ) -> None:
        def n(value: int) -> str:
            return f"{value:,}".replace(",", ".")

        units = Unit.objects.exclude(kind=UnitKind.HOME_CARE_PROVIDER)
        open_units = units.open()
        care_homes = open_units.filter(kind=UnitKind.CARE_HOME).count()
        sites = open_units.filter(kind=UnitKind.HOME_CARE_SITE).count()
        published = open_units.filter(published=True).count()
        providers = Unit.objects.filter(kind=UnitKind.HOME_CARE_PROVIDER)
        errors = registration_errors()
        by_kind = Counter(e["kind"] for e in errors)
        today = clock.today()
        agreements = ServiceAgreement.objects.all()
        with_org = Organisation.objects.filter(municipality__isnull=False).count()
        out = self.stdout.write
        out(f"Demodata bygget på {seconds:.1f} s (skala {scale}, frø {seed}).")
        if keep_files:
            out(f"Registerfilerne ligger i {keep_files}: " + ", ".join(FILES.values()))
        out(
            f"  Kommuner:                      {Municipality.objects.count()} "
            f"({with_org} med organisation)"
        )
        out(
            f"  Plejeenheder:                  {n(care_homes)} "
            f"(+ {units.filter(closed_on__isnull=False).count()} lukkede enheder)"
        )
        out(f"  Helhedsplejeleverandørsteder:  {n(sites)}")
        out(
            f"  Helhedsplejeleverandører:      {providers.count()} "
            f"({providers.filter(published=True).count()} vist)"
        )
        out(
            f"  Private leverandører:          "
            f"{Organisation.objects.filter(kind=Organisation.Kind.COMPANY).count()}"
        )
        out(
            f"  Serviceleverancer:             {n(agreements.count())} "
            f"({n(agreements.in_force(today).count())} i kraft i dag)"
        )
        share = 100 * published / max(1, care_homes + sites)
        out(
            f"  Viste enheder:                 {n(published)} af {n(care_homes + sites)} "
            f"({share:.0f} %)"
        )
        out(
            f"  Registreringsfejl:             {len(errors)} ("
            + ", ".join(f"{ERROR_LABELS.get(k, k)}: {v}" for k, v in sorted(by_kind.items()))
            + ")"
        )
        today_feedback = SupervisionFeedback.objects.count()
        out(
            f"  Tilsynstilbagemeldinger:       {n(today_feedback)} "
            f"({n(Sanction.objects.in_force(today).count())} sanktioner i kraft, "
            f"{n(Sanction.objects.filter(lifted_on__isnull=False).count())} ophævede; "
            f"{n(SupervisionFeedback.objects.filter(document__isnull=False).count())} med "
            f"PDF-rapport, "
            f"{n(SupervisionFeedback.objects.exclude(report_url='').count())} med link)"
        )
        out(f"  Kvalitetsresultater:           {n(QualityResult.objects.count())}")
        for register, rows in rejected.items():
            if rows:
                self.stderr.write(f"  {register}: {len(rows)} afviste rækker, fx {rows[0]}")
        out(f'Demo-logins (adgangskode fra PLOV_DEMO_PASSWORD, ellers "{DEFAULT_PASSWORD}"):')
        for username, (role, cvr) in logins.items():
            out(f"  {username:<18} {role:<28} CVR {cvr}")
