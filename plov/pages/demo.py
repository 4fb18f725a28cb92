"""The demo's pages: driftsinfo, guidance, Om Plejeoverblikket and the accessibility statement,
with Danish text from the agency's own pages (the seeds) and their English translations,
published through Wagtail's revisions, as an editor publishing them would."""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone
from wagtail.models import Locale, Page, Site

from plov.pages.models import (
    AboutPage,
    AccessibilityStatementPage,
    DriftsinfoPage,
    EditorGuidancePage,
    GuidancePage,
    StatusLevel,
    VisitChecklistPage,
)

PAGE_TYPES = (
    DriftsinfoPage,
    GuidancePage,
    EditorGuidancePage,
    AboutPage,
    AccessibilityStatementPage,
    VisitChecklistPage,
)
# Demo addresses: the sites, not invented deep links.
BEKENDTGOERELSE = "https://www.retsinformation.dk/"
SDS = "https://sundhedsdatastyrelsen.dk/"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _text(*paragraphs: str) -> dict:
    return {"type": "paragraph", "value": _p(*paragraphs)}


def _heading(text: str) -> dict:
    return {"type": "heading", "value": text}


def _links(heading: str, *links: tuple[str, str]) -> dict:
    return {
        "type": "links",
        "value": {"heading": heading, "links": [{"title": t, "url": u} for t, u in links]},
    }


TIMELINE = [
    (
        "Identifikation af private leverandører af helhedspleje – videresendelse af dette "
        "informationsbrev til private leverandører",
        "Kommune",
        "Uge 45 (2025)",
    ),
    (
        "Ajourføring af plejeenheder i SOR jf. vejledning",
        "Kommune/privat leverandør",
        "Uge 45 (2025) - uge 6 (2026)",
    ),
    (
        "Tildeling af roller i SEB",
        "Kommunens/virksomhedens SEB-administrator",
        "Primo uge 46 (2025)",
    ),
    ("Oprettelse af private helhedsplejeleverandører i SEB", "Privat leverandør", "Uge 46 (2025)"),
    (
        "Indberetning på plejeoverblikket.dk",
        "Kommune/private plejeenheder",
        "Uge 46 (2025) - uge 6 (2026)",
    ),
    (
        "Ajourføring af helhedspleje i SOR jf. vejledning",
        "Kommune/privat leverandør",
        "Uge 46 (2025) - uge 6 (2026)",
    ),
]


def _driftsinfo_body() -> list[dict]:
    return [
        _links("", ("Læs bekendtgørelsen om Plejeoverblikket", BEKENDTGOERELSE)),
        _heading("Status og tidsplan for Plejeoverblikket"),
        _text(
            "Her kan du læse om igangsatte opgaver i henhold til ældrelovens § 27 og "
            "bekendtgørelse om Plejeoverblikket samt tidsplanen for registrering af plejeenheder "
            "og helhedspleje i SOR og på plejeoverblikket.dk.",
        ),
        _heading("Lancering af Plejeoverblikket udsættes til medio februar 2026"),
        _text(
            "Lanceringen af Plejeoverblikket udsættes til medio februar 2026. Baggrunden er, at "
            "flere enheder – både hos kommuner og private leverandører – endnu ikke har haft "
            "mulighed for at gennemføre nødvendige registreringer og indberetninger. På den "
            "baggrund har Sundhedsdatastyrelsen i samarbejde med Ældreministeriet besluttet at "
            "forlænge registreringsperioden.",
            "Formålet med forlængelsen er at sikre, at alle berørte enheder får tilstrækkelig tid "
            "til at gennemføre de påkrævede registreringer og indberetninger inden lanceringen.",
        ),
        {
            "type": "timeline",
            "value": {
                "caption": "Tidsplan for registrering",
                "rows": [{"task": a, "performer": b, "period": c} for a, b, c in TIMELINE],
            },
        },
        _heading("Webinarer og opfølgningssessioner"),
        _text(
            "For at støtte registreringen af enheder afholder vi følgende webinarer og "
            "opfølgningssessioner. OBS! Du kan have behov for at deltage i flere webinarer.",
            "Alle webinarer afholdes via Teams, og invitationer sendes automatisk ved tilmelding.",
        ),
        {
            "type": "webinar",
            "value": {
                "title": "SOR-basisregistrering for kommuner",
                "audience": "Kommuner",
                "when": "12. november 2025, kl. 12:30-14:30",
                "link": {
                    "title": "Præsentation om SOR-basisregistrering for kommuner 12. november",
                    "url": SDS,
                },
            },
        },
        {
            "type": "webinar",
            "value": {
                "title": "SOR-basisregistrering for private aktører",
                "audience": "Private aktører",
                "when": "13. november 2025, kl. 12:30-14:30",
                "link": {
                    "title": "Præsentation om SOR-basisregistrering for private aktører "
                    "13. november",
                    "url": SDS,
                },
            },
        },
        _text(
            "OBS! Der er indtil 10 arbejdsdages ekspeditionstid fra, at I har oprettet eller "
            "opdateret via SOR Selvbetjeningsløsning, til ændringen er i SOR.",
        ),
        _heading("Teknisk support"),
        _text(
            "Servicedesk, hverdage kl. 9-15. Skriv Plejeoverblikket i emnefeltet, og opgiv et "
            "telefonnummer, du kan træffes på.",
        ),
    ]


