"""The open-data dictionary: every CSV column and every API field, what it means (Danish and
English), its type, the register it comes from and an example.

This module is the one place a column or field is described. It drives:

- the CSV headers (`CSV_COLUMNS` → `plov.opendata.exports.CSV_HEADER`; the transition list's
  `TRANSITION_COLUMNS` → `plov.public.views_transition`),
- the OpenAPI field descriptions (`describe(schema, field)` in `plov.opendata.api`),
- the data dictionary shown on the open-data page (`/data/`, `/en/data/`).

tests/test_opendata_dictionary.py proves that each CSV column and each API field of the open
data is here and the reverse, and that a published CSV column is never renamed or removed
without a new CSV version (`FROZEN_CSV_COLUMNS`).

To add a column or field: add a `Term` here (and, for a CSV column, append its name to the
current version's frozen list — adding is backwards compatible; renaming or removing is not:
start a new version), then fill it in `exports.csv_row` or the API schema.
"""

from __future__ import annotations

from dataclasses import dataclass

# --- Types and sources ---------------------------------------------------------------------

TYPES: dict[str, tuple[str, str]] = {
    # code: (Danish, English)
    "text": ("tekst", "text"),
    "integer": ("heltal", "integer"),
    "decimal": ("decimaltal (CSV: decimalkomma)", "decimal number (CSV: decimal comma)"),
    "boolean": ("sand/falsk", "true/false"),
    "date": ("dato (ÅÅÅÅ-MM-DD)", "date (YYYY-MM-DD)"),
    "datetime": (
        "tidspunkt (ISO 8601 med UTC-forskydning)",
        "date and time (ISO 8601 with UTC offset)",
    ),
    "code": ("kode (en af de nævnte værdier)", "code (one of the values named)"),
    "url": ("webadresse (URL)", "web address (URL)"),
    "list": ("liste", "list"),
    "object": ("objekt", "object"),
}

SOURCES: dict[str, tuple[str, str]] = {
    "SOR": (
        "SOR (Sundhedsvæsenets Organisationsregister)",
        "SOR (the Danish health-care organisation register)",
    ),
    "CVR": ("CVR (Det Centrale Virksomhedsregister)", "CVR (the Central Business Register)"),
    "DAR": ("DAR (Danmarks Adresseregister)", "DAR (the Danish Address Register)"),
    "editor": ("enhedens redaktør i Plejeoverblikket", "the unit's editor in Plejeoverblikket"),
    "agreements": (
        "kommunernes aftaler (serviceleverancer)",
        "the municipalities' service agreements",
    ),
    "authorities": (
        "Ældretilsynets fordeling af kommuner på tilsynsmyndigheder",
        "Ældretilsynet's table of which authority supervises which municipality",
    ),
    "supervision": ("tilsynets tilbagemeldinger", "the supervisors' feedback"),
    "quality": (
        "kvalitetsindikatorer og brugertilfredshed (årlige tal)",
        "quality indicators and user satisfaction (yearly figures)",
    ),
    "transition": ("Ældretilsynets overgangsliste", "Ældretilsynet's transition list"),
    "plov": (
        "Plejeoverblikket selv (afledt af de andre kilder)",
        "Plejeoverblikket itself (derived from the other sources)",
    ),
    "municipalities": ("DAGI's kommuneliste", "DAGI's list of municipalities"),
}


@dataclass(frozen=True)
class Term:
    """One column of a CSV file or one field of an API schema."""

    name: str  # the CSV column's header or the API field's name
    da: str  # meaning, Danish
    en: str  # meaning, English
    type: str  # a key of TYPES
    source: str  # a key of SOURCES
    example: str  # as it appears in the file or the JSON ("" = often empty)

    @property
    def type_da(self) -> str:
        return TYPES[self.type][0]

    @property
    def type_en(self) -> str:
        return TYPES[self.type][1]

    @property
    def source_da(self) -> str:
        return SOURCES[self.source][0]

    @property
    def source_en(self) -> str:
        return SOURCES[self.source][1]

    def description(self) -> str:
        """The OpenAPI description: Danish, then English in parentheses."""
        return f"{self.da} (English: {self.en})"


def T(name, da, en, type, source, example="") -> Term:
    return Term(name, da, en, type, source, example)


# --- /data/enheder.csv ---------------------------------------------------------------------

CSV_VERSION = "1"

