"""The transition list: maintained by the agency, shown publicly and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from plov.clock import today
from plov.supervision.models import TransitionProvider


def test_the_public_page_and_csv_show_current_entries_only(db, client):
    TransitionProvider.objects.create(
        name="Hjemmehjælp Øst ApS", cvr_number="11223344", added_on=today() - dt.timedelta(days=10)
    )
    TransitionProvider.objects.create(
        name="Fjernet A/S",
        cvr_number="55667788",
        added_on=today() - dt.timedelta(days=10),
        removed_on=today() - dt.timedelta(days=1),
    )
    page = client.get("/overgangsordning/").content.decode()
    assert "Hjemmehjælp Øst ApS" in page and "Fjernet A/S" not in page
    response = client.get("/overgangsordning.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [
        ["Virksomhed", "CVR-nummer", "Optaget på listen", "Gælder til"],
        [
            "Hjemmehjælp Øst ApS",
            "11223344",
            (today() - dt.timedelta(days=10)).isoformat(),
            "2027-07-01",
        ],
    ]


def test_a_company_name_cannot_smuggle_a_formula_into_the_csv(db, client):
    TransitionProvider.objects.create(
        name='=HYPERLINK("http://x")',
        cvr_number="11223344",
        added_on=today() - dt.timedelta(days=1),
    )
    text = client.get("/overgangsordning.csv").content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


def test_only_the_agency_group_may_edit_it_in_the_back_office(db, client, django_user_model):
    from django.contrib.auth.models import Group, Permission

    editor = django_user_model.objects.create_user("redaktoer", password="x")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    agency = django_user_model.objects.create_user("sds", password="x")
    group = Group.objects.get(name="Sundhedsdatastyrelsen")  # granted after every migrate
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    agency.groups.add(group)
    url = "/admin/snippets/supervision/transitionprovider/add/"
    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
    response = client.post(
        url,
        {
            "name": "Snyd ApS",
            "cvr_number": "12121212",
            "added_on": today().isoformat(),
            "valid_until": "2027-07-01",
        },
    )
    assert not TransitionProvider.objects.exists()
    client.force_login(agency)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "name": "Ny Omsorg ApS",
            "cvr_number": "12121212",
            "added_on": today().isoformat(),
            "valid_until": "2027-07-01",
        },
    )
    assert response.status_code == 302
    assert TransitionProvider.objects.get().name == "Ny Omsorg ApS"
