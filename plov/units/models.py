"""Municipalities, organisations and units.

Register data (SOR, CVR, DAR) and what editors write are kept in separate models:
`Unit` holds what the registers say and what the system derives from them; `UnitContent`
holds the editor's fields. An import never writes `UnitContent`; an editor's save never
writes `Unit`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField
from wagtail.models import LockableMixin, RevisionMixin


class Municipality(models.Model):
    """One of the 98 municipalities (kommuner). `code` is the 3-digit kommunekode as integer."""

    code = models.PositiveSmallIntegerField(primary_key=True)
    name = models.CharField(max_length=100)
    # "Københavns Kommune", "Bornholms Regionskommune": never "navn + Kommune" (the CSV's
    # officielt_navn; reference_data.load_municipalities).
    official_name = models.CharField("officielt navn", max_length=100, blank=True)
    region_code = models.PositiveSmallIntegerField()
    region_name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """The official name, e.g. "Københavns Kommune"."""
        return self.official_name or f"{self.name} Kommune"

    @property
    def code3(self) -> str:
        return f"{self.code:03d}"


class Organisation(models.Model):
    """An owner of units: a municipality or a company (institutionsejer in SOR)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", "Kommune"
        COMPANY = "company", "Virksomhed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=255)
    cvr_number = models.CharField(max_length=8, unique=True, null=True, blank=True)
    sor_id = models.CharField(max_length=20, unique=True, null=True, blank=True)
    municipality = models.OneToOneField(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="organisation"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        verbose_name_plural = "organisationer"

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    CARE_HOME = "care_home", "Plejeenhed"
    HOME_CARE_PROVIDER = "home_care_provider", "Helhedsplejeleverandør"
    HOME_CARE_SITE = "home_care_site", "Helhedsplejeleverandørsted"


class UnitQuerySet(models.QuerySet):
    def open(self) -> UnitQuerySet:
        return self.filter(closed_on__isnull=True)

    def published(self) -> UnitQuerySet:
        return self.filter(published=True, closed_on__isnull=True)


class Unit(models.Model):
    """A care home, a home-care provider (aggregate) or a home-care site, as the registers say.

    Every field here is written by the register importers or derived from register data;
    editors never write them (see `UnitContent`).
    """

    kind = models.CharField(max_length=20, choices=UnitKind.choices, db_index=True)
    sor_id = models.CharField("SOR-ID", max_length=20, unique=True, null=True, blank=True)
    name = models.CharField("navn", max_length=255)
    owner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="units")
    # Home-care sites hang under their owner's automatic home-care provider.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    # --- From SOR ---
    sor_type = models.CharField(max_length=2, blank=True)  # IE / SI / OE
    sor_unit_type = models.CharField("enhedstype", max_length=100, blank=True)
    sor_parent_id = models.CharField(max_length=20, blank=True)
    owner_type_name = models.CharField(max_length=100, blank=True)  # kommune / privat
    visiting_address = models.JSONField("besøgsadresse", default=dict, blank=True)
    postal_address = models.JSONField("postadresse", default=dict, blank=True)
    activity_address = models.JSONField("aktivitetsadresse", default=dict, blank=True)
    phone = models.CharField("telefon", max_length=50, blank=True)
    email = models.CharField("e-mail", max_length=255, blank=True)
    website = models.CharField("hjemmeside", max_length=500, blank=True)
    first_from_date = models.DateField(null=True, blank=True)
    from_date = models.DateField(null=True, blank=True)
    to_date = models.DateField(null=True, blank=True)
    register_hash = models.CharField(max_length=40, blank=True)

    # --- Derived from the registers ---
    nested_care_home = models.BooleanField(default=False)
    dar_address = models.ForeignKey(
        "registers.DarAddress",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units_located",
        help_text="Beliggenhedskommune: the municipality of the DAR visiting address.",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="Closed in SOR on this date: hidden, never deleted."
    )

    # --- Publication (cache of plov.publishing.rules, refreshed on every change) ---
    published = models.BooleanField(default=False, db_index=True)
    warnings = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    register_updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "enhed"
        verbose_name_plural = "enheder"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="home_care_provider") | models.Q(sor_id__isnull=False),
                name="unit_from_sor_has_sor_id",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """The unit's public page (shown or not: the page itself answers 404 when hidden)."""
        from plov.units.urls import unit_url

        return unit_url(self)

    @property
    def is_home_care(self) -> bool:
        return self.kind in (UnitKind.HOME_CARE_PROVIDER, UnitKind.HOME_CARE_SITE)

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class Profession(models.Model):
    """A staff profession (faggruppe) an editor can mark as present."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "faggruppe"
        verbose_name_plural = "faggrupper"

    def __str__(self) -> str:
        return self.name


class Property(models.Model):
    """A property (egenskab) from a grouped list, e.g. group 'Boligen', 'Altan'."""

    group = models.CharField(max_length=100)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["group", "name"]
        unique_together = [("group", "name")]
        verbose_name = "egenskab"
        verbose_name_plural = "egenskaber"

    def __str__(self) -> str:
        return f"{self.group}: {self.name}"


class HousingType(models.TextChoices):
    ELDER_ACT_47 = "aeldreloven_47", _("§47-plejehjem jf. Ældreloven")
    FREE_CARE = "friplejebolig", _("Friplejeboligbebyggelser jf. Lov om Friplejebolig")
    ELDER_HOUSING_ACT = "aeldreboligloven", _("Plejeboligbebyggelser jf. Ældreboligloven")
    PUBLIC_HOUSING_ACT = "almenboligloven", _("Plejeboligbebyggelser jf. almenboligloven")


class UnitContent(LockableMixin, RevisionMixin, models.Model):
    """What the unit's editors write (DOMAIN.md §4). Never touched by a register import."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="content")

    # Data
    p_number = models.CharField("P-nummer", max_length=10, blank=True)
    cvr_valid_from = models.DateField("CVR gældende fra", null=True, blank=True)

    # Personale
    sick_leave_days = models.DecimalField(
        "sygefravær (dage pr. fuldtidsansat)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    leader_changes = models.PositiveSmallIntegerField(
        "lederskift de seneste fem år", null=True, blank=True
    )
    employees = models.PositiveIntegerField("antal medarbejdere", null=True, blank=True)
    full_time_employees = models.DecimalField(
        "antal fuldtidsmedarbejdere", max_digits=7, decimal_places=1, null=True, blank=True
    )

    # Bolig
    housing_description = RichTextField("beskrivelse af boligerne", blank=True)
    homes = models.PositiveIntegerField("antal boliger", null=True, blank=True)
    homes_for_couples = models.PositiveIntegerField("boliger til par", null=True, blank=True)
    housing_type = models.CharField(
        "boligtype", max_length=30, choices=HousingType.choices, blank=True
    )
    temporary_homes = models.PositiveIntegerField("midlertidige boliger", null=True, blank=True)
    temporary_homes_for_couples = models.PositiveIntegerField(
        "midlertidige boliger til par", null=True, blank=True
    )

    # Priser: what a resident pays each month, in whole kroner (plov.units.costs). An empty
    # field is "ikke oplyst", never 0; 0 is a figure the editor entered ("ingen").
    rent_monthly = models.PositiveIntegerField("husleje pr. måned", null=True, blank=True)
    service_monthly = models.PositiveIntegerField("servicepakke pr. måned", null=True, blank=True)
    meals_monthly = models.PositiveIntegerField("forplejning pr. måned", null=True, blank=True)
    other_monthly = models.PositiveIntegerField(
        "andre faste udgifter pr. måned", null=True, blank=True
    )
    cost_valid_from = models.DateField("priserne gælder fra", null=True, blank=True)
    # When the editor last changed an amount (set on save, not typed): "Oplyst af enheden …".
    cost_reported_on = models.DateField("priserne oplyst", null=True, blank=True)
    # Home care: what the municipality charges nothing for, what extras cost (plain text).
    free_services = models.TextField("det koster ikke noget", blank=True)
    extra_services = models.TextField("tilkøbsydelser og priser", blank=True)

    # Ledige boliger (care homes), as of a date; older than PLOV_VACANCY_MAX_AGE_DAYS: outdated.
    free_homes = models.PositiveIntegerField("ledige boliger nu", null=True, blank=True)
    waiting_weeks = models.PositiveIntegerField("forventet ventetid (uger)", null=True, blank=True)
    vacancies_reported_on = models.DateField("ledige boliger oplyst", null=True, blank=True)

    # Kontakt
    leader_first_name = models.CharField("leders fornavn", max_length=100, blank=True)
    leader_last_name = models.CharField("leders efternavn", max_length=100, blank=True)

    # Billeder: image 1 is the front image in search results.
    image_1 = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_2 = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_3 = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    image_4 = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Faglig tilgang og aktiviteter
    values = RichTextField("værdigrundlag", blank=True)
    vision = RichTextField("overordnet vision", blank=True)
    approaches = RichTextField("faglige tilgange og metoder", blank=True)
    resident_relations = RichTextField("beboerrelation", blank=True)
    relatives = RichTextField("pårørende", blank=True)
    activities = RichTextField("aktiviteter", blank=True)
    food = RichTextField("tilgang til mad", blank=True)
    food_link = models.URLField("link til tilgang til mad", blank=True)
    surroundings = RichTextField("omgivelser", blank=True)
    civil_society = RichTextField("civilsamfund", blank=True)
    fixed_teams = models.BooleanField("faste teams", default=False)

    # Helhedspleje: what a citizen choosing home care asks about (plov.units.homecare)
    helpers_per_fortnight = models.PositiveSmallIntegerField(
        "forskellige hjælpere på 14 dage", null=True, blank=True
    )
    visit_window_minutes = models.PositiveSmallIntegerField(
        "besøg inden for minutter af aftalt tid", null=True, blank=True
    )
    punctuality_policy = models.TextField("når et besøg bliver forsinket", blank=True)
    # Comma-separated codes from plov.units.homecare.LANGUAGES / SERVICES
    languages = models.CharField("sprog ud over dansk", max_length=200, blank=True)
    services = models.CharField("ydelser", max_length=300, blank=True)

    # Forhold
    professions = models.ManyToManyField(Profession, blank=True, verbose_name="faggrupper")
    properties = models.ManyToManyField(Property, blank=True, verbose_name="egenskaber")

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "enhedens indhold"
        verbose_name_plural = "enhedernes indhold"

    def __str__(self) -> str:
        return str(self.unit)


