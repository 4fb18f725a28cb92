"""Two people can never hold one lock: 20 threads, each with its own database connection, try to
lock the same unit at the same moment; exactly one wins.

Only meaningful on PostgreSQL, where the threads' UPDATEs really run concurrently (SQLite
serialises every write, so a race there proves nothing). Run with
`DATABASE_URL=postgresql://… pytest tests/test_backoffice_lock_race.py`.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from plov.backoffice import locking
from plov.units.models import Organisation, Unit, UnitContent, UnitKind

THREADS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="the lock race needs PostgreSQL: SQLite serialises all writes, so threads "
        "cannot race there (set DATABASE_URL=postgresql://…)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _world():
    owner = Organisation.objects.create(
        kind=Organisation.Kind.COMPANY, name="Kapløb ApS", cvr_number="11223344"
    )
    unit = Unit.objects.create(
        kind=UnitKind.CARE_HOME, sor_id="900000000001", name="Kapløbshjemmet", owner=owner
    )
    User = get_user_model()
    users = [User.objects.create_user(f"racer{i}") for i in range(THREADS)]
    return unit, users


def _race(unit, users) -> list[tuple[int, bool]]:
    barrier = threading.Barrier(len(users))
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    guard = threading.Lock()

    def attempt(user):
        try:
            barrier.wait(timeout=30)
            result = locking.acquire(Unit.objects.get(pk=unit.pk), user)
            with guard:
                results.append((user.pk, result.acquired))
        except BaseException as error:  # reported below
            with guard:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert len(results) == len(users)
    return results


def test_twenty_editors_race_for_a_new_units_lock_and_one_wins():
    assert connection.vendor == "postgresql"
    unit, users = _world()
    assert not UnitContent.objects.filter(unit=unit).exists()  # created by the race, once

    results = _race(unit, users)

    winners = [pk for pk, acquired in results if acquired]
    assert len(winners) == 1
    content = UnitContent.objects.get(unit=unit)
    assert content.locked and content.locked_by_id == winners[0]
    assert ModelLogEntry.objects.filter(action="wagtail.lock").count() == 1


def test_twenty_editors_race_for_an_expired_lock_and_one_wins():
    unit, users = _world()
    User = get_user_model()
    sleeper = User.objects.create_user("sleeper")
    UnitContent.objects.create(
        unit=unit,
        locked=True,
        locked_by=sleeper,
        locked_at=timezone.now() - locking.lock_timeout() - dt.timedelta(minutes=1),
    )

    results = _race(unit, users)

    winners = [pk for pk, acquired in results if acquired]
    assert len(winners) == 1
    content = UnitContent.objects.get(unit=unit)
    assert content.locked_by_id == winners[0] and content.locked_at > timezone.now() - dt.timedelta(
        minutes=1
    )
    entry = ModelLogEntry.objects.get(action="wagtail.lock")
    assert entry.user_id == winners[0] and entry.data == {"expired_lock_of": "sleeper"}
