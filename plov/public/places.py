"""Where a search is from: a municipality by code or name (`find_municipality`), and the place
behind `adresse=` (`geocode`): a postcode, a town's name, a street (its centre) or an address,
from the DAR addresses in the database (DarAddress, DarStreet's postcodes in DarPostcode).
When the text names several places, or none, the error lists candidates to choose from.
Plain functions, no HTTP."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Avg, Max
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from plov.folding import normalise
from plov.public.query import SearchError
from plov.registers.addresses import match_key, normalise_house_number, normalise_street
from plov.registers.dar import VALID_STATUSES
from plov.registers.models import DarAddress, DarPostcode
from plov.units.models import Municipality


@dataclass
class Origin:
    label: str
    latitude: float
    longitude: float


def find_municipality(text: str) -> tuple[Municipality | None, SearchError | None, str | None]:
    """A kommunekode or a name → (municipality, error, notice). One query."""
    municipalities = list(Municipality.objects.all())
    cleaned = text.strip()
    if cleaned.isdigit():
        code = int(cleaned) if len(cleaned) <= 4 else -1
        found = next((m for m in municipalities if m.code == code), None)
        if found is None:
            return (
                None,
                SearchError(
                    "kommune",
                    _(
                        "Der findes ingen kommune med kommunekoden %(code)s. "
                        "Skriv kommunens navn, fx Aarhus, eller en kode med tre cifre, fx 751."
                    )
                    % {"code": cleaned[:10]},
                ),
                None,
            )
        return found, None, None

    wanted = normalise(cleaned)
    wanted = re.sub(r"\b(kommune|kommunes|municipality)\b", " ", wanted).strip()
    wanted = " ".join(wanted.split())
    by_name = {normalise(m.name): m for m in municipalities}
    for candidate in (wanted, wanted.removesuffix("s")):
        if candidate in by_name:
            return by_name[candidate], None, None
    best = process.extractOne(wanted, list(by_name), scorer=fuzz.ratio) if wanted else None
    if best and best[1] >= 85:
        found = by_name[best[0]]
        return found, None, _("Vi viser resultater for %(name)s.") % {"name": str(found)}
    hint = ""
    if best and best[1] >= 60:
        hint = " " + _("Mente du %(name)s?") % {"name": by_name[best[0]].name}
    return (
        None,
        SearchError(
            "kommune",
            _("Vi kender ikke kommunen «%(text)s».") % {"text": cleaned}
            + hint
            + " "
            + _("Skriv kommunens navn, fx Aarhus eller Frederiksberg."),
        ),
        None,
    )


POSTCODE = re.compile(r"^(\d{4})(?:\s+(?P<town>[^\d,]+))?$")


LOOKS_LIKE_POSTCODE = re.compile(r"^(?=.*\d)[\w-]{1,6}$")


ADDRESS = re.compile(
    r"^(?P<street>.*?[^\W\d_].*?)[\s,]+(?P<number>\d{1,4}\s?[^\W\d_]?)(?=$|[\s,.])(?P<rest>.*)$"
)


def geocode(text: str) -> tuple[Origin | None, SearchError | None]:
    """A postcode or a town's name (the centre of its DAR addresses), or an address matched on
    DAR. One query (the postcodes' centres are kept by the DAR import: DarPostcode)."""
    text = " ".join(text.replace(";", ",").split())
    postcode_match = POSTCODE.match(text)
    if postcode_match:
        return _postcode_centre(postcode_match.group(1))
    if LOOKS_LIKE_POSTCODE.match(text):
        return None, SearchError(
            "adresse",
            _("«%(text)s» er ikke et postnummer. Et postnummer har fire cifre, fx 8000.")
            % {"text": text},
        )
    if not any(ch.isdigit() for ch in text):
        town = _town_centre(text)
        if town:
            return town, None
    street_match = STREET_IN_POSTCODE.match(text)
    if street_match:
        found = _street_centre(street_match.group("street"), street_match.group("postcode"))
        if found:
            return found
    address_match = ADDRESS.match(text)
    if not address_match:
        found = _street_centre(text) if not any(ch.isdigit() for ch in text) else None
        if found:
            return found
        return None, _with_suggestions(
            text,
            _(
                "Skriv et postnummer, fx 8000, eller en adresse med vejnavn, husnummer og "
                "postnummer, fx Solvej 4, 8000."
            ),
        )
    street = address_match.group("street").strip(" ,")
    number = normalise_house_number(address_match.group("number"))
    postcode = re.search(r"\b(\d{4})\b", address_match.group("rest"))
    addresses = DarAddress.objects.filter(status__in=VALID_STATUSES, latitude__isnull=False)
    if postcode:
        addresses = addresses.filter(match_key=match_key(street, number, postcode.group(1)))
    else:
        prefix = match_key(street, number, "")
        addresses = addresses.filter(match_key__startswith=prefix)
    rows = list(
        addresses.values(
            "street_name", "house_number", "postcode", "postcode_name", "latitude", "longitude"
        )[:50]
    )
    if not rows:
        return None, _with_suggestions(
            text,
            _(
                "Vi kan ikke finde adressen «%(text)s». Tjek stavemåden, eller søg på "
                "postnummer, fx 8000."
            )
            % {"text": text},
        )
    postcodes = {r["postcode"] for r in rows}
    if len(postcodes) > 1:
        places = sorted({(r["postcode"], r["postcode_name"], r["street_name"]) for r in rows})
        return None, SearchError(
            "adresse",
            _("Der er flere adresser, der hedder «%(text)s». Skriv også postnummeret, fx %(ex)s.")
            % {
                "text": text,
                "ex": f"{rows[0]['street_name']} {rows[0]['house_number']}, {sorted(postcodes)[0]}",
            },
            choices=[
                f"{street_name} {rows[0]['house_number']}, {code} {town}".strip()
                for code, town, street_name in places[:MAX_CHOICES]
            ],
        )
    first = rows[0]
    street_part = f"{first['street_name']} {first['house_number']}"
    label = f"{street_part}, {first['postcode']} {first['postcode_name']}"
    return Origin(
        label=label.strip(),
        latitude=sum(r["latitude"] for r in rows) / len(rows),
        longitude=sum(r["longitude"] for r in rows) / len(rows),
    ), None


MAX_SUGGESTED = 5


def _with_suggestions(text: str, message: str) -> SearchError:
    """The error for a place not found, with what the address suggestions make of the text
    (a typo in the street, a town for the postcode) as links to choose from."""
    from plov.public.suggest import suggest

    choices = [s.text for s in suggest(text, limit=MAX_SUGGESTED)]
    if choices:
        message += " " + _("Mente du en af disse?")
    return SearchError("adresse", message, choices=choices)


STREET_IN_POSTCODE = re.compile(
    r"^(?P<street>[^\d,]*[^\W\d_][^\d,]*),\s*(?P<postcode>\d{4})\b[^\d,]*$"
)


MAX_CHOICES = 10


def _street_centre(
    text: str, postcode: str | None = None
) -> tuple[Origin | None, SearchError | None] | None:
    """A street without a house number: the centre of its addresses, when the name (and the
    postcode, if given) leaves one street; the streets to choose from when it leaves several;
    None when no street has the name. One query on the match key's prefix index."""
    prefix = f"{normalise_street(text)}|"
    if prefix == "|":
        return None
    streets = list(
        DarAddress.objects.filter(
            match_key__startswith=prefix, status__in=VALID_STATUSES, latitude__isnull=False
        )
        .filter(**({"postcode": postcode} if postcode else {}))
        .values("postcode")
        .annotate(
            street=Max("street_name"),
            town=Max("postcode_name"),
            latitude=Avg("latitude"),
            longitude=Avg("longitude"),
        )
        .order_by("postcode")[: MAX_CHOICES + 1]
    )
    labels = [f"{s['street']}, {s['postcode']} {s['town']}".strip() for s in streets]
    if len(streets) == 1:
        only = streets[0]
        return Origin(label=labels[0], latitude=only["latitude"], longitude=only["longitude"]), None
    if not streets:
        return None
    return None, SearchError(
        "adresse",
        _("Vejen «%(text)s» findes i flere postnumre. Vælg den, du mener:") % {"text": text},
        choices=labels[:MAX_CHOICES],
    )


def _postcode_centre(postcode: str) -> tuple[Origin | None, SearchError | None]:
    centre = DarPostcode.objects.filter(postcode=postcode).first()
    if centre is None:
        return None, SearchError(
            "adresse",
            _("Vi kender ikke postnummeret %(postcode)s. Tjek, at det er skrevet rigtigt.")
            % {"postcode": postcode},
        )
    label = f"{postcode} {centre.name}".strip()
    return Origin(label=label, latitude=centre.latitude, longitude=centre.longitude), None


def _town_key(text: str) -> str:
    """'Viby J', 'viby  j', 'AEROESKOEBING' and 'Ærøskøbing' alike."""
    text = " ".join(unicodedata.normalize("NFC", text).casefold().replace(".", " ").split())
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def _town_centre(text: str) -> Origin | None:
    """A postcode's name (postnrnavn), e.g. Viby J: the centre of its addresses, over every
    postcode of that name (København K has many)."""
    wanted = _town_key(text)
    matches = [p for p in DarPostcode.objects.all() if _town_key(p.name) == wanted]
    total = sum(p.addresses for p in matches)
    if not total:
        return None
    return Origin(
        label=matches[0].name,
        latitude=sum(p.latitude * p.addresses for p in matches) / total,
        longitude=sum(p.longitude * p.addresses for p in matches) / total,
    )