class UnitDocument(models.Model):
    """A document or report published with a unit (DOMAIN.md §4)."""

    class DocumentType(models.TextChoices):
        SUPERVISION_REPORT = "tilsynsrapport", "Tilsynsrapport"
        SERVICE_DECLARATION = "kvalitetsstandard", "Kvalitetsstandard"
        PRICE_LIST = "prisliste", "Prisliste"
        OTHER = "andet", "Andet"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField("navn", max_length=255)
    document = models.ForeignKey("wagtaildocs.Document", on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField("dokumenttype", max_length=30, choices=DocumentType.choices)
    annulled = models.BooleanField("annulleret", default=False)

    class Meta:
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"

    def __str__(self) -> str:
        return self.name


class HousingDescription(models.Model):
    """A kind of home a care home offers (boligbeskrivelse)."""

    class Title(models.TextChoices):
        ONE_ROOM = "1-rumsbolig", "1-rumsbolig"
        TWO_ROOM = "2-rumsbolig", "2-rumsbolig"
        COUPLE = "parbolig", "Parbolig"
        TEMPORARY = "midlertidig", "Midlertidig bolig"

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="housing_descriptions")
    title = models.CharField("titel", max_length=30, choices=Title.choices)
    persons_per_home = models.PositiveSmallIntegerField("personer pr. bolig", default=1)
    rent = models.PositiveIntegerField("husleje (kr. pr. måned)", null=True, blank=True)
    deposit = models.PositiveIntegerField("indskud (kr.)", null=True, blank=True)
    rooms = models.PositiveSmallIntegerField("antal rum", null=True, blank=True)
    description = models.TextField("beskrivelse", blank=True)

    class Meta:
        verbose_name = "boligbeskrivelse"
        verbose_name_plural = "boligbeskrivelser"

    def __str__(self) -> str:
        return f"{self.get_title_display()} – {self.unit}"
