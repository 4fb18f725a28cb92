"""The demo's application guidance: most municipalities have written theirs (every seventh
has not, to show "ikke oplyst"), each saved as version 1 by no one (the demo's import)."""

from __future__ import annotations

from plov.applying.guidance import municipality_slug
from plov.applying.models import ApplicationGuidance
from plov.units.models import Municipality

CARE_HOME = (
    "Du søger om plejebolig hos {name}s visitation. Ring eller skriv, så aftaler vi et besøg, "
    "hvor en visitator taler med dig og dine pårørende om, hvad du har brug for.\n\n"
    "Du får et skriftligt svar, normalt inden for fire uger. Bliver du godkendt, kommer du på "
    "den generelle venteliste (plejeboliggarantien: tilbud inden for to måneder). Ønsker du et "
    "bestemt plejehjem, kan ventetiden blive længere."
)
HOME_CARE = (
    "Har du brug for hjælp i hjemmet, kontakter du visitationen. Visitator kommer på besøg og "
    "aftaler med dig, hvilken helhedspleje du får.\n\n"
    "Du vælger selv leverandør blandt kommunens egen hjemmepleje og de private leverandører, "
    "kommunen har aftale med. Du kan skifte leverandør med en måneds varsel."
)


def _phone(code: int) -> str:
    digits = f"7{code:03d}{code * 37 % 10000:04d}"
    return f"{digits[:4]} {digits[4:]}"


def create_demo_guidance() -> int:
    """Replace the guidance of every municipality; return how many were written."""
    ApplicationGuidance.objects.all().delete()
    rows = []
    for index, municipality in enumerate(Municipality.objects.order_by("code")):
        if index % 7 == 3:
            continue  # not written yet
        slug = municipality_slug(municipality)
        rows.append(
            ApplicationGuidance(
                municipality=municipality,
                care_home_text=CARE_HOME.format(name=municipality.full_name),
                home_care_text=HOME_CARE,
                phone=_phone(municipality.code),
                phone_hours="Hverdage kl. 8-12",
                email=f"visitation@{slug}.dk",
                url=f"https://www.{slug}.dk/",
            )
        )
    ApplicationGuidance.objects.bulk_create(rows)
    return len(rows)