ABOUT = [
    _text(
        "Plejeoverblikket skal give et samlet overblik over alle plejehjem målrettet ældre og "
        "leverandører af helhedspleje i Danmark. Formålet er at understøtte det frie valg for "
        "ældre borgere og skabe bedre mulighed for at sammenligne tilbud.",
        "Reglerne for Plejeoverblikket – herunder hvilke oplysninger der skal indrapporteres – "
        "fremgår af ældrelovens § 27 og bekendtgørelsen om Plejeoverblikket, som trådte i kraft "
        "1. juli 2025.",
        "Plejeoverblikket erstatter Plejehjemsoversigten og skal bidrage til mere "
        "brugervenlighed og transparens. Samtidig bliver den tættere integreret med "
        "fællesoffentlige registre for at mindske behovet for indberetninger.",
    ),
    _heading("Hvor kommer oplysningerne fra?"),
    _text(
        "Plejeoverblikket integreres med både Sundhedsvæsenets Organisationsregister (SOR) og "
        "CVR, så oplysninger om fx P-nummer, antal ansatte og årsværk automatisk holdes ajour. "
        "Kommunerne og leverandørerne skriver selv om deres plejeenheder.",
        "Løsningen fungerer også som register for Ældretilsynets arbejde med udstilling af en "
        "autoritativ liste over pleje- og helhedsplejeenheder. Her vises kvalitetsindikatorer og "
        "resultater fra brugertilfredshedsundersøgelser samt Ældretilsynets tilsynsrapporter og "
        "eventuelle sanktioner.",
    ),
    _links("Læs mere", ("Bekendtgørelsen om Plejeoverblikket", BEKENDTGOERELSE)),
]

GUIDES = [
    (
        "Sådan vælger du plejehjem",
        "saadan-vaelger-du-plejehjem",
        "Du kan selv vælge, hvilket plejehjem du vil bo på – også i en anden kommune.",
        [
            _heading("Først visiterer kommunen"),
            _text(
                "Når du søger om en plejebolig, vurderer din kommune, om du er berettiget. "
                "Bliver du godkendt, kan du ønske et bestemt plejehjem eller en bestemt plejebolig."
            ),
            _heading("Sammenlign plejehjemmene"),
            _text(
                "På Plejeoverblikket kan du søge på din kommune og se de plejehjem, kommunen har "
                "aftale med. Du kan sammenligne boligernes størrelse, pris, aktiviteter, mad, "
                "personalets uddannelse og Ældretilsynets tilsyn.",
                "Besøg gerne plejehjemmet, før du vælger. Spørg om hverdagen, om "
                "pårørendesamarbejdet og om ventetiden.",
            ),
        ],
    ),
    (
        "Om helhedspleje",
        "om-helhedspleje",
        "Helhedspleje er den personlige pleje og praktiske hjælp, du får i dit eget hjem.",
        [
            _text(
                "Med ældreloven samles personlig pleje, praktisk hjælp og træning i én "
                "helhedspleje, som tilrettelægges sammen med dig. Kommunen visiterer dig og "
                "fortæller, hvilke leverandører du kan vælge imellem."
            ),
            _heading("Leverandører"),
            _text(
                "Helhedspleje kan leveres af kommunen selv eller af private leverandører, som "
                "kommunen har indgået driftsoverenskomst med. Plejeoverblikket viser de "
                "leverandører, din kommune har aftale med."
            ),
        ],
    ),
    (
        "Frit valg",
        "frit-valg",
        "Du har ret til frit at vælge plejehjem og leverandør af helhedspleje.",
        [
            _heading("Frit valg af plejebolig"),
            _text(
                "Er du visiteret til en plejebolig, kan du vælge en plejebolig i din egen eller "
                "en anden kommune, hvis du opfylder betingelserne i begge kommuner. Du kan også "
                "vælge et friplejehjem."
            ),
            _heading("Frit valg af leverandør af helhedspleje"),
            _text(
                "Du kan vælge mellem kommunens egen leverandør og de private leverandører, som "
                "kommunen har aftale med. Du kan skifte leverandør, hvis du ønsker det."
            ),
        ],
    ),
]

