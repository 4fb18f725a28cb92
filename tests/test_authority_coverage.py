"""The coverage table (which supervising authority covers each municipality, with history) is
the agency's to maintain in the back office. A change moves the units at once (their authority
is derived when read), and the move is in the audit log. Nobody else may touch the table."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from plov.accounts.scope import Scope, can_supervise
from plov.clock import today
from plov.publishing.registration_errors import registration_errors
from plov.registers.readers import MalformedFile
from plov.supervision.authorities import (
    MOVED_ACTION,
    Move,
    authority_by_municipality,
    coverage_change,
    coverage_moves,
    import_authorities,
)
from plov.supervision.models import AuthorityCoverage, SupervisingAuthority
from plov.supervision.register import supervised_units
from plov.units.models import Organisation, Unit
from tests import country as c
from tests.test_backoffice_editing import make_user

SILKEBORG_CVR = "29189919"
HJOERRING_CVR = "29189692"
AGENCY_CVR = "33257872"
SILKEBORG, HJOERRING = "Ældretilsynet Silkeborg", "Ældretilsynet Hjørring"


@pytest.fixture
def world(imported):
    for name, cvr, code in (
        ("Silkeborg Kommune", SILKEBORG_CVR, 740),
        ("Hjørring Kommune", HJOERRING_CVR, 860),
    ):
        Organisation.objects.create(
            kind=Organisation.Kind.MUNICIPALITY, name=name, cvr_number=cvr, municipality_id=code
        )
    return imported


def agency():
    return make_user("sds", roles=["agency"], cvr=AGENCY_CVR, first="Sanne", last="Styrelse")


def aarhus_row() -> AuthorityCoverage:
    return AuthorityCoverage.objects.get(municipality_id=751)


def authority(name: str) -> SupervisingAuthority:
    return SupervisingAuthority.objects.get(name=name)


def listed_authority(sor_id: str) -> str | None:
    return next(r for r in supervised_units() if r["sor_id"] == sor_id)["supervising_authority"]


def form(row: AuthorityCoverage | None = None, **changes) -> dict:
    data = {"municipality": "", "authority": "", "valid_from": "", "valid_to": ""}
    if row is not None:
        data.update(
            municipality=str(row.municipality_id),
            authority=str(row.authority_id),
            valid_from=row.valid_from.isoformat() if row.valid_from else "",
            valid_to=row.valid_to.isoformat() if row.valid_to else "",
        )
    data.update({k: str(v) for k, v in changes.items()})
    return data


def table() -> list[tuple]:
    return list(
        AuthorityCoverage.objects.order_by("pk").values_list(
            "pk", "municipality", "authority", "valid_from", "valid_to"
        )
    )


def state() -> tuple:
    return table(), ModelLogEntry.objects.exclude(action="plov.login").count()


# --- the agency edits; the units follow at once ---------------------------------------------


def test_an_edit_moves_the_units_at_once_and_is_in_the_audit_log(client, world):
    silkeborg = make_user("silkeborg", roles=["supervisor"], cvr=SILKEBORG_CVR)
    hjoerring = make_user("hjoerring", roles=["supervisor"], cvr=HJOERRING_CVR)
    solgaarden = Unit.objects.get(sor_id=c.SOLGAARDEN)
    assert listed_authority(c.SOLGAARDEN) == SILKEBORG
    assert can_supervise(silkeborg, solgaarden) and not can_supervise(hjoerring, solgaarden)

    client.force_login(agency())
    row = aarhus_row()
    response = client.post(
        reverse("tilsynsdaekning:edit", args=[row.pk]),
        form(row, authority=authority(HJOERRING).pk),
    )
    assert response.status_code == 302

    assert authority_by_municipality()[751] == HJOERRING
    assert listed_authority(c.SOLGAARDEN) == HJOERRING
    assert listed_authority(c.SITE_PRIVATE) == SILKEBORG  # Skanderborg did not move
    for user in (silkeborg, hjoerring):
        Scope.forget(user)  # a new request: the scope is computed afresh
    assert can_supervise(hjoerring, solgaarden) and not can_supervise(silkeborg, solgaarden)
    assert solgaarden.sor_id in {u.sor_id for u in Scope.for_user(hjoerring).viewable()}

    entry = ModelLogEntry.objects.get(action=MOVED_ACTION)
    assert entry.user.username == "sds"
    assert entry.label == (f"Aarhus (751): {SILKEBORG} → {HJOERRING} fra {today():%d.%m.%Y}")
    assert entry.data == {
        "municipality": 751,
        "from": SILKEBORG,
        "to": HJOERRING,
        "effective": today().isoformat(),
    }
    assert ModelLogEntry.objects.filter(action="wagtail.edit").count() == 1

    log = client.get(reverse("backoffice:audit_log"), {"handling": MOVED_ACTION})
    page = log.content.decode()
    assert log.status_code == 200
    assert "Tilsynsmyndighed skiftet" in page
    assert f"Aarhus (751): {SILKEBORG} → {HJOERRING}" in page


def test_the_invalid_address_unit_has_no_authority_and_stays_a_registration_error(client, world):
    client.force_login(agency())
    row = aarhus_row()
    client.post(
        reverse("tilsynsdaekning:edit", args=[row.pk]), form(row, authority=authority(HJOERRING).pk)
    )
    assert listed_authority(c.KAERBO) is None
    assert {"sor_id": c.KAERBO, "kind": "invalid_address"}.items() <= next(
        e for e in registration_errors() if e["sor_id"] == c.KAERBO
    ).items()
    out = io.StringIO()
    call_command("registration_errors", stdout=out)
    assert c.KAERBO in out.getvalue()


def test_a_dated_handover_takes_effect_on_its_day(client, world):
    client.force_login(agency())
    row = aarhus_row()
    handover = today() + dt.timedelta(days=30)
    # end the old period, then add the new one
    assert (
        client.post(
            reverse("tilsynsdaekning:edit", args=[row.pk]),
            form(row, valid_to=handover - dt.timedelta(days=1)),
        ).status_code
        == 302
    )
    response = client.post(
        reverse("tilsynsdaekning:add"),
        form(municipality=751, authority=authority(HJOERRING).pk, valid_from=handover),
    )
    assert response.status_code == 302
    assert authority_by_municipality()[751] == SILKEBORG
    assert authority_by_municipality(handover)[751] == HJOERRING
    assert listed_authority(c.SOLGAARDEN) == SILKEBORG
    labels = list(
        ModelLogEntry.objects.filter(action=MOVED_ACTION)
        .order_by("pk")
        .values_list("label", flat=True)
    )
    day = f"{handover:%d.%m.%Y}"
    assert labels == [
        f"Aarhus (751): {SILKEBORG} → ingen tilsynsmyndighed fra {day}",
        f"Aarhus (751): ingen tilsynsmyndighed → {HJOERRING} fra {day}",
    ]


def test_deleting_a_row_leaves_the_municipality_without_authority(client, world):
    client.force_login(agency())
    row = aarhus_row()
    response = client.post(reverse("tilsynsdaekning:delete", args=[row.pk]))
    assert response.status_code == 302
    assert 751 not in authority_by_municipality()
    solgaarden = next(r for r in supervised_units() if r["sor_id"] == c.SOLGAARDEN)
    assert solgaarden["supervising_authority"] is None
    assert (
        solgaarden["registration_error"]
        == "Ingen tilsynsmyndighed dækker beliggenhedskommunen i dag"
    )
    assert ModelLogEntry.objects.get(action=MOVED_ACTION).label == (
        f"Aarhus (751): {SILKEBORG} → ingen tilsynsmyndighed fra {today():%d.%m.%Y}"
    )


def test_the_agency_sees_the_table_and_its_menu_item(client, world):
    client.force_login(agency())
    response = client.get(reverse("tilsynsdaekning:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Aarhus" in page
    # Danish column headings (Wagtail takes them from the model's field names)
    headings = re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?\s*([^<]+?)\s*<", page)
    assert {"Kommune", "Tilsynsmyndighed", "Gyldig fra", "Gyldig til"} <= set(headings)
    assert "Municipality" not in page and "Authority" not in page
    assert client.get(reverse("tilsynsdaekning:add")).status_code == 200
    assert '"/admin/tilsynsdaekning/"' in client.get("/admin/").content.decode()


# --- validation ----------------------------------------------------------------------------


def test_valid_to_may_not_be_before_valid_from(client, world):
    client.force_login(agency())
    before = state()
    response = client.post(
        reverse("tilsynsdaekning:add"),
        form(
            municipality=751,
            authority=authority(HJOERRING).pk,
            valid_from=today() + dt.timedelta(days=10),
            valid_to=today(),
        ),
    )
    assert response.status_code == 200
    assert "‘Gyldig til’ må ikke ligge før ‘gyldig fra’." in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    "period",
    [
        dict(),  # open both ways
        dict(valid_from=today() + dt.timedelta(days=10)),
        dict(valid_to=today() - dt.timedelta(days=10)),
        dict(valid_from=today(), valid_to=today()),
    ],
)
def test_two_periods_of_one_municipality_may_not_overlap(client, world, period):
    client.force_login(agency())
    before = state()
    response = client.post(
        reverse("tilsynsdaekning:add"),
        form(municipality=751, authority=authority(HJOERRING).pk, **period),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Aarhus er allerede dækket af Ældretilsynet Silkeborg uden start- og slutdato." in text
    assert "To perioder for samme kommune må ikke overlappe" in text
    assert state() == before


def test_adjacent_periods_are_fine(client, world):
    client.force_login(agency())
    row = aarhus_row()
    AuthorityCoverage.objects.filter(pk=row.pk).update(valid_to=today())
    response = client.post(
        reverse("tilsynsdaekning:add"),
        form(
            municipality=751,
            authority=authority(HJOERRING).pk,
            valid_from=today() + dt.timedelta(days=1),
        ),
    )
    assert response.status_code == 302
    # an edit may keep its own period
    row.refresh_from_db()
    assert client.post(reverse("tilsynsdaekning:edit", args=[row.pk]), form(row)).status_code == 302


# --- nobody else ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec",
    [
        dict(roles=["editor"], cvr=c.AARHUS_CVR),
        dict(roles=["contract_manager"], cvr=c.AARHUS_CVR),
        dict(roles=["supervisor"], cvr=SILKEBORG_CVR),
    ],
    ids=["editor", "contract_manager", "supervisor"],
)
def test_other_roles_are_refused_and_nothing_changes(client, world, spec):
    client.force_login(make_user("other", **spec))
    row = aarhus_row()
    before = state()
    urls = [
        reverse("tilsynsdaekning:index"),
        reverse("tilsynsdaekning:add"),
        reverse("tilsynsdaekning:edit", args=[row.pk]),
        reverse("tilsynsdaekning:delete", args=[row.pk]),
        reverse("tilsynsdaekning:history", args=[row.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    hjoerring = authority(HJOERRING).pk
    assert (
        client.post(
            urls[1],
            form(
                municipality=101, authority=hjoerring, valid_from=today() + dt.timedelta(days=400)
            ),
        ).status_code
        == 403
    )
    assert client.post(urls[2], form(row, authority=hjoerring)).status_code == 403
    assert client.post(urls[3]).status_code == 403
    assert state() == before
    assert authority_by_municipality()[751] == SILKEBORG
    assert '"/admin/tilsynsdaekning/"' not in client.get("/admin/").content.decode()


def test_anonymous_goes_to_the_login_page(client, world):
    before = state()
    response = client.post(reverse("tilsynsdaekning:edit", args=[aarhus_row().pk]), form())
    assert response.status_code == 302 and "login" in response["Location"]
    assert state() == before


# --- the import ----------------------------------------------------------------------------


def write(tmp_path, lines: list[str]):
    path = tmp_path / "tilsyn.csv"
    path.write_text("\n".join(["kommunekode;tilsyn;gyldig_fra", *lines]) + "\n", encoding="utf-8")
    return path


def current_file_lines() -> list[str]:
    return [f"{code};{name};" for code, name in sorted(authority_by_municipality().items())]


def test_an_import_that_moves_municipalities_is_audited(world, tmp_path):
    summary = import_authorities(write(tmp_path, current_file_lines()))
    assert not ModelLogEntry.objects.filter(action=MOVED_ACTION).exists()  # nothing moved
    assert not any("moved" in n for n in summary.notes)

    lines = [
        line if not line.startswith("751;") else f"751;{HJOERRING};"
        for line in current_file_lines()
    ]
    summary = import_authorities(write(tmp_path, lines))
    assert "kommuner flyttet til en anden tilsynsmyndighed: 751" in summary.notes
    entry = ModelLogEntry.objects.get(action=MOVED_ACTION)
    assert entry.user is None  # the system
    assert entry.label == f"Aarhus (751): {SILKEBORG} → {HJOERRING} fra {today():%d.%m.%Y}"
    assert listed_authority(c.SOLGAARDEN) == HJOERRING


def test_an_imported_history_becomes_consecutive_periods(world, tmp_path):
    later = today() + dt.timedelta(days=10)
    lines = [line for line in current_file_lines() if not line.startswith("751;")]
    import_authorities(write(tmp_path, [*lines, f"751;{SILKEBORG};", f"751;{HJOERRING};{later}"]))
    rows = sorted(
        AuthorityCoverage.objects.filter(municipality_id=751).values_list(
            "authority__name", "valid_from", "valid_to"
        ),
        key=lambda r: r[1] or dt.date.min,
    )
    assert rows == [(SILKEBORG, None, later - dt.timedelta(days=1)), (HJOERRING, later, None)]
    assert ModelLogEntry.objects.get(action=MOVED_ACTION).label == (
        f"Aarhus (751): {SILKEBORG} → {HJOERRING} fra {later:%d.%m.%Y}"
    )


def test_two_rows_with_the_same_start_reject_the_file(world, tmp_path):
    before = table()
    path = write(tmp_path, [f"751;{SILKEBORG};2026-01-01", f"751;{HJOERRING};2026-01-01"])
    with pytest.raises(MalformedFile, match="751 har to rækker med gyldig_fra 2026-01-01"):
        import_authorities(path)
    assert table() == before


def test_moves_are_computed_from_today_on():
    past, future = today() - dt.timedelta(days=100), today() + dt.timedelta(days=100)
    old = {751: [(None, None, "A")]}
    # a correction of the past alone moves nobody
    assert (
        coverage_moves(
            {751: [(None, past, "A"), (past + dt.timedelta(days=1), None, "B")]},
            {751: [(None, past, "C"), (past + dt.timedelta(days=1), None, "B")]},
            today=today(),
        )
        == []
    )
    assert coverage_moves(
        old, {751: [(None, future - dt.timedelta(days=1), "A"), (future, None, "B")]}, today=today()
    ) == [Move(751, "A", "B", future)]
    assert coverage_moves(old, {}, today=today()) == [Move(751, "A", None, today())]


# --- a hand-over in one step ---------------------------------------------------------------


def hand_over_url() -> str:
    return reverse("tilsynsdaekning:hand_over")


def test_a_hand_over_from_today_moves_the_units_with_one_audit_entry(client, world):
    client.force_login(agency())
    assert hand_over_url() in client.get(reverse("tilsynsdaekning:index")).content.decode()
    page = client.get(hand_over_url()).content.decode()
    assert "Skift tilsynsmyndighed" in page and f'value="{today():%d.%m.%Y}"' in page
    response = client.post(
        hand_over_url(),
        {
            "municipality": "751",
            "authority": str(authority(HJOERRING).pk),
            "effective": today().isoformat(),
        },
    )
    assert response.status_code == 302
    rows = list(
        AuthorityCoverage.objects.filter(municipality_id=751)
        .order_by("pk")
        .values_list("authority__name", "valid_from", "valid_to")
    )
    old_from = rows[0][1]
    assert rows == [
        (SILKEBORG, old_from, today() - dt.timedelta(days=1)),
        (HJOERRING, today(), None),
    ]
    assert listed_authority(c.SOLGAARDEN) == HJOERRING
    moves = ModelLogEntry.objects.filter(action=MOVED_ACTION)
    assert [e.label for e in moves] == [
        f"Aarhus (751): {SILKEBORG} → {HJOERRING} fra {today():%d.%m.%Y}"
    ]  # one move, never through "ingen tilsynsmyndighed"


def test_a_planned_hand_over_takes_effect_on_its_day(client, world):
    client.force_login(agency())
    later = today() + dt.timedelta(days=30)
    client.post(
        hand_over_url(),
        {
            "municipality": "751",
            "authority": str(authority(HJOERRING).pk),
            "effective": later.isoformat(),
        },
    )
    assert authority_by_municipality(today())[751] == SILKEBORG
    assert authority_by_municipality(later)[751] == HJOERRING
    # Undoing it: a hand-over back on the same day changes that period, adds none.
    client.post(
        hand_over_url(),
        {
            "municipality": "751",
            "authority": str(authority(SILKEBORG).pk),
            "effective": later.isoformat(),
        },
    )
    assert authority_by_municipality(later)[751] == SILKEBORG
    assert AuthorityCoverage.objects.filter(municipality_id=751).count() == 2


@pytest.mark.parametrize("case", ["already covers", "a later period exists"])
def test_a_hand_over_that_makes_no_sense_is_refused_and_changes_nothing(client, world, case):
    client.force_login(agency())
    if case == "a later period exists":
        client.post(
            hand_over_url(),
            {
                "municipality": "751",
                "authority": str(authority(HJOERRING).pk),
                "effective": (today() + dt.timedelta(days=60)).isoformat(),
            },
        )
        target, expected = HJOERRING, "planlagt periode"
    else:
        target, expected = SILKEBORG, "dækker allerede Aarhus"
    before = state()
    response = client.post(
        hand_over_url(),
        {
            "municipality": "751",
            "authority": str(authority(target).pk),
            "effective": today().isoformat(),
        },
    )
    assert response.status_code == 200 and expected in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    "roles,cvr",
    [
        (["supervisor"], SILKEBORG_CVR),
        (["editor"], c.AARHUS_CVR),
        (["contract_manager"], c.AARHUS_CVR),
    ],
)
def test_only_the_agency_hands_over(client, world, roles, cvr):
    client.force_login(make_user("x", roles=roles, cvr=cvr))
    before = state()
    assert client.get(hand_over_url()).status_code == 403
    response = client.post(
        hand_over_url(),
        {
            "municipality": "751",
            "authority": str(authority(HJOERRING).pk),
            "effective": today().isoformat(),
        },
    )
    assert response.status_code == 403 and state() == before


# --- the change itself, without HTTP --------------------------------------------------------


def test_a_coverage_change_logs_what_its_block_moves(world):
    user = agency()
    row = aarhus_row()
    with coverage_change({751}, user=user):
        row.authority = authority(HJOERRING)
        row.save()
    entry = ModelLogEntry.objects.get(action=MOVED_ACTION)
    assert entry.user == user
    assert entry.data == {
        "municipality": 751,
        "from": SILKEBORG,
        "to": HJOERRING,
        "effective": today().isoformat(),
    }


def test_a_failed_coverage_change_writes_nothing_and_logs_nothing(world):
    user = agency()
    before = state()
    row = aarhus_row()
    with pytest.raises(RuntimeError), coverage_change({751}, user=user):
        row.authority = authority(HJOERRING)
        row.save()
        raise RuntimeError("the save failed half-way")
    assert state() == before
    assert not ModelLogEntry.objects.filter(action=MOVED_ACTION).exists()