CSV_COLUMNS: list[Term] = [
    T(
        "SOR-ID",
        "Enhedens SOR-ID. Tomt for en helhedsplejeleverandør: den står ikke selv i "
        "SOR, men dannes af Plejeoverblikket over ejerens helhedsplejeleverandørsteder (se "
        "kolonnen Helhedsplejeleverandørsteder); kolonnen ID kender alle rækker.",
        "The unit's "
        "SOR ID. Empty for a home-care provider: it is not in SOR itself but formed by "
        "Plejeoverblikket over the owner's home-care sites (see the column "
        "Helhedsplejeleverandørsteder); the column ID identifies every row.",
        "text",
        "SOR",
        "1234561000016007",
    ),
    T(
        "Navn",
        "Enhedens navn, som i SOR.",
        "The unit's name, as in SOR.",
        "text",
        "SOR",
        "Plejehjemmet Solgården",
    ),
    T(
        "Type",
        "Enhedstypen på dansk: plejeenhed, helhedsplejeleverandørsted eller "
        "helhedsplejeleverandør.",
        "The kind of unit, in Danish: care home (plejeenhed), "
        "home-care site (helhedsplejeleverandørsted) or home-care provider "
        "(helhedsplejeleverandør).",
        "text",
        "SOR",
        "Plejeenhed",
    ),
    T(
        "Ejer",
        "Ejeren (institutionsejer i SOR); en kommune med sit officielle navn.",
        "The owner (the institution owner in SOR); a municipality by its official name.",
        "text",
        "SOR",
        "Aarhus Kommune",
    ),
    T(
        "Ejers CVR",
        "Ejerens CVR-nummer (8 cifre).",
        "The owner's CVR number (8 digits).",
        "text",
        "SOR",
        "55133018",
    ),
    T(
        "Adresse",
        "Besøgsadressens vej, husnummer, etage og dør. Tom for en "
        "helhedsplejeleverandør, som ingen adresse har: dens steder har.",
        "The visiting "
        "address: street, house number, floor and door. Empty for a home-care provider, which "
        "has no address: its sites have.",
        "text",
        "DAR",
        "Solvej 4",
    ),
    T(
        "Postnummer",
        "Besøgsadressens postnummer.",
        "The visiting address's postcode.",
        "text",
        "DAR",
        "8000",
    ),
    T(
        "By",
        "Besøgsadressens postdistrikt.",
        "The visiting address's postal district.",
        "text",
        "DAR",
        "Aarhus C",
    ),
    T(
        "Beliggenhedskommune",
        "Kommunen, besøgsadressen ligger i.",
        "The municipality the visiting address lies in.",
        "text",
        "DAR",
        "Aarhus",
    ),
    T(
        "Tilsynsmyndighed",
        "Den tilsynsmyndighed, der i dag fører tilsyn i beliggenhedskommunen.",
        "The supervising authority that covers the municipality today.",
        "text",
        "authorities",
        "Ældretilsynet Midt",
    ),
    T(
        "Antal boliger",
        "Antal boliger, som enhedens redaktør har oplyst.",
        "The number of homes, as the unit's editor gives it.",
        "integer",
        "editor",
        "48",
    ),
    T(
        "Medarbejdere",
        "Antal medarbejdere: redaktørens tal, ellers CVR's; giver CVR kun et "
        "interval, står intervallet (fx 20–49 eller 1000 eller flere).",
        "The number of "
        "employees: the editor's figure, else CVR's; where CVR gives only an interval, the "
        "interval (e.g. 20–49 or 1000 eller flere).",
        "text",
        "CVR",
        "20–49",
    ),
    T(
        "Fuldtidsmedarbejdere",
        "Antal fuldtidsmedarbejdere: redaktørens tal, ellers CVR's.",
        "The number of full-time employees: the editor's figure, else CVR's.",
        "decimal",
        "CVR",
        "31,5",
    ),
    T(
        "Kommuner med aftale",
        "Kommuner, hvis borgere ser enheden i søgningen i dag "
        "(gældende aftale), adskilt af komma; for en helhedsplejeleverandør de kommuner, hvor "
        "dens steder vises.",
        "The municipalities whose citizens see the unit in their search "
        "today (an agreement in force), separated by commas; for a home-care provider, those "
        "where its sites are shown.",
        "text",
        "agreements",
        "Aarhus, Odder",
    ),
    T(
        "Senest opdateret",
        "Hvornår enhedens data sidst ændrede sig (registerdata eller "
        "redaktørens indhold), dansk tid.",
        "When the unit's data last changed (register data or the editor's content), Danish time.",
        "datetime",
        "plov",
        "2026-03-02 14:05:00+01:00",
    ),
    # Appended in version 1 (issue 12, point 6): what home care is compared on.
    T(
        "Faste teams",
        "`ja`, hvis borgerne får hjælp af den samme lille gruppe medarbejdere "
        "(redaktørens oplysning), `nej` hvis ikke; tom, hvis enheden ikke har udfyldt noget.",
        "`ja` (yes) if people are helped by the same small group of staff (the editor's "
        "statement), `nej` (no) if not; empty if the unit has filled in nothing.",
        "text",
        "editor",
        "ja",
    ),
    T(
        "Forskellige hjælpere på 14 dage",
        "Helhedspleje: typisk antal forskellige hjælpere, "
        "en borger møder på 14 dage (1–60); tom for plejehjem og når det ikke er oplyst.",
        "Home care: the typical number of different helpers a person meets in 14 days (1–60); "
        "empty for care homes and when not stated.",
        "integer",
        "editor",
        "8",
    ),
    T(
        "Besøg inden for minutter af aftalt tid",
        "Helhedspleje: besøget kommer højst så mange "
        "minutter før eller efter det aftalte tidspunkt (0–240).",
        "Home care: a visit comes "
        "at most this many minutes before or after the agreed time (0–240).",
        "integer",
        "editor",
        "30",
    ),
    T(
        "Sprog ud over dansk",
        "Helhedspleje: sprog, medarbejderne taler med borgerne ud over "
        "dansk, på dansk, adskilt af komma.",
        "Home care: languages the staff speak with the "
        "people they help besides Danish, named in Danish, separated by commas.",
        "text",
        "editor",
        "Engelsk, Polsk",
    ),
    T(
        "Ydelser",
        "Helhedspleje: de ydelser, enheden leverer, adskilt af komma.",
        "Home care: the services the unit offers, separated by commas.",
        "text",
        "editor",
        "Personlig pleje, Praktisk hjælp (rengøring og tøjvask)",
    ),
    # Monthly cost and vacancies (care homes; plov.units.costs): empty = not given, never 0.
    T(
        "Husleje pr. måned",
        "Plejehjem: husleje pr. måned i hele kroner, før boligydelse; tom, hvis ikke oplyst.",
        "Care homes: the rent per month in whole kroner, before housing "
        "benefit; empty if not given.",
        "integer",
        "editor",
        "7850",
    ),
    T(
        "Servicepakke pr. måned",
        "Plejehjem: servicepakken pr. måned i kroner.",
        "Care homes: the service package per month, kroner.",
        "integer",
        "editor",
        "650",
    ),
    T(
        "Forplejning pr. måned",
        "Plejehjem: forplejning (mad) pr. måned i kroner.",
        "Care homes: meals per month, kroner.",
        "integer",
        "editor",
        "3900",
    ),
    T(
        "Andre faste udgifter pr. måned",
        "Plejehjem: andre faste udgifter pr. måned i kroner (0 = ingen).",
        "Care homes: other fixed charges per month, kroner (0 = none).",
        "integer",
        "editor",
        "0",
    ),
    T(
        "Pris pr. måned i alt",
        "Summen af de fire beløb; tom, hvis ét af dem ikke er oplyst.",
        "The sum of the four amounts; empty if any of them is not given.",
        "integer",
        "editor",
        "12400",
    ),
    T(
        "Priser gælder fra",
        "Datoen, priserne gælder fra.",
        "The date the prices apply from.",
        "date",
        "editor",
        "2026-01-01",
    ),
    T(
        "Priser kilde",
        "Hvor priserne kommer fra: `unit` (enhedens redaktør).",
        "Where the prices come from: `unit` (the unit's editor).",
        "code",
        "editor",
        "unit",
    ),
    T(
        "Priser oplyst",
        "Dagen, enheden sidst ændrede et beløb.",
        "The day the unit last changed an amount.",
        "date",
        "editor",
        "2026-03-12",
    ),
    T(
        "Ledige boliger",
        "Plejehjem: antal ledige boliger, som enheden har oplyst.",
        "Care homes: the number of free homes the unit reported.",
        "integer",
        "editor",
        "2",
    ),
    T(
        "Ventetid i uger",
        "Plejehjem: forventet ventetid i uger for den, der vælger netop dette plejehjem.",
        "Care homes: the expected wait in weeks for someone choosing this care home.",
        "integer",
        "editor",
        "6",
    ),
    T(
        "Ledige boliger kilde",
        "Hvor tallene kommer fra: `unit` (enhedens redaktør).",
        "Where the figures come from: `unit` (the unit's editor).",
        "code",
        "editor",
        "unit",
    ),
    T(
        "Ledige boliger oplyst",
        "Dagen, tallene er oplyst.",
        "The day the figures were reported.",
        "date",
        "editor",
        "2026-03-10",
    ),
    T(
        "Ledige boliger forældet",
        "`ja`, når oplysningen er ældre end "
        "PLOV_VACANCY_MAX_AGE_DAYS (30) dage og ikke skal læses som aktuel; ellers `nej`.",
        "`ja` (yes) when the report is older than PLOV_VACANCY_MAX_AGE_DAYS (30) days and must "
        "not be read as current; else `nej` (no).",
        "code",
        "plov",
        "nej",
    ),
    # Appended in version 1 (issue 16, point 8): what the unit page shows.
    T(
        "ID",
        "Plejeoverblikkets faste id for rækken; det samme som API'ets `id` og tallet i "
        "enhedens adresse på siden. Alle rækker har et, også helhedsplejeleverandører uden "
        "SOR-ID.",
        "Plejeoverblikket's stable id for the row; the same as the API's `id` and "
        "the number in the unit's page address. Every row has one, home-care providers without "
        "a SOR ID too.",
        "integer",
        "plov",
        "42",
    ),
    T(
        "Offentlig side",
        "Enhedens side på Plejeoverblikket.",
        "The unit's page on Plejeoverblikket.",
        "url",
        "plov",
        "https://plejeoverblikket.dk/enhed/42/plejehjemmet-solgaarden/",
    ),
    T(
        "Breddegrad",
        "Besøgsadressens breddegrad (WGS84), decimalkomma.",
        "The visiting address's latitude (WGS84), decimal comma.",
        "decimal",
        "DAR",
        "56,153500",
    ),
    T(
        "Længdegrad",
        "Besøgsadressens længdegrad (WGS84), decimalkomma.",
        "The visiting address's longitude (WGS84), decimal comma.",
        "decimal",
        "DAR",
        "10,203900",
    ),
    T(
        "Seneste tilsyn",
        "Dagen for det seneste tilsyn, som tilsynet har meldt tilbage.",
        "The day of the latest inspection the supervisors have reported.",
        "date",
        "supervision",
        "2025-11-12",
    ),
    T(
        "Tilsynsresultat",
        "Resultatet af det seneste tilsyn (Ældretilsynets samlede vurdering).",
        "The result of the latest inspection (Ældretilsynet's overall assessment).",
        "text",
        "supervision",
        "Mindre bemærkninger",
    ),
    T(
        "Sanktioner i kraft",
        "Sanktioner (påbud, forbud), der gælder i dag, med afgørelsesdato; adskilt af semikolon.",
        "Sanctions (orders, bans) in force today, with the day decided; separated by semicolons.",
        "text",
        "supervision",
        "Påbud om at sikre kvaliteten (2025-10-01)",
    ),
    T(
        "Kvalitet og tilfredshed",
        "Det nyeste tal for hver kvalitetsindikator og "
        "tilfredshedsmåling med dets år (periode), som på enhedens side; adskilt af semikolon.",
        "The newest figure of each quality indicator and satisfaction result with its year "
        "(period), as on the unit's page; separated by semicolons.",
        "text",
        "quality",
        "Beboere med tryksår 2025: 5,4 %",
    ),
    T(
        "Helhedsplejeleverandørsteder",
        "For en helhedsplejeleverandør: de viste steder, den består af, adskilt af komma.",
        "For a home-care provider: the shown sites it consists of, separated by commas.",
        "text",
        "SOR",
        "Hjemmeplejen Nord, Hjemmeplejen Syd",
    ),
    T(
        "Tilsynsrapport",
        "Adressen på den nyeste tilsynsrapport: tilsynets PDF på "
        "Plejeoverblikket, ellers linket til Ældretilsynets egen offentliggjorte rapport; tom, "
        "hvis ingen rapport er lagt ind.",
        "The address of the latest supervision report: the "
        "supervisor's PDF on Plejeoverblikket, else the link to Ældretilsynet's own published "
        "report; empty when no report has been added.",
        "url",
        "supervision",
        "https://plejeoverblikket.dk/documents/311/tilsyn-2026-03-12.pdf",
    ),
    T(
        "Tilsynsrapportens dato",
        "Tilsynsdatoen for rapporten i «Tilsynsrapport».",
        "The date of the inspection the report in «Tilsynsrapport» is about.",
        "date",
        "supervision",
        "2026-03-12",
    ),
]