EDITOR_GUIDE = [
    _heading("Oversigt over indberetningsprocessen"),
    _text(
        "Som redaktør er din opgave at berige plejeenhederne og helhedsplejeenhederne med de "
        "rette informationer og sørge for, at de løbende ajourføres. Du kan kun se de enheder, "
        "som hører under det samme CVR-nummer, som din bruger er tilknyttet.",
    ),
    _heading("Redigering af indhold"),
    _text(
        "Feltet, du vil redigere, er gråt? Så er oplysningen trukket automatisk via SOR-ID'et. "
        "Stemmer den ikke, skal du rette den direkte i SOR.",
        "OBS: Hvis du har lavet dine ændringer i SOR inden kl. 23, vil de tidligst være synlige "
        "i Plejeoverblikket næste dag kl. 6.",
        "Husk at udfylde alle obligatoriske felter – ellers vil enhederne ikke blive vist i "
        "oversigten.",
    ),
]

ACCESSIBILITY = [
    _text(
        "Sundhedsdatastyrelsen er forpligtet til at gøre Plejeoverblikket tilgængeligt i "
        "overensstemmelse med lov om tilgængelighed af offentlige organers websteder og "
        "mobilapplikationer.",
        "Plejeoverblikket er testet automatisk med axe mod WCAG 2.1 niveau AA og bygget med Det "
        "Fælles Designsystem. Kendte mangler rettes løbende.",
    ),
    _heading("Kontakt og klage"),
    _text(
        "Oplever du problemer med tilgængeligheden, kan du skrive til "
        "plejeoverblikket@sundhedsdata.dk. Du kan klage til Digitaliseringsstyrelsen, hvis du "
        "ikke er tilfreds med svaret.",
    ),
]


def _checklist(heading: str, *questions: str) -> dict:
    return {"type": "checklist", "value": {"heading": heading, "questions": list(questions)}}


CHECKLIST = [
    _checklist(
        "Hverdagen",
        "Hvordan ser en almindelig dag ud – hvornår står man op, spiser og går i seng?",
        "Hvilke aktiviteter er der, og kan man komme ud i frisk luft hver dag?",
        "Hvordan laves maden, og kan man få noget at spise uden for måltiderne?",
        "Må man have egne møbler, kæledyr eller gæster, der overnatter?",
    ),
    _checklist(
        "Pleje og personale",
        "Hvor mange medarbejdere er der om dagen, om aftenen og om natten?",
        "Møder man de samme medarbejdere, og hvem er kontaktperson?",
        "Hvordan får man hjælp fra læge, sygeplejerske og tandlæge?",
        "Hvordan tager I hånd om demens og om livets sidste tid?",
    ),
    _checklist(
        "Pårørende og økonomi",
        "Hvordan inddrages de pårørende, og hvordan holder I os orienteret?",
        "Hvad koster husleje, servicepakke og forplejning om måneden?",
        "Hvor lang er ventetiden på en bolig her?",
        "Hvad siger Ældretilsynets seneste tilsyn, og hvad har I gjort siden?",
    ),
]

CHECKLIST_EN = [
    _checklist(
        "Daily life",
        "What is an ordinary day like – when do residents get up, eat and go to bed?",
        "What activities are there, and can residents get outdoors every day?",
        "How is the food made, and can residents eat between meals?",
        "May residents bring their own furniture, pets or overnight guests?",
    ),
    _checklist(
        "Care and staff",
        "How many staff are on duty in the day, the evening and at night?",
        "Does a resident meet the same staff, and who is the contact person?",
        "How do residents see a doctor, a nurse and a dentist?",
        "How do you care for people with dementia and at the end of life?",
    ),
    _checklist(
        "Relatives and costs",
        "How are relatives involved, and how do you keep us informed?",
        "What do rent, the service package and meals cost a month?",
        "How long is the wait for a home here?",
        "What did Ældretilsynet's latest supervision find, and what have you done since?",
    ),
]


