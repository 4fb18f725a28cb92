"""What a citizen choosing home care asks about (issue 12, point 6), as plain rules.

Home-care providers and sites (helhedspleje) are compared on what a care home's fields do not
say: whether the citizen gets help from a fixed team (`fixed_teams`), how many different helpers
a citizen typically meets in a fortnight (`helpers_per_fortnight`), how precisely visits keep to
the agreed time (`visit_window_minutes`, with the provider's own words on what happens when a
helper is late: `punctuality_policy`), the languages the staff speak besides Danish
(`languages`) and the services offered (`services`).

`languages` and `services` are stored as comma-separated codes from the fixed lists below
(`LANGUAGES`, `SERVICES`), in the lists' order, so that a filter works on every database and a
revision stores plain text. Unknown codes (a list shortened later) are kept but not shown.

`home_care_facts` is what the unit page and compare show: each figure from the site itself, or
– when the site has not said – from its provider (the aggregate), with the source said.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The fields, in the order the editor, the unit page and compare show them.
HOME_CARE_FIELDS = [
    "helpers_per_fortnight",
    "visit_window_minutes",
    "punctuality_policy",
    "languages",
    "services",
]

MAX_HELPERS = 60  # more different helpers in 14 days than this is not a typing error we allow
PLAUSIBLE_HELPERS_WITH_FIXED_TEAMS = 12
MAX_VISIT_WINDOW = 240  # minutes
POLICY_MAX_LENGTH = 600

# Languages spoken by staff besides Danish: (code, Danish name). ISO 639 codes; "dsl" is Danish
# sign language (ISO 639-3), "hbs" Bosnian/Croatian/Serbian.
LANGUAGES = [
    ("en", _("Engelsk")),
    ("de", _("Tysk")),
    ("sv", _("Svensk")),
    ("no", _("Norsk")),
    ("kl", _("Grønlandsk")),
    ("fo", _("Færøsk")),
    ("pl", _("Polsk")),
    ("ro", _("Rumænsk")),
    ("uk", _("Ukrainsk")),
    ("hbs", _("Bosnisk, kroatisk eller serbisk")),
    ("tr", _("Tyrkisk")),
    ("ar", _("Arabisk")),
    ("fa", _("Persisk (farsi)")),
    ("ur", _("Urdu")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("dsl", _("Dansk tegnsprog")),
]

SERVICES = [
    ("personlig_pleje", _("Personlig pleje")),
    ("praktisk_hjaelp", _("Praktisk hjælp (rengøring og tøjvask)")),
    ("indkoeb", _("Indkøb")),
    ("madservice", _("Madservice")),
    ("sygepleje", _("Sygepleje")),
    ("rehabilitering", _("Rehabilitering og træning")),
    ("nat", _("Hjælp om natten")),
    ("demens", _("Særlig indsats ved demens")),
    ("livets_afslutning", _("Pleje ved livets afslutning")),
    ("ledsagelse", _("Ledsagelse")),
]

LANGUAGE_LABELS = dict(LANGUAGES)
SERVICE_LABELS = dict(SERVICES)

SOURCE_UNIT = _("Oplyst af enheden")
SOURCE_PROVIDER = _("Oplyst af leverandøren")


def split_codes(value: str | None) -> list[str]:
    """'en,pl' → ['en', 'pl']; empty → []."""
    return [code for code in (value or "").split(",") if code.strip()]


def join_codes(codes, choices) -> str:
    """The chosen codes in the list's order, without repeats or unknown codes."""
    chosen = set(codes or [])
    return ",".join(code for code, _label in choices if code in chosen)


def labels(value: str | None, choices) -> list[str]:
    """The Danish (or active language's) names of the stored codes, in the list's order."""
    stored = set(split_codes(value))
    return [str(label) for code, label in choices if code in stored]


def language_labels(value: str | None) -> list[str]:
    return labels(value, LANGUAGES)


def service_labels(value: str | None) -> list[str]:
    return labels(value, SERVICES)