# The columns each published CSV version has, in order. Never edit an old version's list. A
# new column may be appended to the current version (old readers ignore it); renaming or
# removing one needs a new version (CSV_VERSION and a new list).
FROZEN_CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "1": (
        "SOR-ID",
        "Navn",
        "Type",
        "Ejer",
        "Ejers CVR",
        "Adresse",
        "Postnummer",
        "By",
        "Beliggenhedskommune",
        "Tilsynsmyndighed",
        "Antal boliger",
        "Medarbejdere",
        "Fuldtidsmedarbejdere",
        "Kommuner med aftale",
        "Senest opdateret",
        "Faste teams",
        "Forskellige hjælpere på 14 dage",
        "Besøg inden for minutter af aftalt tid",
        "Sprog ud over dansk",
        "Ydelser",
        "Husleje pr. måned",
        "Servicepakke pr. måned",
        "Forplejning pr. måned",
        "Andre faste udgifter pr. måned",
        "Pris pr. måned i alt",
        "Priser gælder fra",
        "Priser kilde",
        "Priser oplyst",
        "Ledige boliger",
        "Ventetid i uger",
        "Ledige boliger kilde",
        "Ledige boliger oplyst",
        "Ledige boliger forældet",
        # appended (issue 16, point 8)
        "ID",
        "Offentlig side",
        "Breddegrad",
        "Længdegrad",
        "Seneste tilsyn",
        "Tilsynsresultat",
        "Sanktioner i kraft",
        "Kvalitet og tilfredshed",
        "Helhedsplejeleverandørsteder",
        "Tilsynsrapport",
        "Tilsynsrapportens dato",
    ),
}

# --- /overgangsordning.csv -----------------------------------------------------------------

TRANSITION_COLUMNS: list[Term] = [
    T(
        "Virksomhed",
        "Virksomhedens navn.",
        "The company's name.",
        "text",
        "transition",
        "Omsorg & Pleje ApS",
    ),
    T(
        "CVR-nummer",
        "Virksomhedens CVR-nummer.",
        "The company's CVR number.",
        "text",
        "transition",
        "12345678",
    ),
    T(
        "Optaget på listen",
        "Dagen, virksomheden kom på overgangslisten.",
        "The day the company was added to the transition list.",
        "date",
        "transition",
        "2025-07-01",
    ),
    T(
        "Gælder til",
        "Sidste dag, overgangsordningen gælder for virksomheden.",
        "The last day the transition arrangement applies to the company.",
        "date",
        "transition",
        "2027-06-30",
    ),
]

# --- /api/v1/ ------------------------------------------------------------------------------

_KOMMUNE = ("Kommunekode med tre cifre.", "The municipality code, three digits.")

PAGE_FIELDS = (
    (
        "total",
        "Antal poster i alt, der matcher filtrene.",
        "The number of records matching the filters, in all.",
        "integer",
        "plov",
        "1361",
    ),
    ("limit", "Sidestørrelse.", "The page size.", "integer", "plov", "50"),
    (
        "offset",
        "Antal poster sprunget over.",
        "The number of records skipped.",
        "integer",
        "plov",
        "0",
    ),
)


PAGE_LINKS = (
    (
        "next",
        "Adressen på næste side; `null` på sidste side. Svaret har også en "
        "`Link`-header (RFC 8288) med `next`, `prev`, `first` og `last`.",
        "The address of the "
        "next page; `null` on the last page. The response also has a `Link` header (RFC 8288) "
        "with `next`, `prev`, `first` and `last`.",
        "url",
        "plov",
        "https://plejeoverblikket.dk/api/v1/units?offset=50&limit=50",
    ),
    (
        "previous",
        "Adressen på forrige side; `null` på første side.",
        "The address of the previous page; `null` on the first page.",
        "url",
        "plov",
        "",
    ),
)


def _page(items_da: str, items_en: str) -> list[Term]:
    return [T(*f) for f in PAGE_FIELDS + PAGE_LINKS] + [
        T("items", items_da, items_en, "list", "plov", "[…]"),
    ]