# --- English -----------------------------------------------------------------------------------

TIMELINE_EN = [
    (
        "Identifying private providers of home care – forwarding this information letter to "
        "private providers",
        "Municipality",
        "Week 45 (2025)",
    ),
    (
        "Updating care units in SOR as described in the guide",
        "Municipality/private provider",
        "Week 45 (2025) - week 6 (2026)",
    ),
    (
        "Assigning roles in SEB",
        "The municipality's/company's SEB administrator",
        "Early week 46 (2025)",
    ),
    ("Private home-care providers set up in SEB", "Private provider", "Week 46 (2025)"),
    (
        "Reporting on plejeoverblikket.dk",
        "Municipality/private care units",
        "Week 46 (2025) - week 6 (2026)",
    ),
    (
        "Updating home care in SOR as described in the guide",
        "Municipality/private provider",
        "Week 46 (2025) - week 6 (2026)",
    ),
]


def _driftsinfo_body_en() -> list[dict]:
    return [
        _links("", ("Read the executive order on Plejeoverblikket (in Danish)", BEKENDTGOERELSE)),
        _heading("Status and timetable for Plejeoverblikket"),
        _text(
            "Here you can read about the tasks under way under section 27 of the Danish Act on "
            "Care for Older People and the executive order on Plejeoverblikket, and the "
            "timetable for registering care units and home care in SOR and on "
            "plejeoverblikket.dk.",
        ),
        _heading("The launch of Plejeoverblikket is postponed to mid-February 2026"),
        _text(
            "The launch of Plejeoverblikket is postponed to mid-February 2026, because several "
            "units – municipal and private – have not yet been able to complete the "
            "registrations and reports required. The Danish Health Data Authority and the "
            "Ministry for Senior Citizens have therefore extended the registration period.",
        ),
        {
            "type": "timeline",
            "value": {
                "caption": "Registration timetable",
                "rows": [{"task": a, "performer": b, "period": c} for a, b, c in TIMELINE_EN],
            },
        },
        _heading("Webinars and follow-up sessions"),
        _text(
            "To support the registration of units we hold the webinars and follow-up sessions "
            "below (in Danish). You may need to attend more than one.",
            "All webinars are held on Teams; invitations are sent when you sign up.",
        ),
        {
            "type": "webinar",
            "value": {
                "title": "SOR registration for municipalities",
                "audience": "Municipalities",
                "when": "12 November 2025, 12:30-14:30",
                "link": {
                    "title": "Presentation on SOR registration for municipalities, 12 November",
                    "url": SDS,
                },
            },
        },
        {
            "type": "webinar",
            "value": {
                "title": "SOR registration for private providers",
                "audience": "Private providers",
                "when": "13 November 2025, 12:30-14:30",
                "link": {
                    "title": "Presentation on SOR registration for private providers, 13 November",
                    "url": SDS,
                },
            },
        },
        _heading("Technical support"),
        _text(
            "Service desk, weekdays 9-15. Write Plejeoverblikket in the subject line and give a "
            "telephone number where we can reach you.",
        ),
    ]


ABOUT_EN = [
    _text(
        "Plejeoverblikket gives one overview of every care home for older people and every "
        "provider of home care (helhedspleje) in Denmark. It supports older citizens' free "
        "choice and makes it easier to compare what is on offer.",
        "The rules for Plejeoverblikket – including what must be reported – are set out in "
        "section 27 of the Act on Care for Older People and the executive order on "
        "Plejeoverblikket, in force since 1 July 2025. Plejeoverblikket replaces "
        "Plejehjemsoversigten.",
    ),
    _heading("Where does the information come from?"),
    _text(
        "Plejeoverblikket reads the Danish healthcare organisation register (SOR) and the "
        "central business register (CVR), so that P-numbers, staff numbers and full-time "
        "equivalents stay up to date. The municipalities and providers describe their own care "
        "units. The Danish Authority for Care of Older People (Ældretilsynet) publishes its "
        "supervision reports, quality indicators and any sanctions here.",
    ),
    _links("Read more", ("The executive order on Plejeoverblikket (in Danish)", BEKENDTGOERELSE)),
]

