"""Copies of the national registers' data that plov reads, and the log of every import."""

from __future__ import annotations

from django.db import models


class CvrProductionUnit(models.Model):
    """A CVR production unit (P-enhed), as the CVR distribution's `VrproduktionsEnhed`."""

    p_number = models.CharField("P-nummer", max_length=10, primary_key=True)
    name = models.CharField(max_length=255, blank=True)
    cvr_number = models.CharField(max_length=8, blank=True, db_index=True)
    primary_industry_code = models.CharField(max_length=6, blank=True)
    primary_industry_text = models.CharField(max_length=255, blank=True)
    # [{"code": "881010", "text": "Hjemmehjælp"}, ...] from bibranche1..3
    secondary_industries = models.JSONField(default=list, blank=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    full_time_employees = models.DecimalField(max_digits=8, decimal_places=1, null=True, blank=True)
    # CVR often gives only an interval code ("ANTAL_20_49"); shown as such, never as a number.
    employees_interval = models.CharField(max_length=40, blank=True)
    full_time_employees_interval = models.CharField(max_length=40, blank=True)
    employment_year = models.PositiveSmallIntegerField(null=True, blank=True)
    address = models.JSONField(default=dict, blank=True)
    municipality_code = models.PositiveSmallIntegerField(null=True, blank=True)
    record_hash = models.CharField(max_length=40)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "CVR-produktionsenhed"
        verbose_name_plural = "CVR-produktionsenheder"

    def __str__(self) -> str:
        return f"{self.p_number} {self.name}"

    @property
    def secondary_codes(self) -> list[str]:
        return [s["code"] for s in self.secondary_industries]


class DarAddress(models.Model):
    """An official address from DAR (in DAWA's flat `mini` shape)."""

    id = models.CharField(max_length=36, primary_key=True)
    status = models.PositiveSmallIntegerField()
    street_name = models.CharField(max_length=255)
    house_number = models.CharField(max_length=20)
    floor = models.CharField(max_length=20, blank=True)
    door = models.CharField(max_length=20, blank=True)
    postcode = models.CharField(max_length=4)
    postcode_name = models.CharField(max_length=100, blank=True)
    municipality_code = models.PositiveSmallIntegerField()
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    label = models.CharField(max_length=500, blank=True)
    # normalised "street|house|postcode", see plov.registers.addresses
    match_key = models.CharField(max_length=300)
    # What the address suggestions match a citizen's typing against: the address folded
    # (plov.folding) as "street number floor door postcode town", e.g.
    # "solvej 4 1 tv 8000 aarhus c". Filled by the DAR import; prefix index in bytewise order
    # (migration 0007: PostgreSQL's COLLATE "C", SQLite's default).
    search_text = models.CharField(max_length=600, blank=True, default="")
    # The fingerprint of the file's line the address was last imported from
    # (plov.registers.dar.line_fingerprint), on PostgreSQL: a re-import reads in full only
    # the lines that differ from it. Never compared as data: the import compares the columns.
    line_hash = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "DAR-adresse"
        verbose_name_plural = "DAR-adresser"
        indexes = [
            # One index serves both `match_key = …` / `IN (…)` (matching) and `LIKE 'x%'`
            # (the geocoder's street + number without postcode): on PostgreSQL the pattern
            # operator class does both, so the plain btree Django would add beside it is
            # left out (every index slows the import of 3.6 million rows). SQLite ignores
            # the operator class.
            models.Index(
                fields=["match_key"], name="dar_match_key", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.street_name} {self.house_number}, {self.postcode}"


class DarPostcode(models.Model):
    """A postcode's centre and name, derived from the valid DAR addresses by each DAR import
    that changes something: the geocoder's `adresse=8000` or `adresse=Viby J` reads one row
    here instead of averaging a postcode's thousands of addresses on every search."""

    postcode = models.CharField(max_length=4, primary_key=True)
    name = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    addresses = models.PositiveIntegerField()

    class Meta:
        verbose_name = "DAR-postnummer"
        verbose_name_plural = "DAR-postnumre"

    def __str__(self) -> str:
        return f"{self.postcode} {self.name}".strip()


class DarStreet(models.Model):
    """A street in one postcode (vejnavn + postnummer): its centre, town and number of valid
    addresses, derived from the DAR addresses by each DAR import that changes something. The
    address suggestions find streets here (a few hundred thousand rows: pg_trgm's GIN index for
    small typos, a prefix index for what is being typed) before they read the addresses."""

    street_name = models.CharField(max_length=255)
    postcode = models.CharField(max_length=4)
    town = models.CharField(max_length=100, blank=True)
    # plov.folding.fold of street_name and of town
    street_key = models.CharField(max_length=255)
    town_key = models.CharField(max_length=100, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    addresses = models.PositiveIntegerField()

    class Meta:
        verbose_name = "DAR-vej"
        verbose_name_plural = "DAR-veje"
        constraints = [
            models.UniqueConstraint(fields=["street_name", "postcode"], name="dar_street_unique")
        ]
        # Indexes on street_key and town_key: migration 0007 (bytewise prefix, and pg_trgm).

    def __str__(self) -> str:
        return f"{self.street_name}, {self.postcode} {self.town}".strip()


class ImportRun(models.Model):
    """One run of one importer: kept so the agency can see every nightly run later."""

    class Register(models.TextChoices):
        SOR = "sor", "SOR"
        CVR = "cvr", "CVR"
        DAR = "dar", "DAR"
        AGREEMENTS = "agreements", "Serviceleverancer"
        EDITORIAL = "editorial", "Redaktionelt indhold"
        AUTHORITIES = "authorities", "Tilsynsmyndigheder"
        QUALITY = "quality", "Kvalitetsindikatorer og brugertilfredshed"

    class Status(models.TextChoices):
        RUNNING = "running", "Kører"
        SUCCEEDED = "succeeded", "Gennemført"
        FAILED = "failed", "Fejlet"
        # not run: the file would have closed a mass of units, or another run was going on
        REFUSED = "refused", "Afvist"
        # left 'running' by a process that was killed; marked by the next import
        ABANDONED = "abandoned", "Afbrudt"

    register = models.CharField(max_length=20, choices=Register.choices)
    source = models.CharField(max_length=1000)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    trigger = models.CharField(max_length=20, default="cli")

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "registerkørsel"
        verbose_name_plural = "registerkørsler"

    def __str__(self) -> str:
        return f"{self.get_register_display()} {self.started_at:%Y-%m-%d %H:%M} {self.status}"