API_FIELDS: dict[str, list[Term]] = {
    "UnitOut": [
        T(
            "id",
            "Plejeoverblikkets id for enheden; bruges i `/units/{id}`.",
            "Plejeoverblikket's id for the unit; used in `/units/{id}`.",
            "integer",
            "plov",
            "42",
        ),
        T(
            "sor_id",
            "SOR-ID. `null` for en helhedsplejeleverandør, som Plejeoverblikket selv "
            "danner over ejerens helhedsplejeleverandørsteder.",
            "The SOR ID. `null` for a "
            "home-care provider, which Plejeoverblikket forms itself over the owner's home-care "
            "sites.",
            "text",
            "SOR",
            "1234561000016007",
        ),
        T(
            "name",
            "Enhedens navn, som i SOR.",
            "The unit's name, as in SOR.",
            "text",
            "SOR",
            "Plejehjemmet Solgården",
        ),
        T(
            "kind",
            "`care_home` (plejeenhed), `home_care_site` (helhedsplejeleverandørsted) "
            "eller `home_care_provider` (helhedsplejeleverandør).",
            "`care_home`, `home_care_site` or `home_care_provider`.",
            "code",
            "SOR",
            "care_home",
        ),
        T(
            "kind_label",
            "Enhedstypen på dansk.",
            "The kind of unit, in Danish.",
            "text",
            "SOR",
            "Plejeenhed",
        ),
        T(
            "category",
            "`Plejehjem` eller `Helhedspleje`, som borgerne søger.",
            "`Plejehjem` (care home) or `Helhedspleje` (home care), as citizens search.",
            "code",
            "plov",
            "Plejehjem",
        ),
        T(
            "provider_id",
            "For et helhedsplejeleverandørsted: id for dets helhedsplejeleverandør.",
            "For a home-care site: the id of its home-care provider.",
            "integer",
            "plov",
            "17",
        ),
        T(
            "owner_name",
            "Ejer (institutionsejer i SOR).",
            "The owner (the institution owner in SOR).",
            "text",
            "SOR",
            "Aarhus Kommune",
        ),
        T("owner_cvr", "Ejerens CVR-nummer.", "The owner's CVR number.", "text", "SOR", "55133018"),
        T(
            "owner_kind",
            "`municipality` (kommune) eller `company` (virksomhed).",
            "`municipality` or `company`.",
            "code",
            "SOR",
            "municipality",
        ),
        T(
            "municipality",
            "Beliggenhedskommune: kommunekoden for besøgsadressen i DAR.",
            "The municipality the unit lies in: the code of the visiting address in DAR.",
            "text",
            "DAR",
            "751",
        ),
        T(
            "municipality_name",
            "Beliggenhedskommunens navn.",
            "The name of the municipality the unit lies in.",
            "text",
            "municipalities",
            "Aarhus",
        ),
        T(
            "supervising_authority",
            "Tilsynsmyndighed (Ældretilsynet) for beliggenhedskommunen i dag.",
            "The supervising authority (Ældretilsynet) for the municipality today.",
            "text",
            "authorities",
            "Ældretilsynet Midt",
        ),
        T(
            "visiting_address",
            "Besøgsadresse.",
            "The visiting address.",
            "object",
            "DAR",
            '{"street": "Solvej", …}',
        ),
        T("latitude", "Breddegrad (WGS84).", "Latitude (WGS84).", "decimal", "DAR", "56.1572"),
        T("longitude", "Længdegrad (WGS84).", "Longitude (WGS84).", "decimal", "DAR", "10.2107"),
        T("phone", "Telefon.", "Telephone.", "text", "SOR", "87 13 20 00"),
        T("email", "E-mail.", "E-mail.", "text", "SOR", "solgaarden@aarhus.dk"),
        T("website", "Hjemmeside.", "Website.", "url", "SOR", "https://aarhus.dk/solgaarden"),
        T(
            "p_number",
            "P-nummer (CVR-produktionsenhed).",
            "The P number (CVR production unit).",
            "text",
            "editor",
            "1003388449",
        ),
        T(
            "homes",
            "Antal boliger, som redaktøren har oplyst.",
            "The number of homes, as the editor gives it.",
            "integer",
            "editor",
            "48",
        ),
        T(
            "employees",
            "Antal medarbejdere: redaktørens tal, ellers CVR's, ellers `null`.",
            "The number of employees: the editor's figure, else CVR's, else `null`.",
            "integer",
            "CVR",
            "37",
        ),
        T(
            "employees_source",
            "Hvor antal medarbejdere kommer fra: `unit` (redaktøren) eller `CVR`.",
            "Where the number of employees comes from: `unit` (the editor) or `CVR`.",
            "code",
            "plov",
            "CVR",
        ),
        T(
            "employees_interval",
            "CVR's interval (fx `ANTAL_20_49`), når CVR ikke oplyser et tal.",
            "CVR's interval (e.g. `ANTAL_20_49`) when CVR gives no number.",
            "code",
            "CVR",
            "ANTAL_20_49",
        ),
        T(
            "full_time_employees",
            "Antal fuldtidsmedarbejdere.",
            "The number of full-time employees.",
            "decimal",
            "CVR",
            "31.5",
        ),
        T(
            "full_time_employees_source",
            "Hvor antal fuldtidsmedarbejdere kommer fra: `unit` eller `CVR`.",
            "Where the number of full-time employees comes from: `unit` or `CVR`.",
            "code",
            "plov",
            "unit",
        ),
        T(
            "agreements",
            "Enhedens aftaler (serviceleverancer), også udløbne og kommende.",
            "The unit's service agreements, ended and future ones too.",
            "list",
            "agreements",
            "[…]",
        ),
        T(
            "shown_in",
            "Kommuner, hvor enheden vises i søgningen i dag (gældende aftale).",
            "The municipalities whose search shows the unit today (an agreement in force).",
            "list",
            "agreements",
            '[{"code": "751", "name": "Aarhus"}]',
        ),
        T(
            "fixed_teams",
            "Faste teams: om borgeren får hjælp af den samme lille gruppe "
            "medarbejdere (redaktørens oplysning). `null`, hvis enheden ikke har udfyldt noget.",
            "Fixed teams: whether a person is helped by the same small group of staff (the "
            "editor's statement). `null` if the unit has filled in nothing.",
            "boolean",
            "editor",
            "true",
        ),
        T(
            "helpers_per_fortnight",
            "Helhedspleje: typisk antal forskellige hjælpere, en borger "
            "møder på 14 dage (1–60). `null` for plejehjem og når det ikke er oplyst.",
            "Home "
            "care: the typical number of different helpers a person meets in 14 days (1–60). "
            "`null` for care homes and when not stated.",
            "integer",
            "editor",
            "8",
        ),
        T(
            "visit_window_minutes",
            "Helhedspleje: besøget kommer højst så mange minutter før "
            "eller efter det aftalte tidspunkt (0–240). `null` for plejehjem og når det ikke er "
            "oplyst.",
            "Home care: a visit comes at most this many minutes before or after the "
            "agreed time (0–240). `null` for care homes and when not stated.",
            "integer",
            "editor",
            "30",
        ),
        T(
            "punctuality_policy",
            "Helhedspleje: enhedens egne ord om, hvad der sker, når et "
            "besøg bliver forsinket (højst 600 tegn).",
            "Home care: the unit's own words on what "
            "happens when a visit is late (at most 600 characters).",
            "text",
            "editor",
            "Vi ringer, hvis vi er mere end et kvarter forsinket.",
        ),
        T(
            "languages",
            "Helhedspleje: sprog, medarbejderne taler med borgerne ud over dansk "
            "(ISO 639-koder; `dsl` er dansk tegnsprog, `hbs` bosnisk/kroatisk/serbisk). `null` "
            "for plejehjem. En leverandørs oplysninger gælder også dens steder, når stedet ikke "
            "selv har oplyst noget (se `provider_id`).",
            "Home care: languages the staff speak "
            "with the people they help besides Danish (ISO 639 codes; `dsl` is Danish Sign "
            "Language, `hbs` Bosnian/Croatian/Serbian). `null` for care homes. A provider's "
            "statement also holds for its sites that state nothing themselves (see "
            "`provider_id`).",
            "list",
            "editor",
            '["en", "pl"]',
        ),
        T(
            "services",
            "Helhedspleje: de ydelser, enheden leverer (koder). `null` for plejehjem.",
            "Home care: the services the unit offers (codes). `null` for care homes.",
            "list",
            "editor",
            '["personlig_pleje", "praktisk_hjaelp"]',
        ),
        T(
            "supervision_comments",
            "Enhedens bemærkninger til Ældretilsynets tilbagemeldinger "
            "(retten til at svare), nyeste tilsyn først. Tom liste, hvis enheden ikke har "
            "skrevet nogen.",
            "The unit's comments on Ældretilsynet's feedback (its right of "
            "reply), latest inspection first. An empty list if the unit has written none.",
            "list",
            "editor",
            "[…]",
        ),
        T(
            "updated_at",
            "Senest ændret: registerdata, redaktørens indhold eller enhedens "
            "bemærkninger til tilsynet.",
            "Last changed: register data, the editor's content or "
            "the unit's comments on supervision.",
            "datetime",
            "plov",
            "2026-03-02T14:05:00+01:00",
        ),
        T(
            "monthly_cost",
            "Plejehjem: pris pr. måned, som enheden har oplyst (se "
            "MonthlyCostOut); `null` for helhedspleje og når intet beløb er oplyst.",
            "Care homes: "
            "the monthly cost the unit gives (see MonthlyCostOut); `null` for home care and when "
            "no amount is given.",
            "object",
            "editor",
            '{"rent": 7850, …}',
        ),
        T(
            "vacancies",
            "Plejehjem: ledige boliger og ventetid (se VacanciesOut); `null`, når intet er oplyst.",
            "Care homes: free homes and waiting time (see VacanciesOut); "
            "`null` when nothing is reported.",
            "object",
            "editor",
            '{"free_homes": 2, …}',
        ),
        T(
            "home_care_prices",
            "Helhedspleje: hvad der er gratis, og hvad tilkøb koster (se "
            "HomeCarePricesOut); `null`, når intet er oplyst.",
            "Home care: what is free and "
            "what extras cost (see HomeCarePricesOut); `null` when nothing is given.",
            "object",
            "editor",
            '{"extra_services": "…", …}',
        ),
        T(
            "public_url",
            "Enhedens side på Plejeoverblikket.",
            "The unit's page on Plejeoverblikket.",
            "url",
            "plov",
            "https://plejeoverblikket.dk/enhed/42/plejehjemmet-solgaarden/",
        ),
        T(
            "sites",
            "For en helhedsplejeleverandør: de viste helhedsplejeleverandørsteder, den "
            "består af; ellers tom.",
            "For a home-care provider: the shown home-care sites it consists of; otherwise empty.",
            "list",
            "SOR",
            '[{"id": 43, …}]',
        ),
        T(
            "supervision",
            "Det seneste tilsyn, som tilsynet har meldt tilbage; `null`: intet endnu.",
            "The latest inspection the supervisors have reported; `null`: none yet.",
            "object",
            "supervision",
            '{"inspected_on": "2025-11-12", …}',
        ),
        T(
            "sanctions_in_force",
            "Sanktioner, der gælder i dag, nyeste først.",
            "Sanctions in force today, newest first.",
            "list",
            "supervision",
            "[]",
        ),
        T(
            "quality_latest",
            "Det nyeste tal for hver kvalitetsindikator og "
            "tilfredshedsmåling, med periode. `/units/{id}` giver også vurderingerne "
            "(`quality`).",
            "The newest figure of each quality indicator and satisfaction "
            "result, with its period. `/units/{id}` also gives the verdicts (`quality`).",
            "list",
            "quality",
            '[{"name": "Beboere med tryksår", "period": "2025", …}]',
        ),
        T(
            "supervision_report_url",
            "Adressen på den nyeste tilsynsrapport: tilsynets PDF på "
            "Plejeoverblikket, ellers linket til Ældretilsynets egen offentliggjorte rapport; "
            "`null`, hvis ingen rapport er lagt ind.",
            "The address of the latest supervision "
            "report: the supervisor's PDF on Plejeoverblikket, else the link to Ældretilsynet's "
            "own published report; `null` when no report has been added.",
            "url",
            "supervision",
            "https://plejeoverblikket.dk/documents/311/tilsyn-2026-03-12.pdf",
        ),
        T(
            "supervision_report_date",
            "Tilsynsdatoen for rapporten i `supervision_report_url`.",
            "The date of the inspection the report in `supervision_report_url` is about.",
            "date",
            "supervision",
            "2026-03-12",
        ),
    ],
    "MonthlyCostOut": [
        T(
            "rent",
            "Husleje pr. måned i hele kroner, før boligydelse; `null` = ikke oplyst.",
            "Rent per month in whole kroner, before housing benefit; `null` = not given.",
            "integer",
            "editor",
            "7850",
        ),
        T(
            "service",
            "Servicepakke pr. måned (kr.); `null` = ikke oplyst.",
            "Service package per month (kr.); `null` = not given.",
            "integer",
            "editor",
            "650",
        ),
        T(
            "meals",
            "Forplejning pr. måned (kr.); `null` = ikke oplyst.",
            "Meals per month (kr.); `null` = not given.",
            "integer",
            "editor",
            "3900",
        ),
        T(
            "other",
            "Andre faste udgifter pr. måned (kr.); 0 = ingen, `null` = ikke oplyst.",
            "Other fixed charges per month (kr.); 0 = none, `null` = not given.",
            "integer",
            "editor",
            "0",
        ),
        T(
            "total",
            "Summen af de fire beløb; `null`, hvis ét af dem ikke er oplyst (aldrig en delsum).",
            "The sum of the four amounts; `null` if any is not given (never a partial sum).",
            "integer",
            "editor",
            "12400",
        ),
        T("currency", "Altid `DKK`.", "Always `DKK`.", "code", "plov", "DKK"),
        T(
            "valid_from",
            "Datoen, priserne gælder fra.",
            "The date the prices apply from.",
            "date",
            "editor",
            "2026-01-01",
        ),
        T(
            "source",
            "Hvor tallet kommer fra: `unit` (enhedens redaktør).",
            "Where the figure comes from: `unit` (the unit's editor).",
            "code",
            "editor",
            "unit",
        ),
        T(
            "reported_at",
            "Dagen, enheden sidst ændrede et beløb eller datoen.",
            "The day the unit last changed an amount or the date.",
            "date",
            "editor",
            "2026-03-12",
        ),
        T(
            "as_of",
            "Hvor gammelt tallet er: datoen (ÅÅÅÅ-MM-DD), det er oplyst.",
            "How fresh the figure is: the date (YYYY-MM-DD) it was reported.",
            "date",
            "editor",
            "2026-03-12",
        ),
    ],
    "VacanciesOut": [
        T(
            "free_homes",
            "Antal ledige boliger; `null` = ikke oplyst.",
            "The number of free homes; `null` = not given.",
            "integer",
            "editor",
            "2",
        ),
        T(
            "waiting_weeks",
            "Forventet ventetid i uger for den, der vælger netop dette plejehjem; "
            "`null` = ikke oplyst.",
            "The expected wait in weeks for someone choosing this care home; `null` = not given.",
            "integer",
            "editor",
            "6",
        ),
        T(
            "reported_at",
            "Dagen, tallene er oplyst.",
            "The day the figures were reported.",
            "date",
            "editor",
            "2026-03-10",
        ),
        T(
            "outdated",
            "`true`, når oplysningen er ældre end PLOV_VACANCY_MAX_AGE_DAYS (30) dage: "
            "vis den ikke som aktuel.",
            "`true` when the report is older than "
            "PLOV_VACANCY_MAX_AGE_DAYS (30) days: do not show it as current.",
            "boolean",
            "plov",
            "false",
        ),
        T(
            "source",
            "Hvor tallene kommer fra: `unit` (enhedens redaktør).",
            "Where the figures come from: `unit` (the unit's editor).",
            "code",
            "editor",
            "unit",
        ),
        T(
            "as_of",
            "Datoen (ÅÅÅÅ-MM-DD), tallene er oplyst.",
            "The date (YYYY-MM-DD) the figures were reported.",
            "date",
            "editor",
            "2026-03-10",
        ),
    ],
    "HomeCarePricesOut": [
        T(
            "free_services",
            "Hvad borgeren får uden at betale, med enhedens ord.",
            "What the citizen gets free of charge, in the unit's words.",
            "text",
            "editor",
            "Personlig pleje og praktisk hjælp efter visitation.",
        ),
        T(
            "extra_services",
            "Fritvalgs- og tilkøbsydelser med pris, én pr. linje.",
            "Extra services and their prices, one per line.",
            "text",
            "editor",
            "Ekstra rengøring: 350 kr. pr. time",
        ),
        T(
            "source",
            "Hvor teksten kommer fra: `unit` (enhedens redaktør).",
            "Where the text comes from: `unit` (the unit's editor).",
            "code",
            "editor",
            "unit",
        ),
        T(
            "as_of",
            "Datoen (ÅÅÅÅ-MM-DD), enhedens indhold sidst blev gemt.",
            "The date (YYYY-MM-DD) the unit's content was last saved.",
            "date",
            "editor",
            "2026-02-03",
        ),
    ],
    "SupervisionComment": [
        T(
            "feedback_inspected_on",
            "Tilsynsdatoen for den tilbagemelding fra Ældretilsynet, bemærkningerne svarer på.",
            "The inspection date of the Ældretilsynet feedback the comment answers.",
            "date",
            "supervision",
            "2026-02-03",
        ),
        T(
            "feedback_status",
            "Tilsynets samlede vurdering i den tilbagemelding.",
            "The supervisor's overall assessment in that feedback.",
            "code",
            "supervision",
            "mindre_bemaerkninger",
        ),
        T(
            "text",
            "Enhedens bemærkninger: enhedens egne ord (højst 1000 tegn), ikke "
            "Ældretilsynets. Tilsynets tekst ændres aldrig af dem.",
            "The unit's comments: its "
            "own words (at most 1000 characters), not Ældretilsynet's. They never change the "
            "supervisor's text.",
            "text",
            "editor",
            "Vi har siden indført dobbeltkontrol.",
        ),
        T(
            "written_on",
            "Datoen, teksten blev offentliggjort.",
            "The date the text was published.",
            "date",
            "editor",
            "2026-03-12",
        ),
        T(
            "source",
            "Altid `unit`: oplyst af enheden selv.",
            "Always `unit`: stated by the unit itself.",
            "code",
            "plov",
            "unit",
        ),
    ],
    "SiteRef": [
        T(
            "id",
            "Stedets id (se `/units/{id}`).",
            "The site's id (see `/units/{id}`).",
            "integer",
            "plov",
            "43",
        ),
        T("sor_id", "Stedets SOR-ID.", "The site's SOR ID.", "text", "SOR", "1234561000016008"),
        T("name", "Stedets navn.", "The site's name.", "text", "SOR", "Hjemmeplejen Nord"),
    ],
    "SupervisionOut": [
        T(
            "inspected_on",
            "Tilsynsdato.",
            "The day of the inspection.",
            "date",
            "supervision",
            "2025-11-12",
        ),
        T(
            "status",
            "Resultatet: `ingen_bemaerkninger`, `mindre_bemaerkninger`, "
            "`vaesentlige_bemaerkninger` eller `kritiske_bemaerkninger`.",
            "The result: no, "
            "minor, significant or critical remarks (`ingen_bemaerkninger`, "
            "`mindre_bemaerkninger`, `vaesentlige_bemaerkninger`, `kritiske_bemaerkninger`).",
            "code",
            "supervision",
            "mindre_bemaerkninger",
        ),
        T(
            "status_label",
            "Resultatet på dansk.",
            "The result in Danish.",
            "text",
            "supervision",
            "Mindre bemærkninger",
        ),
    ],
    "SanctionOut": [
        T(
            "type",
            "Sanktionen: `paabud`, `paabud_raadgivning`, `forbud_indflytning` eller "
            "`forbud_nye_borgere`.",
            "The sanction: an order (`paabud`), an order to take "
            "advice (`paabud_raadgivning`), a ban on new residents (`forbud_indflytning`) or on "
            "new citizens (`forbud_nye_borgere`).",
            "code",
            "supervision",
            "paabud",
        ),
        T(
            "type_label",
            "Sanktionen på dansk.",
            "The sanction in Danish.",
            "text",
            "supervision",
            "Påbud om at sikre kvaliteten",
        ),
        T("decided_on", "Afgørelsesdato.", "The day decided.", "date", "supervision", "2025-10-01"),
        T(
            "deadline",
            "Frist; `null`: ingen.",
            "Deadline; `null`: none.",
            "date",
            "supervision",
            "2026-01-31",
        ),
        T(
            "period_end",
            "Gælder til; `null`: indtil den ophæves.",
            "In force until; `null`: until lifted.",
            "date",
            "supervision",
            "",
        ),
    ],
    "QualityLatest": [
        T(
            "kind",
            "`indicator` (kvalitetsindikator) eller `satisfaction` (brugertilfredshed).",
            "`indicator` (quality indicator) or `satisfaction` (user satisfaction).",
            "code",
            "quality",
            "indicator",
        ),
        T(
            "code",
            "Målingens kode i kildens fil.",
            "The measurement's code in the source's file.",
            "text",
            "quality",
            "AEI-03",
        ),
        T(
            "name",
            "Hvad der er målt.",
            "What is measured.",
            "text",
            "quality",
            "Beboere med tryksår",
        ),
        T(
            "period",
            "Perioden (året), tallet gælder.",
            "The period (year) the figure is for.",
            "text",
            "quality",
            "2025",
        ),
        T("value", "Enhedens tal.", "The unit's figure.", "decimal", "quality", "5.4"),
        T(
            "unit_of_measure",
            "Tallets enhed, fx `%`; `null`: ingen.",
            "The figure's unit, e.g. `%`; `null`: none.",
            "text",
            "quality",
            "%",
        ),
    ],
    "Address": [
        T("street", "Vejnavn.", "Street name.", "text", "DAR", "Solvej"),
        T("house_number", "Husnummer.", "House number.", "text", "DAR", "4"),
        T("floor", "Etage.", "Floor.", "text", "DAR", "2"),
        T("door", "Dør (side).", "Door (side).", "text", "DAR", "tv"),
        T("postcode", "Postnummer.", "Postcode.", "text", "DAR", "8000"),
        T("district", "Postdistrikt (by).", "Postal district (town).", "text", "DAR", "Aarhus C"),
    ],
    "UnitAgreement": [
        T(
            "kommune",
            "Aftalepartens kommunekode (3 cifre).",
            "The code of the municipality party to the agreement (3 digits).",
            "text",
            "agreements",
            "751",
        ),
        T(
            "type",
            "Aftaletype (serviceleverancetype).",
            "The kind of agreement (service delivery type).",
            "code",
            "agreements",
            "Myndighedsproduktion",
        ),
        T("start", "Startdato.", "Start date.", "date", "agreements", "2024-01-01"),
        T(
            "end",
            "Slutdato; `null` = uden slutdato.",
            "End date; `null` = open-ended.",
            "date",
            "agreements",
            "2027-12-31",
        ),
    ],
    "MunicipalityRef": [
        T("code", *_KOMMUNE, "text", "municipalities", "751"),
        T(
            "name",
            "Kommunens navn.",
            "The municipality's name.",
            "text",
            "municipalities",
            "Aarhus",
        ),
    ],
    "UnitPage": _page(
        "Enhederne på denne side, sorteret efter id.", "The units on this page, by id."
    ),
    "AgreementOut": [
        T(
            "id",
            "Plejeoverblikkets id for aftalen.",
            "Plejeoverblikket's id for the agreement.",
            "integer",
            "plov",
            "311",
        ),
        T(
            "kommune",
            "Aftalepartens kommunekode (3 cifre).",
            "The code of the municipality party to the agreement (3 digits).",
            "text",
            "agreements",
            "751",
        ),
        T(
            "kommune_name",
            "Aftalepartens navn.",
            "The name of the municipality party to the agreement.",
            "text",
            "municipalities",
            "Aarhus",
        ),
        T(
            "reference",
            "Aftaleidentifikation (kommunens egen reference).",
            "The agreement's identification (the municipality's own reference).",
            "text",
            "agreements",
            "AAR-2024-17",
        ),
        T(
            "type",
            "Aftaletype.",
            "The kind of agreement.",
            "code",
            "agreements",
            "Driftsoverenskomst",
        ),
        T("start", "Startdato.", "Start date.", "date", "agreements", "2024-01-01"),
        T(
            "end",
            "Slutdato; `null` = uden slutdato.",
            "End date; `null` = open-ended.",
            "date",
            "agreements",
            "",
        ),
        T(
            "unit_id",
            "Enhedens id (se `/units/{id}`).",
            "The unit's id (see `/units/{id}`).",
            "integer",
            "plov",
            "42",
        ),
        T(
            "unit_sor_id",
            "Enhedens SOR-ID.",
            "The unit's SOR ID.",
            "text",
            "SOR",
            "1234561000016007",
        ),
        T(
            "unit_name",
            "Enhedens navn.",
            "The unit's name.",
            "text",
            "SOR",
            "Plejehjemmet Solgården",
        ),
        T(
            "shown_in_search",
            "Om aftalen får enheden vist i kommunens søgning i dag. En "
            "driftsoverenskomst om helhedspleje tæller først, når leverandøren har skrevet sin "
            "aftalebeskrivelse.",
            "Whether the agreement makes the municipality's search show "
            "the unit today. A home-care operating agreement counts only once the provider has "
            "written its agreement description.",
            "boolean",
            "plov",
            "true",
        ),
    ],
    "AgreementPage": _page(
        "Aftalerne på denne side, sorteret efter id.", "The agreements on this page, by id."
    ),
    "AuthorityOut": [
        T(
            "name",
            "Tilsynsmyndighedens navn.",
            "The supervising authority's name.",
            "text",
            "authorities",
            "Ældretilsynet Midt",
        ),
        T(
            "municipalities",
            "Kommuner, myndigheden fører tilsyn i i dag, sorteret efter kommunekode.",
            "The municipalities the authority supervises today, by code.",
            "list",
            "authorities",
            '[{"code": "751", "name": "Aarhus"}]',
        ),
    ],
    "ChangePage": [
        T(
            "since",
            "Dagen, ændringerne gælder fra (parameteren `since`).",
            "The day the changes are listed from (the `since` parameter).",
            "date",
            "plov",
            "2026-03-01",
        ),
        *_page(
            "Ændringerne på denne side, ældste først.", "The changes on this page, oldest first."
        ),
    ],
    "ChangeOut": [
        T(
            "id",
            "Ændringens id; fast, så en klient kan genkende en ændring, den har set.",
            "The change's id; stable, so a client can recognise a change it has seen.",
            "text",
            "plov",
            "e1042",
        ),
        T(
            "at",
            "Hvornår ændringen skete. En aftale starter ved midnat på startdatoen og "
            "ophører ved midnat efter slutdatoen (eller da den blev registreret, hvis det var "
            "senere).",
            "When the change happened. An agreement starts at midnight on its start "
            "date and ends at midnight after its end date (or when it was registered, if that "
            "was later).",
            "datetime",
            "plov",
            "2026-03-02T04:41:00+01:00",
        ),
        T(
            "kind",
            "`unit_created` (oprettet i SOR), `unit_changed` (ændret; se `fields`), "
            "`unit_closed` (lukket i SOR), `unit_published` (vises nu for borgerne), "
            "`unit_hidden` (vises ikke længere), `agreement_started` eller `agreement_ended`.",
            "`unit_created` (created in SOR), `unit_changed` (changed; see `fields`), "
            "`unit_closed` (closed in SOR), `unit_published` (now shown to citizens), "
            "`unit_hidden` (no longer shown), `agreement_started` or `agreement_ended`.",
            "code",
            "plov",
            "unit_changed",
        ),
        T(
            "unit_id",
            "Enhedens id (se `/units/{id}`).",
            "The unit's id (see `/units/{id}`).",
            "integer",
            "plov",
            "42",
        ),
        T(
            "unit_sor_id",
            "Enhedens SOR-ID.",
            "The unit's SOR ID.",
            "text",
            "SOR",
            "1234561000016007",
        ),
        T(
            "unit_name",
            "Enhedens navn i dag.",
            "The unit's name today.",
            "text",
            "SOR",
            "Plejehjemmet Solgården",
        ),
        T(
            "fields",
            "Ved `unit_changed`: de felter, der er ændret (API'ets feltnavne, fx "
            "`name`, `phone`, `homes`).",
            "For `unit_changed`: the fields that changed (the "
            "API's field names, e.g. `name`, `phone`, `homes`).",
            "list",
            "plov",
            '["phone", "website"]',
        ),
        T(
            "agreement",
            "Ved `agreement_started` og `agreement_ended`: aftalen; ellers `null`.",
            "For `agreement_started` and `agreement_ended`: the agreement; otherwise `null`.",
            "object",
            "agreements",
            '{"id": 311, "kommune": "751", …}',
        ),
    ],
    "ChangeAgreement": [
        T(
            "id",
            "Aftalens id (se `/agreements`).",
            "The agreement's id (see `/agreements`).",
            "integer",
            "plov",
            "311",
        ),
    ],
}

