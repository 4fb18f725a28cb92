from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection

from plov import clock
from tests.country import Country, small_country
from tests.demo import DemoCountry
from tests.imported import Snapshot, import_country, record_session
from tests.servers import static_data_dir  # noqa: F401  (session fixture: collected static files)


@pytest.fixture
def country() -> Country:
    return small_country()


@pytest.fixture(scope="session")
def imported_rows(
    django_db_setup, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Snapshot | None:
    """The rows the import of the small country writes, recorded once (tests/imported.py)."""
    with django_db_blocker.unblock():
        return record_session(tmp_path_factory.mktemp("country"), small_country())


@pytest.fixture
def imported(imported_rows: Snapshot | None, db, tmp_path: Path, country: Country) -> Country:
    """The small country, imported through the real importers: DAR, then CVR, then SOR, then
    the publication refresh. Recorded once per session and written again for each test where
    the recording fits (tests/imported.py); `imported_fresh` always runs the importers."""
    folder = tmp_path / "registers"
    if imported_rows is not None and imported_rows.fits(country, connection):
        country.write(folder)  # the files, as the real import leaves them
        imported_rows.restore(connection)
    else:
        import_country(folder, country)
    return country


@pytest.fixture
def imported_fresh(db, tmp_path: Path, country: Country) -> Country:
    """As `imported`, always through the importers themselves (never the recorded rows)."""
    import_country(tmp_path / "registers", country)
    return country


@pytest.fixture(scope="session")
def demo_country() -> DemoCountry:
    """`demo_country.build()`: the demo country at scale 0.05, built for real once per session
    and written again from its recording for every later test (tests/demo.py)."""
    return DemoCountry()


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