def home_care_problems(values: dict) -> dict[str, str]:
    """{field: Danish message} for values that cannot be right (the save is refused)."""
    problems = {}
    helpers = values.get("helpers_per_fortnight")
    if helpers is not None and not 1 <= helpers <= MAX_HELPERS:
        problems["helpers_per_fortnight"] = (
            f"Antal forskellige hjælpere på 14 dage skal være mellem 1 og {MAX_HELPERS} "
            f"(du skrev {helpers})."
        )
    window = values.get("visit_window_minutes")
    if window is not None and not 0 <= window <= MAX_VISIT_WINDOW:
        problems["visit_window_minutes"] = (
            f"Minutter fra det aftalte tidspunkt skal være mellem 0 og {MAX_VISIT_WINDOW} "
            f"(du skrev {window})."
        )
    return problems


def home_care_warnings(values: dict, changed: set[str] | None = None) -> list[str]:
    """Allowed but probably wrong: fixed teams, yet many different helpers in a fortnight."""
    helpers = values.get("helpers_per_fortnight")
    if (
        values.get("fixed_teams")
        and helpers is not None
        and helpers > PLAUSIBLE_HELPERS_WITH_FIXED_TEAMS
        and (changed is None or changed & {"fixed_teams", "helpers_per_fortnight"})
    ):
        return [
            f"Enheden arbejder med faste teams, men en borger møder typisk {helpers} forskellige "
            f"hjælpere på 14 dage (over {PLAUSIBLE_HELPERS_WITH_FIXED_TEAMS}). Tjek tallet."
        ]
    return []


# --- what the public site shows --------------------------------------------------------------


@dataclass
class HomeCareFact:
    key: str
    label: str
    value: object  # int, str or list[str]; None when not stated
    explanation: str
    source: str | None = None

    @property
    def known(self) -> bool:
        return self.value not in (None, "", [])

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


FACT_LABELS = {
    "fixed_teams": _("Faste teams"),
    "helpers_per_fortnight": _("Forskellige hjælpere på 14 dage"),
    "visit_window_minutes": _("Besøget kommer til tiden"),
    "punctuality_policy": _("Hvis hjælperen bliver forsinket"),
    "languages": _("Sprog ud over dansk"),
    "services": _("Ydelser"),
}

FACT_EXPLANATIONS = {
    "fixed_teams": _(
        "Faste teams betyder, at den samme lille gruppe medarbejdere kommer hos borgeren."
    ),
    "helpers_per_fortnight": _(
        "Hvor mange forskellige medarbejdere en borger typisk møder i løbet af to uger. "
        "Færre betyder mere genkendelighed."
    ),
    "visit_window_minutes": _(
        "Hvor mange minutter før eller efter det aftalte tidspunkt hjælperen kommer."
    ),
    "punctuality_policy": _("Stedets egne ord om, hvad der sker, når et besøg bliver forsinket."),
    "languages": _("Sprog, som medarbejderne taler med borgerne ud over dansk."),
    "services": _("Det, stedet tilbyder at hjælpe med."),
}


def _stated(name: str, content) -> object:
    if content is None:
        return None
    value = getattr(content, name, None)
    if name == "languages":
        return language_labels(value)
    if name == "services":
        return service_labels(value)
    if name == "fixed_teams":
        return value  # a saved content says yes or no
    return value


def home_care_facts(content, provider_content=None) -> list[HomeCareFact]:
    """The home-care facts of a unit: its own, else its provider's (source says which)."""
    facts = []
    for name in ["fixed_teams", *HOME_CARE_FIELDS]:
        value = _stated(name, content)
        source = SOURCE_UNIT
        if value in (None, "", []) and provider_content is not None:
            value = _stated(name, provider_content)
            source = SOURCE_PROVIDER
        if value in (None, "", []):
            value, source = None, None
        facts.append(
            HomeCareFact(
                key=name,
                label=str(FACT_LABELS[name]),
                value=value,
                explanation=str(FACT_EXPLANATIONS[name]),
                source=str(source) if source else None,
            )
        )
    return facts
