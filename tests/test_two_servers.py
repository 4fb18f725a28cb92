"""Two app servers on one PostgreSQL database and one Redis: a change made through server A is
seen on server B at once (unit page, municipal search, API), not after a cache's lifetime.

Both servers are real `plov serve` (gunicorn) processes under plov.settings.production with
`PLOV_CACHE_URL` on Redis. The contract manager is logged in by a session written to the shared
database as the login view writes it (single sign-on needs a provider; the login itself is
tested in test_accounts_oidc.py); the change is a real HTTP POST of the back office's form, with
its CSRF token, to server A.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import redis

from plov import clock
from plov.agreements.models import AgreementType, ServiceAgreement
from plov.publishing.refresh import refresh_publication
from plov.registers.cvr import import_cvr
from plov.registers.dar import import_dar
from plov.registers.sor import import_sor
from plov.units.models import Organisation, Unit, UnitContent
from plov.units.urls import unit_url
from tests import country as c
from tests.servers import (
    AppServer,
    http,
    logged_in_session,
    require_postgresql,
    require_redis,
    server_env,
    set_cookies,
)
from tests.test_backoffice_agreements import SKANDERBORG, SKANDERBORG_CVR, make_user

AARHUS = 751


@pytest.fixture
def two_servers(reference_data, tmp_path, static_data_dir):
    require_postgresql()
    redis_url = require_redis()
    redis.Redis.from_url(redis_url).flushdb()
    env = server_env(static_data_dir, DATABASE_URL=_database_url(), PLOV_CACHE_URL=redis_url)
    with (
        AppServer(env, tmp_path / "a.log") as server_a,
        AppServer(env, tmp_path / "b.log") as server_b,
    ):
        yield server_a, server_b
    redis.Redis.from_url(redis_url).flushdb()


def _database_url() -> str:
    from tests.servers import database_url

    return database_url()


def _world(tmp_path) -> tuple[Unit, ServiceAgreement]:
    sor_path, cvr_path, dar_path = c.small_country().write(tmp_path / "registers")
    import_dar(dar_path)
    import_cvr(cvr_path)
    import_sor(sor_path)
    Organisation.objects.create(
        kind=Organisation.Kind.MUNICIPALITY, name="Skanderborg Kommune",
        cvr_number=SKANDERBORG_CVR, municipality_id=SKANDERBORG,
    )  # fmt: skip
    lindehus = Unit.objects.get(sor_id=c.LINDEHUS)
    UnitContent.objects.create(unit=lindehus, p_number=c.P_LINDEHUS)
    start = dt.date(2024, 1, 1)
    ServiceAgreement.objects.create(
        municipality_id=AARHUS, unit=lindehus, reference="AAR-1",
        type=AgreementType.OPERATING_AGREEMENT, start=start,
    )  # fmt: skip
    ending = ServiceAgreement.objects.create(
        municipality_id=SKANDERBORG, unit=lindehus, reference="SKA-1",
        type=AgreementType.OPERATING_AGREEMENT, start=start,
    )  # fmt: skip
    refresh_publication()
    return Unit.objects.get(pk=lindehus.pk), ending


@pytest.mark.postgres
def test_an_agreement_ended_on_server_a_is_gone_from_server_b_at_once(two_servers, tmp_path):
    server_a, server_b = two_servers
    unit, agreement = _world(tmp_path)
    unit_path = unit_url(unit)

    def reads() -> dict[str, str]:
        found = {}
        for name, path in (
            ("unit", unit_path),
            ("search", f"/soeg/?kommune={SKANDERBORG}"),
            ("api", f"/api/v1/units?kommune={SKANDERBORG}"),
        ):
            status, _, body = http("GET", server_b.base + path)
            assert status == 200, (name, status, body[:500])
            found[name] = body.decode()
        return found

    # Server B has the pages in the shared cache (read twice: the second read is a hit).
    before = reads()
    assert reads() == before
    assert "Skanderborg" in before["unit"]
    assert "Lindehuset" in before["search"]
    assert c.LINDEHUS in {u["sor_id"] for u in json.loads(before["api"])["items"]}

    manager = make_user("contract_skanderborg", roles=["contract_manager"], cvr=SKANDERBORG_CVR)
    cookies = {"sessionid": logged_in_session(manager)}
    end_url = f"{server_a.base}/admin/serviceleverancer/{agreement.pk}/afslut/"
    status, headers, body = http("GET", end_url, cookies=cookies)
    assert status == 200, body[:500]
    cookies.update(set_cookies(headers))
    yesterday = clock.today() - dt.timedelta(days=1)
    status, headers, body = http(
        "POST", end_url, cookies=cookies,
        data={"csrfmiddlewaretoken": cookies["csrftoken"], "end": yesterday.isoformat()},
    )  # fmt: skip
    assert status == 302, body[:1000]
    agreement.refresh_from_db()
    assert agreement.end == yesterday

    after = reads()
    assert "Skanderborg" not in after["unit"]
    assert "Lindehuset" not in after["search"]
    assert c.LINDEHUS not in {u["sor_id"] for u in json.loads(after["api"])["items"]}
    # Server A agrees, and nothing went wrong on either.
    assert (
        "Lindehuset" not in http("GET", f"{server_a.base}/soeg/?kommune={SKANDERBORG}")[2].decode()
    )
    assert "Traceback" not in server_a.log() + server_b.log()
