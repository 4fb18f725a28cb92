"""When a unit is published, and what a citizen searching a municipality sees (§5, §6)."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from plov.agreements.models import AgreementDescription, AgreementType, ServiceAgreement
from plov.clock import today
from plov.publishing.refresh import refresh_publication
from plov.publishing.rules import MISSING_DESCRIPTION, NO_AGREEMENT, SOR_NESTED
from plov.publishing.visibility import visible_units
from plov.registers.pnumber import HOME_NURSING_CODE, MISSING, SECONDARY_CODE, WRONG_CODE
from plov.units.models import Unit, UnitContent, UnitKind
from tests import country as c

AARHUS, SKANDERBORG, ODDER = 751, 746, 727


def unit(sor_id: str) -> Unit:
    return Unit.objects.get(sor_id=sor_id)


def give_p_number(sor_id: str, p_number: str) -> None:
    UnitContent.objects.update_or_create(unit=unit(sor_id), defaults={"p_number": p_number})


def agree(
    sor_id: str, party: int, type_: str, *, start=None, end=None, ref=None
) -> ServiceAgreement:
    return ServiceAgreement.objects.create(
        municipality_id=party,
        unit=unit(sor_id),
        type=type_,
        start=start or today() - dt.timedelta(days=30),
        end=end,
        reference=ref or f"{party}-{sor_id}-{type_}-{start}-{end}",
    )


def describe(sor_id: str, party: int, text: str = "Vi leverer hjemmehjælp hele døgnet.") -> None:
    AgreementDescription.objects.create(unit=unit(sor_id), municipality_id=party, text=text)


def categories(sor_id: str) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for w in unit(sor_id).warnings:
        result.setdefault(w["category"], []).append(w["message"])
    return result


@pytest.fixture
def complete(imported):
    """Solgården, Lindehuset and the three sites with P-numbers and agreements."""
    give_p_number(c.SOLGAARDEN, c.P_SOLGAARDEN)
    give_p_number(c.LINDEHUS, c.P_LINDEHUS)
    give_p_number(c.SITE_NORTH, c.P_SITE_NORTH)
    give_p_number(c.SITE_SOUTH, c.P_SITE_SOUTH)
    give_p_number(c.SITE_PRIVATE, c.P_SITE_PRIVATE)
    agree(c.SOLGAARDEN, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_NORTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.SITE_SOUTH, AARHUS, AgreementType.OWN_PRODUCTION)
    agree(c.LINDEHUS, AARHUS, AgreementType.OPERATING_AGREEMENT)
    refresh_publication()
    return imported


def test_a_new_unit_lists_what_is_missing_in_the_three_categories(imported):
    assert categories(c.SOLGAARDEN) == {"P-nummer": [MISSING], "Serviceleverance": [NO_AGREEMENT]}
    assert not unit(c.SOLGAARDEN).published


def test_a_unit_with_p_number_sound_sor_and_an_agreement_is_published(complete):
    assert unit(c.SOLGAARDEN).published
    assert unit(c.SOLGAARDEN).warnings == []
    assert unit(c.LINDEHUS).published


def test_warnings_allow_publication_errors_do_not(complete):
    give_p_number(c.SOLGAARDEN, c.P_HOME_NURSING)
    give_p_number(c.LINDEHUS, c.P_SECONDARY)
    refresh_publication()
    assert unit(c.SOLGAARDEN).published
    assert unit(c.SOLGAARDEN).warnings == [
        {"category": "P-nummer", "message": HOME_NURSING_CODE, "level": "warning"}
    ]
    assert unit(c.LINDEHUS).published
    assert categories(c.LINDEHUS) == {"P-nummer": [SECONDARY_CODE]}

    give_p_number(c.SOLGAARDEN, c.P_WRONG_CODE)
    refresh_publication()
    assert not unit(c.SOLGAARDEN).published
    assert categories(c.SOLGAARDEN) == {"P-nummer": [WRONG_CODE]}


def test_a_nested_care_home_is_not_published_even_when_complete(imported):
    give_p_number(c.NESTED_PARENT, c.P_SOLGAARDEN)
    agree(c.NESTED_PARENT, AARHUS, AgreementType.OWN_PRODUCTION)
    refresh_publication()
    assert not unit(c.NESTED_PARENT).published
    assert categories(c.NESTED_PARENT) == {"SOR": [SOR_NESTED]}


def test_missing_texts_and_images_do_not_block_publication(complete):
    content = unit(c.SOLGAARDEN).content
    assert content.values == "" and content.image_1 is None
    assert unit(c.SOLGAARDEN).published


def test_a_citizen_sees_exactly_the_units_with_an_agreement_in_force(complete):
    assert set(visible_units(AARHUS).values_list("sor_id", flat=True)) == {
        c.SOLGAARDEN,
        c.LINDEHUS,
        c.SITE_NORTH,
        c.SITE_SOUTH,
    }


def test_an_agreement_shows_a_unit_in_another_municipality(complete):
    # Odder has an agreement with the private site lying in Skanderborg
    agree(c.SITE_PRIVATE, ODDER, AgreementType.OPERATING_AGREEMENT)
    describe(c.SITE_PRIVATE, ODDER)
    refresh_publication()
    assert set(visible_units(ODDER).values_list("sor_id", flat=True)) == {c.SITE_PRIVATE}
    # ... and Skanderborg, where it lies, does not see it without an agreement of its own
    assert not visible_units(SKANDERBORG).exists()


def test_a_home_care_operating_agreement_counts_only_with_a_description(complete):
    agree(c.SITE_PRIVATE, ODDER, AgreementType.OPERATING_AGREEMENT)
    refresh_publication()
    assert not visible_units(ODDER).exists()
    assert not unit(c.SITE_PRIVATE).published
    assert categories(c.SITE_PRIVATE) == {
        "Serviceleverance": [MISSING_DESCRIPTION.format(party="Odder Kommune")]
    }
    describe(c.SITE_PRIVATE, ODDER)
    refresh_publication()
    assert unit(c.SITE_PRIVATE).published
    assert list(visible_units(ODDER).values_list("sor_id", flat=True)) == [c.SITE_PRIVATE]


def test_a_care_home_operating_agreement_needs_no_description(complete):
    assert AgreementDescription.objects.filter(unit__sor_id=c.LINDEHUS).count() == 0
    assert visible_units(AARHUS).filter(sor_id=c.LINDEHUS).exists()


@pytest.mark.parametrize(
    ("start_offset", "end_offset", "visible"),
    [(0, None, True), (-400, 0, True), (-400, -1, False), (1, None, False)],
)
def test_an_agreement_is_in_force_from_start_to_end_inclusive(
    complete, start_offset, end_offset, visible
):
    """Days relative to today, resolved when the test runs (not when it is collected)."""
    day = today()
    start = day + dt.timedelta(days=start_offset)
    end = None if end_offset is None else day + dt.timedelta(days=end_offset)
    agree(c.SITE_PRIVATE, ODDER, AgreementType.OPERATING_AGREEMENT, start=start, end=end)
    describe(c.SITE_PRIVATE, ODDER)
    refresh_publication()
    assert visible_units(ODDER).filter(sor_id=c.SITE_PRIVATE).exists() is visible


def test_an_unpublished_unit_is_not_shown_despite_an_agreement(complete):
    agree(c.KAERBO, AARHUS, AgreementType.OWN_PRODUCTION)  # invalid address, no P-number
    refresh_publication()
    assert not visible_units(AARHUS).filter(sor_id=c.KAERBO).exists()


def test_plov_import_sor_hides_a_closed_unit_and_shows_it_again(complete, tmp_path, country):
    """The importer only imports; `plov import sor` refreshes publication after it, and each
    time the unit comes on or goes off the public site is logged once."""
    from django.core.management import call_command
    from wagtail.models import ModelLogEntry

    from plov.backoffice.audit import AuditAction

    solgaarden = unit(c.SOLGAARDEN)

    def logged(action: str) -> int:
        return ModelLogEntry.objects.filter(
            action=action, object_id=str(solgaarden.pk), content_type__model="unit"
        ).count()

    assert solgaarden.published
    published = logged(AuditAction.PUBLISHED)
    closed = country.copy()
    closed.sor = [e for e in closed.sor if e.sor_id != c.SOLGAARDEN]
    out = io.StringIO()
    call_command("import_register", "sor", str(closed.write(tmp_path / "day2")[0]), stdout=out)
    assert not visible_units(AARHUS).filter(sor_id=c.SOLGAARDEN).exists()
    assert not unit(c.SOLGAARDEN).published
    assert Unit.objects.filter(sor_id=c.SOLGAARDEN).exists()  # closed, not deleted
    assert logged(AuditAction.UNPUBLISHED) == 1

    call_command("import_register", "sor", str(country.write(tmp_path / "day3")[0]), stdout=out)
    assert visible_units(AARHUS).filter(sor_id=c.SOLGAARDEN).exists()
    assert unit(c.SOLGAARDEN).published
    assert (logged(AuditAction.PUBLISHED), logged(AuditAction.UNPUBLISHED)) == (published + 1, 1)


def test_the_provider_is_shown_when_one_of_its_sites_is(complete):
    provider = unit(c.SITE_NORTH).parent
    assert provider.kind == UnitKind.HOME_CARE_PROVIDER
    assert provider.published
    private_provider = unit(c.SITE_PRIVATE).parent
    assert not private_provider.published


def test_refreshing_twice_writes_nothing_the_second_time(complete):
    assert refresh_publication() == 0