GUIDES_EN = {
    "saadan-vaelger-du-plejehjem": (
        "How to choose a care home",
        "how-to-choose-a-care-home",
        "You can choose the care home you want to live in – in another municipality too.",
        [
            _heading("First, the municipality assesses your needs"),
            _text(
                "When you apply for a care home place, your municipality assesses whether you "
                "are eligible (visitation). Once approved, you may ask for a particular care "
                "home or home."
            ),
            _heading("Compare the care homes"),
            _text(
                "On Plejeoverblikket you can search your municipality and see the care homes "
                "it has an agreement with. You can compare the size and price of the homes, "
                "activities, meals, the staff's training and Ældretilsynet's supervision.",
                "Visit the care home before you choose. Ask about daily life, how relatives "
                "are involved and how long the wait is.",
            ),
        ],
    ),
    "om-helhedspleje": (
        "About home care",
        "about-home-care",
        "Home care (helhedspleje) is the personal care and practical help you get in your own "
        "home.",
        [
            _text(
                "Under the Act on Care for Older People, personal care, practical help and "
                "training are brought together in one home care, planned with you. The "
                "municipality assesses your needs and tells you which providers you can "
                "choose from."
            ),
            _heading("Providers"),
            _text(
                "Home care is provided by the municipality itself or by private providers "
                "the municipality has an agreement with. Plejeoverblikket shows the "
                "providers your municipality has an agreement with."
            ),
        ],
    ),
    "frit-valg": (
        "Free choice",
        "free-choice",
        "You have the right to choose your care home and your home-care provider.",
        [
            _heading("Free choice of care home"),
            _text(
                "Once you are approved for a care home place, you can choose one in your own "
                "or another municipality, if you meet the conditions of both. You can also "
                "choose a friplejehjem (a private care home)."
            ),
            _heading("Free choice of home-care provider"),
            _text(
                "You can choose between the municipality's own provider and the private "
                "providers it has an agreement with, and change provider if you wish."
            ),
        ],
    ),
}

EDITOR_GUIDE_EN = [
    _heading("The reporting process at a glance"),
    _text(
        "As an editor you describe your care units and home-care units and keep the "
        "information up to date. You see only the units under the CVR number your user "
        "belongs to.",
    ),
    _heading("Editing"),
    _text(
        "Is the field you want to edit grey? Then it comes from SOR through the SOR-ID. If it "
        "is wrong, correct it in SOR.",
        "Changes made in SOR before 23:00 show on Plejeoverblikket at the earliest at 6:00 the "
        "next day. Fill in every required field, or the unit is not shown.",
    ),
]

ACCESSIBILITY_EN = [
    _text(
        "The Danish Health Data Authority must make Plejeoverblikket accessible under the "
        "Danish act on the accessibility of public sector bodies' websites and mobile "
        "applications.",
        "Plejeoverblikket is tested automatically with axe against WCAG 2.1 level AA and built "
        "with the Danish common design system (DKFDS). Known issues are fixed as we go.",
    ),
    _heading("Contact and complaints"),
    _text(
        "If you meet a problem with accessibility, write to plejeoverblikket@sundhedsdata.dk. "
        "You can complain to the Agency for Digital Government if you are not satisfied with "
        "the answer.",
    ),
]