# The unit alone (`/api/v1/units/{id}`) adds its quality figures, each with its verdicts
# (plov.supervision.verdicts).
API_FIELDS["UnitDetail"] = [
    *API_FIELDS["UnitOut"],
    T(
        "quality",
        "Enhedens nyeste kvalitetsindikatorer og tilfredshedsmålinger (én pr. "
        "måling), hver med sin vurdering mod lands- og kommunegennemsnittet, efter reglen på "
        "enhedens side.",
        "The unit's latest quality indicators and satisfaction results (one "
        "per measurement), each judged against the national and the municipal average by the "
        "rule the unit page states.",
        "list",
        "quality",
        "[…]",
    ),
]
API_FIELDS["QualityFigure"] = [
    T(
        "kind",
        "`indicator` (kvalitetsindikator) eller `satisfaction` (brugertilfredshed).",
        "`indicator` (quality indicator) or `satisfaction` (user satisfaction).",
        "code",
        "quality",
        "indicator",
    ),
    T(
        "code",
        "Målingens kode i kildens fil.",
        "The measurement's code in the source's file.",
        "text",
        "quality",
        "AEI-03",
    ),
    T("name", "Hvad der er målt.", "What is measured.", "text", "quality", "Beboere med tryksår"),
    T("period", "Perioden, fx `2025`.", "The period, e.g. `2025`.", "text", "quality", "2025"),
    T("value", "Enhedens tal.", "The unit's figure.", "decimal", "quality", "5.4"),
    T(
        "unit_of_measure",
        "Tallets enhed, fx `%`.",
        "The figure's unit, e.g. `%`.",
        "text",
        "quality",
        "%",
    ),
    T(
        "better",
        "Hvad der er bedst: `higher` (flere er bedre), `lower` (færre er bedre); "
        "`null`: ikke oplyst (så gives ingen vurdering).",
        "Which way is better: `higher` (more "
        "is better), `lower` (fewer is better); `null`: not stated (then there is no verdict).",
        "code",
        "quality",
        "lower",
    ),
    T(
        "respondents",
        "Antal besvarelser, tallet bygger på; `null`: ikke oplyst.",
        "The number of responses the figure is based on; `null`: not stated.",
        "integer",
        "quality",
        "48",
    ),
    T("source", "Kilde.", "Source.", "text", "quality", "Sundhedsdatastyrelsen"),
    T("published_on", "Offentliggjort.", "Published.", "date", "quality", "2026-03-01"),
    T(
        "as_of",
        "Hvor gammelt tallet er: offentliggørelsesdatoen (ÅÅÅÅ-MM-DD), ellers perioden "
        "(fx `2025`).",
        "How fresh the figure is: the publication date (YYYY-MM-DD), else the "
        "period (e.g. `2025`).",
        "text",
        "quality",
        "2026-03-01",
    ),
    T(
        "benchmark",
        "Tallet sammenlignet med landsgennemsnittet og gennemsnittet i kommunen.",
        "The figure compared with the national and the municipal average.",
        "object",
        "plov",
        '{"national": {…}, "municipality": {…}}',
    ),
    T(
        "verdict",
        "Vurderingen mod landsgennemsnittet (= `benchmark.national.verdict`).",
        "The verdict against the national average (= `benchmark.national.verdict`).",
        "code",
        "plov",
        "worse",
    ),
]
API_FIELDS["Benchmarks"] = [
    T(
        "national",
        "Sammenlignet med landsgennemsnittet (fra kildens fil).",
        "Compared with the national average (from the source's file).",
        "object",
        "plov",
        "{…}",
    ),
    T(
        "municipality",
        "Sammenlignet med gennemsnittet i enhedens beliggenhedskommune: de "
        "viste enheder af samme slags med samme måling og periode, mindst 3.",
        "Compared with "
        "the average in the unit's municipality: the published units of the same kind with the "
        "same measurement and period, at least 3.",
        "object",
        "plov",
        "{…}",
    ),
]
API_FIELDS["Benchmark"] = [
    T(
        "average",
        "Gennemsnittet, tallet sammenlignes med, i tallets enhed; `null`: intet "
        "gennemsnit (se `reason`).",
        "The average the figure is compared with, in the figure's "
        "unit; `null`: no average (see `reason`).",
        "decimal",
        "quality",
        "4.1",
    ),
    T(
        "units",
        "For kommunens gennemsnit: antal enheder, gennemsnittet er over (enheden selv "
        "medregnet); ellers `null`.",
        "For the municipal average: the number of units averaged "
        "(the unit itself included); else `null`.",
        "integer",
        "plov",
        "7",
    ),
    T(
        "verdict",
        "`better` (bedre), `same` (på niveau med), `worse` (dårligere) eller "
        "`unknown` (ingen vurdering; `reason` siger hvorfor).",
        "`better`, `same` (about the same), `worse` or `unknown` (no verdict; `reason` says why).",
        "code",
        "plov",
        "worse",
    ),
    T(
        "reason",
        "Hvorfor der ingen vurdering er: `no_average` (intet gennemsnit), "
        "`too_few_units` (færre end 3 enheder i kommunen har tallet), `no_direction` (det er "
        "ikke oplyst, om højt eller lavt er bedst); ellers `null`.",
        "Why there is no verdict: "
        "`no_average`, `too_few_units` (fewer than 3 units in the municipality have the "
        "figure), `no_direction` (it is not stated whether high or low is better); else "
        "`null`.",
        "code",
        "plov",
        "",
    ),
    T(
        "rule",
        "Reglen: `confidence_interval` (en andel i procent med kendt antal besvarelser: "
        "forskellen skal være større end den halve bredde af et 95 %-konfidensinterval for en "
        "andel ved så mange besvarelser omkring gennemsnittet, 1,96·√(p(1−p)/n)) eller "
        "`threshold` (forskellen skal være større end 10 % af gennemsnittet).",
        "The rule: "
        "`confidence_interval` (a share in per cent with a known number of responses: the "
        "difference must be larger than the half-width of a 95% confidence interval for a "
        "proportion of that many around the average, 1.96·√(p(1−p)/n)) or `threshold` (the "
        "difference must be larger than 10% of the average).",
        "code",
        "plov",
        "threshold",
    ),
    T(
        "difference",
        "Tallet minus gennemsnittet.",
        "The figure minus the average.",
        "decimal",
        "plov",
        "1.4",
    ),
    T(
        "margin",
        "Hvor stor forskellen skal være (i tallets enhed) for at tælle som bedre eller dårligere.",
        "How large the difference must be (in the figure's unit) to count as better or worse.",
        "decimal",
        "plov",
        "0.41",
    ),
    T(
        "text",
        "Vurderingen i ord, på dansk (som på enhedens side).",
        "The verdict in words, in Danish (as on the unit page).",
        "text",
        "plov",
        "Dårligere end landsgennemsnittet",
    ),
]

