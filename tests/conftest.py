from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plov import clock
from plov.registers.cvr import import_cvr
from plov.registers.dar import import_dar
from plov.registers.runs import refresh_after
from plov.registers.sor import import_sor
from tests.country import Country, small_country
from tests.servers import static_data_dir  # noqa: F401  (session fixture: collected static files)


@pytest.fixture
def country() -> Country:
    return small_country()


@pytest.fixture
def imported(db, tmp_path: Path, country: Country) -> Country:
    """The small country, imported through the real importers: DAR, then CVR, then SOR, and
    publication refreshed once after them, as `plov nightly` does."""
    sor_path, cvr_path, dar_path = country.write(tmp_path / "registers")
    refresh_after(import_dar(dar_path), import_cvr(cvr_path), import_sor(sor_path))
    return country


@pytest.fixture
def today() -> dt.date:
    return clock.today()


@pytest.fixture
def reference_data(transactional_db):
    """Municipalities, professions, properties and the authority table, as migrations load them.

    For tests that run against a live server with a flushed database (transactional tests
    empty every table afterwards, reference data included): the browser tests, two servers."""
    from django.apps import apps as django_apps

    from plov.supervision.authorities import load_default_authorities
    from plov.units.models import Municipality, Profession, Property
    from plov.units.reference_data import load_municipalities, load_professions_and_properties

    load_municipalities(Municipality)
    load_professions_and_properties(Profession, Property)
    from django.conf import settings

    load_default_authorities(settings.PLOV_AUTHORITIES_CSV)
    # groups and permissions granted after migrate (e.g. the agency's)
    from plov.supervision.apps import grant_agency_permissions

    grant_agency_permissions(django_apps.get_app_config("supervision"))
    from wagtail.models import Collection

    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )

    if not Page.get_first_root_node():
        # As Wagtail's initial migration: the tree's root, the site's root page under it.
        root = Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="Plejeoverblikket", slug="home"))
        Site.objects.get_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    from plov.pages.i18n import ensure_locales

    ensure_locales()  # the English locale and the root page's English copy