def _english(page: Page) -> dict | None:
    """The English translation's fields of one of the demo's Danish pages."""
    if isinstance(page, DriftsinfoPage):
        return {
            "title": "Operations status",
            "slug": "operations-status",
            "status_text": "Planned maintenance: Plejeoverblikket may be unavailable for short "
            "periods on Sunday 6-8 am.",
            "intro": _p(
                "Plejeoverblikket gives an overview of, and lets you compare, every "
                "care home for older people and every home-care provider in Denmark."
            ),
            "body": json.dumps(_driftsinfo_body_en()),
        }
    if isinstance(page, AboutPage):
        return {"title": "About Plejeoverblikket", "slug": "about", "body": json.dumps(ABOUT_EN)}
    if isinstance(page, AccessibilityStatementPage):
        return {
            "title": "Accessibility statement",
            "slug": "accessibility-statement",
            "body": json.dumps(ACCESSIBILITY_EN),
        }
    if isinstance(page, EditorGuidancePage):
        return {
            "title": "Guide for editors",
            "slug": "guide-for-editors",
            "intro": _p("The essentials of the reporting guide."),
            "body": json.dumps(EDITOR_GUIDE_EN),
        }
    if isinstance(page, VisitChecklistPage):
        return {
            "title": "Questions to ask on a visit",
            "slug": "questions-for-your-visit",
            "intro": _p(
                "Take the list with you when you visit a care home or a home-care "
                "provider. Tick off the questions and write down the answers."
            ),
            "body": json.dumps(CHECKLIST_EN),
        }
    if page.slug in GUIDES_EN:
        title, slug, intro, body = GUIDES_EN[page.slug]
        return {"title": title, "slug": slug, "intro": _p(intro), "body": json.dumps(body)}
    return None


def translate(page: Page, fields: dict, language: str = "en") -> Page:
    """The page's translation as Wagtail's "Oversæt" makes it – the same translation key, in
    the locale, under the parent's translation – with its own text, published through a
    revision. (Built directly rather than copied: the demo makes fourteen pages.)"""
    locale = Locale.objects.get(language_code=language)
    parent = page.get_parent().get_translation(locale)
    translation = type(page)(
        **{**fields, "locale": locale, "translation_key": page.translation_key},
        **{name: getattr(page, name) for name in _UNTRANSLATED if hasattr(page, name)},
    )
    return _publish(parent, translation)


# Copied as they are: the status's level and times (the text is translated).
_UNTRANSLATED = ("status_level", "status_from", "status_to")


def _publish(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def create_demo_pages(now: dt.datetime | None = None) -> list[Page]:
    """Replace the demo's pages under the default site's root page and their English
    translations under its English copy; return them (Danish first)."""
    now = now or timezone.now()
    for model in PAGE_TYPES:
        for page in model.objects.all():
            page.delete()
    root = Site.objects.get(is_default_site=True).root_page
    pages: list[Page] = [
        _publish(
            root,
            DriftsinfoPage(
                title="Driftsinfo",
                slug="driftsinfo",
                status_level=StatusLevel.INFO,
                status_text="Planlagt vedligeholdelse: Plejeoverblikket kan være utilgængeligt i "
                "korte perioder søndag kl. 6-8.",
                status_from=now - dt.timedelta(hours=1),
                status_to=now + dt.timedelta(days=7),
                intro=_p(
                    "Plejeoverblikket skal give overblik over og gøre det muligt at sammenligne "
                    "alle plejehjem målrettet ældre og leverandører af helhedspleje i Danmark "
                    "og dermed understøtte det frie valg af plejeenheder og "
                    "helhedsplejeleverandører."
                ),
                body=json.dumps(_driftsinfo_body()),
            ),
        ),
        _publish(
            root,
            AboutPage(
                title="Om Plejeoverblikket", slug="om-plejeoverblikket", body=json.dumps(ABOUT)
            ),
        ),
        _publish(
            root,
            AccessibilityStatementPage(
                title="Tilgængelighedserklæring",
                slug="tilgaengelighedserklaering",
                body=json.dumps(ACCESSIBILITY),
            ),
        ),
        _publish(
            root,
            EditorGuidancePage(
                title="Vejledning til redaktører",
                slug="vejledning-til-redaktoerer",
                intro=_p("De vigtigste punkter fra indberetningsvejledningen."),
                body=json.dumps(EDITOR_GUIDE),
            ),
        ),
    ]
    pages.append(
        _publish(
            root,
            VisitChecklistPage(
                title="Spørgsmål til besøget",
                slug="spoergsmaal-til-besoeget",
                intro=_p(
                    "Tag listen med, når du besøger et plejehjem eller en leverandør af "
                    "helhedspleje. Sæt kryds ved spørgsmålene, og skriv svarene ned."
                ),
                body=json.dumps(CHECKLIST),
            ),
        )
    )
    for title, slug, intro, body in GUIDES:
        pages.append(
            _publish(
                root, GuidancePage(title=title, slug=slug, intro=_p(intro), body=json.dumps(body))
            )
        )
    translations = []
    for page in pages:
        fields = _english(page)
        if fields is not None:
            translations.append(translate(page, fields))
    return pages + translations