# The agreement in a change: its id, then the fields a unit's agreement has.
API_FIELDS["ChangeAgreement"] += API_FIELDS["UnitAgreement"]

# /api/v1/adresser: address suggestions as one types (plov.public.suggest).
API_FIELDS["AddressSuggestion"] = [
    T(
        "kind",
        "`address` (en adresse), `street` (en vej i et postnummer: søgningen bruger "
        "vejens midte) eller `postcode` (et postnummer: dets midte).",
        "`address`, `street` "
        "(a street in one postcode: the search uses its middle) or `postcode` (its middle).",
        "code",
        "DAR",
        "address",
    ),
    T(
        "text",
        "Forslaget skrevet ud, fx `Solvej 4, 1. tv, 8000 Aarhus C`. Søgningens "
        "`adresse=` forstår teksten.",
        "The suggestion written out, e.g. `Solvej 4, 1. tv, "
        "8000 Aarhus C`. The search's `adresse=` understands the text.",
        "text",
        "DAR",
        "Solvej 4, 8000 Aarhus C",
    ),
    T(
        "street",
        "Vejnavn; `null` for et postnummer.",
        "Street name; `null` for a postcode.",
        "text",
        "DAR",
        "Solvej",
    ),
    T(
        "house_number",
        "Husnummer; `null` for en vej og et postnummer.",
        "House number; `null` for a street and a postcode.",
        "text",
        "DAR",
        "4",
    ),
    T(
        "floor",
        "Etage, fx `st` eller `1`; `null` uden etage.",
        "Floor, e.g. `st` (ground) or `1`; `null` without a floor.",
        "text",
        "DAR",
        "1",
    ),
    T(
        "door",
        "Dør (side), fx `tv`; `null` uden dør.",
        "Door (side), e.g. `tv` (left); `null` without a door.",
        "text",
        "DAR",
        "tv",
    ),
    T("postcode", "Postnummer (4 cifre).", "Postcode (4 digits).", "text", "DAR", "8000"),
    T("town", "Postdistrikt (by).", "Postal district (town).", "text", "DAR", "Aarhus C"),
    T(
        "latitude",
        "Breddegrad (WGS84); for en vej og et postnummer midten.",
        "Latitude (WGS84); for a street and a postcode, its middle.",
        "decimal",
        "DAR",
        "56.1535",
    ),
    T("longitude", "Længdegrad (WGS84).", "Longitude (WGS84).", "decimal", "DAR", "10.2039"),
    T(
        "id",
        "Adressens id i DAR (kun for `address`).",
        "The address's id in DAR (only for `address`).",
        "text",
        "DAR",
        "0a3f50a0-…",
    ),
]
API_FIELDS["AddressSuggestions"] = [
    T(
        "query",
        "Teksten, der blev søgt på.",
        "The text searched for.",
        "text",
        "plov",
        "solvej 4 aar",
    ),
    T(
        "items",
        "De bedste forslag (højst 10), bedste først.",
        "The best suggestions (at most 10), best first.",
        "list",
        "DAR",
        "[…]",
    ),
]

