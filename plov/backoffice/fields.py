"""Form fields for what Danes type in the back office: dates, decimals and whole numbers.

Every date field of the back office is a `DanishDateField`: a plain text input that shows
dd.mm.åååå whatever the browser's language, accepts the forms people write (`1.2.2020`,
`01.02.2020`, `1/2/2020`, `1/2-2020`, ISO `2020-02-01`) and stores exactly that date, or refuses
with one message. Nothing is ever replaced silently (no date picker rewrites the text).

Decimals are written with a comma (`20,5`), a point is read as a decimal point too, and the
editor shows the value with a comma. Whole numbers may carry a thousands separator (`7.500`).
The parsing is Danish whatever the admin's language, so a value never changes its meaning with
the user's settings.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

DATE_FORMAT = "%d.%m.%Y"
DATE_PLACEHOLDER = "dd.mm.åååå"
INVALID_DATE = "Skriv datoen som dd.mm.åååå, fx 01.02.2020"
INVALID_DECIMAL = "Skriv et tal, fx 20,5"

# day, month, four-digit year, separated by . / or - (mixed allowed: 1/2-2020)
_DANISH_DATE = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
MIN_YEAR, MAX_YEAR = 1800, 2199


def parse_date(text: str) -> dt.date:
    """The date a Dane means by `text`; ValueError if it is not one (never a guess)."""
    value = (text or "").strip()
    match = _DANISH_DATE.fullmatch(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.fullmatch(value)
        if not match:
            raise ValueError(f"not a date: {text!r}")
        year, month, day = (int(g) for g in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year out of range: {text!r}")
    return dt.date(year, month, day)  # ValueError for 31.02.2020


def format_date(value: dt.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


class DanishDateInput(forms.TextInput):
    """A text input showing dd.mm.åååå; `backoffice/forms.js` tidies what was typed (1/2-2020
    becomes 01.02.2020) and says when it cannot read it, but never replaces it."""

    def __init__(self, attrs=None):
        defaults = {
            "placeholder": DATE_PLACEHOLDER,
            "autocomplete": "off",
            "data-plov-date": "",
            "size": "10",
            "class": "plov-date",
        }
        super().__init__({**defaults, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return format_date(value)
        return super().format_value(value)


class DanishDateField(forms.DateField):
    widget = DanishDateInput
    default_error_messages = {"invalid": INVALID_DATE}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


# --- numbers --------------------------------------------------------------------------------


def parse_decimal(text: str) -> Decimal:
    """`20,5`, `20.5`, `1.234,5`, `1 234,5` → Decimal; InvalidOperation if not a number."""
    value = str(text).strip().replace("\xa0", " ").replace(" ", "")
    if "," in value:
        whole, _, fraction = value.rpartition(",")
        if "." in whole:
            if not re.fullmatch(r"-?\d{1,3}(\.\d{3})+", whole):
                raise InvalidOperation(text)
            whole = whole.replace(".", "")
        value = f"{whole}.{fraction}"
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", value):
        raise InvalidOperation(text)
    return Decimal(value)


def format_decimal(value) -> str:
    """19.9 → '19,9', 20.0 → '20' (as the public site shows it)."""
    if value is None or value == "":
        return ""
    text = format(Decimal(str(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


class DanishDecimalInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, (Decimal, float, int)) and not isinstance(value, bool):
            return format_decimal(value)
        return super().format_value(value)


class DanishDecimalField(forms.DecimalField):
    """A decimal as Danes write it (`20,5`); a point is read as a decimal point too."""

    widget = DanishDecimalInput
    default_error_messages = {
        "invalid": INVALID_DECIMAL,
        "max_decimal_places": "Skriv højst %(max)s decimal(er)",
        "max_whole_digits": "Tallet er for stort",
        "max_digits": "Tallet er for stort",
        "min_value": "Tallet må ikke være mindre end %(limit_value)s",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            number = value
        else:
            try:
                number = parse_decimal(str(value))
            except InvalidOperation:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def format_whole_number(value: int) -> str:
    """7500 → '7.500', as the public site shows amounts."""
    return f"{value:,}".replace(",", ".")


class WholeNumberInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return format_whole_number(value)
        return super().format_value(value)


class WholeNumberField(forms.IntegerField):
    """A whole number, as Danes write it: '7500', '7.500' or '7 500' (also with 'kr.');
    shown as '7.500'."""

    widget = WholeNumberInput
    default_error_messages = {
        "invalid": "Skriv et helt tal uden decimaler, f.eks. 7500.",
        "min_value": "Tallet må ikke være mindre end %(limit_value)s.",
        "max_value": "Tallet må højst være %(limit_value)s.",
    }

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip().replace("\xa0", " ")
            text = re.sub(r"(?i)\s*kr\.?$", "", text).strip()
            if re.fullmatch(r"\d{1,3}(?:[. ]\d{3})+", text):
                text = text.replace(".", "").replace(" ", "")
            if text and not re.fullmatch(r"-?\d+", text):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            value = text
        return super().to_python(value)


def name_empty_choice(field: forms.Field, label: str) -> None:
    """A select's empty choice says what to do ("Vælg type") instead of Django's "---------"."""
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = label
        return
    choices = list(getattr(field, "choices", []))
    if choices and choices[0][0] in ("", None):
        field.choices = [("", label), *choices[1:]]