# What each API schema is, for the page's headings.
API_SCHEMA_TITLES: dict[str, tuple[str, str]] = {
    "UnitOut": (
        "Enhed (`/api/v1/units`, `/api/v1/units/{id}`)",
        "Unit (`/api/v1/units`, `/api/v1/units/{id}`)",
    ),
    "MonthlyCostOut": ("Pris pr. måned (`monthly_cost`)", "Monthly cost (`monthly_cost`)"),
    "VacanciesOut": (
        "Ledige boliger og ventetid (`vacancies`)",
        "Vacancies and waiting time (`vacancies`)",
    ),
    "HomeCarePricesOut": (
        "Priser i helhedsplejen (`home_care_prices`)",
        "Home care prices (`home_care_prices`)",
    ),
    "Address": ("Adresse (`visiting_address`)", "Address (`visiting_address`)"),
    "UnitAgreement": ("Enhedens aftale (`agreements`)", "The unit's agreement (`agreements`)"),
    "MunicipalityRef": (
        "Kommune (`shown_in`, `municipalities`)",
        "Municipality (`shown_in`, `municipalities`)",
    ),
    "SupervisionComment": (
        "Enhedens bemærkninger til tilsynet (`supervision_comments`)",
        "The unit's comment on supervision (`supervision_comments`)",
    ),
    "UnitDetail": (
        "Én enhed med kvalitetstal (`/api/v1/units/{id}`)",
        "One unit with its quality figures (`/api/v1/units/{id}`)",
    ),
    "QualityFigure": ("Kvalitetstal (`quality`)", "Quality figure (`quality`)"),
    "Benchmarks": ("Sammenligninger (`benchmark`)", "Comparisons (`benchmark`)"),
    "Benchmark": (
        "Sammenligning med ét gennemsnit (`national`, `municipality`)",
        "Comparison with one average (`national`, `municipality`)",
    ),
    "SiteRef": ("Helhedsplejeleverandørsted (`sites`)", "Home-care site (`sites`)"),
    "SupervisionOut": ("Seneste tilsyn (`supervision`)", "Latest inspection (`supervision`)"),
    "SanctionOut": ("Sanktion (`sanctions_in_force`)", "Sanction (`sanctions_in_force`)"),
    "QualityLatest": (
        "Nyeste kvalitetstal (`quality_latest`)",
        "Newest quality figure (`quality_latest`)",
    ),
    "UnitPage": ("Side med enheder", "Page of units"),
    "AgreementOut": ("Aftale (`/api/v1/agreements`)", "Agreement (`/api/v1/agreements`)"),
    "AgreementPage": ("Side med aftaler", "Page of agreements"),
    "AuthorityOut": (
        "Tilsynsmyndighed (`/api/v1/supervising-authorities`)",
        "Supervising authority (`/api/v1/supervising-authorities`)",
    ),
    "ChangePage": ("Side med ændringer (`/api/v1/changes`)", "Page of changes (`/api/v1/changes`)"),
    "ChangeOut": ("Ændring", "Change"),
    "ChangeAgreement": (
        "Aftalen i en ændring (`agreement`)",
        "The agreement in a change (`agreement`)",
    ),
    "AddressSuggestions": (
        "Adresseforslag (`/api/v1/adresser`)",
        "Address suggestions (`/api/v1/adresser`)",
    ),
    "AddressSuggestion": ("Ét adresseforslag", "One address suggestion"),
}


def term(schema: str, name: str) -> Term:
    for t in API_FIELDS[schema]:
        if t.name == name:
            return t
    raise KeyError(f"{schema}.{name} is not in the open-data dictionary")


def describe(schema: str, name: str) -> str:
    """The OpenAPI description of field `name` of API schema `schema`."""
    return term(schema, name).description()


def csv_header(columns: list[Term] | None = None) -> list[str]:
    return [t.name for t in (CSV_COLUMNS if columns is None else columns)]
