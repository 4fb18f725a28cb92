"""The unit's right of reply (issue 12, point 5): beside Ældretilsynet's feedback the unit's
own editors publish a short, dated comment ("Enhedens bemærkninger"), with versions. It never
changes the authority's text; another organisation's editor, a municipality's editor on a
private unit, the supervisor and the agency get 403 and nothing is written."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from plov.supervision import replies
from plov.supervision.models import FeedbackReply, SupervisionFeedback
from plov.units.models import Unit
from tests import country as c
from tests import test_supervision_backoffice as base
from tests.test_backoffice_editing import make_user
from tests.test_supervision_backoffice import GENTOFTE_CVR, SILKEBORG_CVR, make_feedback

world = base.world  # Solgården (Aarhus Kommune's) published, with Ældretilsynet Silkeborg
_fresh_cache_and_media = base._fresh_cache_and_media


@pytest.fixture
def feedback(world):
    return make_feedback(world["solgaarden"], world["authority"])


def list_url(unit) -> str:
    return reverse("backoffice:replies", args=[unit.pk])


def save_url(unit, feedback) -> str:
    return reverse("backoffice:reply_save", args=[unit.pk, feedback.pk])


def login(client, name: str, roles, cvr, **kwargs):
    user = make_user(name, roles, cvr, first=name.capitalize(), last="Test", **kwargs)
    client.force_login(user)
    return user


def the_world() -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "feedback": [model_to_dict(f) for f in SupervisionFeedback.objects.order_by("pk")],
        "replies": [model_to_dict(r) for r in FeedbackReply.objects.order_by("pk")],
        "revisions": Revision.objects.count(),
    }


# --- the rules ---------------------------------------------------------------------------------


def test_a_reply_is_saved_with_a_version_and_never_touches_the_feedback(world, feedback):
    editor = make_user("anna", ["editor"], c.AARHUS_CVR, first="Anna", last="Andersen")
    before = model_to_dict(SupervisionFeedback.objects.get(pk=feedback.pk))
    first = replies.save_reply(
        feedback, "  Vi har indført dobbeltkontrol.  ", by=editor, base_revision=""
    )
    reply = FeedbackReply.objects.get(feedback=feedback)
    assert reply.text == "Vi har indført dobbeltkontrol." and reply.unit_id == feedback.unit_id
    assert reply.written_on == timezone.localdate() and reply.updated_by == editor
    assert model_to_dict(SupervisionFeedback.objects.get(pk=feedback.pk)) == before

    # The same text again: no version. A stale base: refused, nothing written.
    assert (
        replies.save_reply(
            feedback, "Vi har indført dobbeltkontrol.", by=editor, base_revision=str(first.pk)
        )
        is None
    )
    with pytest.raises(replies.StaleReply):
        replies.save_reply(feedback, "Andet", by=editor, base_revision="")
    second = replies.save_reply(
        feedback, "Vi har indført dobbeltkontrol og kurser.", by=editor, base_revision=str(first.pk)
    )
    # Emptied: off the public page, and the versions keep what it said.
    replies.save_reply(feedback, "", by=editor, base_revision=str(second.pk))
    reply.refresh_from_db()
    assert reply.text == "" and not reply.shown and reply.written_on is None
    versions = replies.versions(reply)
    assert [v.number for v in versions] == [3, 2, 1]
    assert [v.text for v in versions] == [
        "",
        "Vi har indført dobbeltkontrol og kurser.",
        "Vi har indført dobbeltkontrol.",
    ]
    assert versions[0].author == "Anna Andersen"
    assert model_to_dict(SupervisionFeedback.objects.get(pk=feedback.pk)) == before


def test_the_form_limits_the_length_in_danish_and_strips_invisible_characters():
    form = replies.ReplyForm({"text": "Vi\u200b har rettet\u202e op.", "base_revision": ""})
    assert form.is_valid() and form.cleaned_data["text"] == "Vi har rettet op."
    too_long = replies.ReplyForm({"text": "x" * 1001})
    assert not too_long.is_valid()
    assert too_long.errors["text"] == [
        "Enhedens bemærkninger må højst være 1000 tegn (teksten er 1001 tegn). Forkort "
        "teksten, eller henvis til et dokument på enhedens egen hjemmeside."
    ]
    # Invisible characters do not count towards the limit.
    assert replies.ReplyForm({"text": "x" * 1000 + "\u2066\u200b"}).is_valid()
    cpr = replies.ReplyForm({"text": "Borger 010203-1234 er flyttet."})
    assert not cpr.is_valid() and "CPR-nummer" in cpr.errors["text"][0]


# --- the back office ---------------------------------------------------------------------------


def test_the_units_editor_publishes_a_reply_shown_beside_the_feedback(client, world, feedback):
    unit = world["solgaarden"]
    # The page as cached before the comment: a save must renew it.
    assert "Enhedens bemærkninger" not in base.public_page(client, unit)
    login(client, "anna", ["editor"], c.AARHUS_CVR)
    editor_page = client.get(reverse("backoffice:edit", args=[unit.pk])).content.decode()
    assert 'id="replies-link"' in editor_page

    page = client.get(list_url(unit)).content.decode()
    assert "Kun mindre bemærkninger om dokumentation." in page  # the authority's words, read-only
    assert "Fra Ældretilsynet – kan ikke ændres af enheden" in page
    assert 'name="summary"' not in page and 'name="status"' not in page

    response = client.post(
        save_url(unit, feedback),
        {
            "text": "Vi har siden tilsynet indført en ny skabelon for dokumentation.",
            "base_revision": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#tilbagemelding-{feedback.pk}")
    reply = FeedbackReply.objects.get(feedback=feedback)

    public = base.public_page(client, unit)
    section = public[public.index('id="tilsyn"') : public.index('id="kvalitet"')]
    assert section.index("Kun mindre bemærkninger om dokumentation.") < section.index(
        "Enhedens bemærkninger"
    )
    assert "Vi har siden tilsynet indført en ny skabelon for dokumentation." in section
    assert "Det er stedets egne ord, ikke Ældretilsynets." in section
    assert timezone.localdate().strftime("%Y") in section

    # The API's unit (and its OpenAPI document) carries the comment, marked as the unit's.
    data = client.get(f"/api/v1/units/{unit.pk}").json()
    (comment,) = data["supervision_comments"]
    assert comment["text"] == reply.text and comment["source"] == "unit"
    assert comment["feedback_inspected_on"] == feedback.inspected_on.isoformat()
    assert comment["written_on"] == reply.written_on.isoformat()
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert (
        "Enhedens bemærkninger" in schema["SupervisionComment"]["properties"]["text"]["description"]
    )

    # A second save without the version it started from is refused, the text kept.
    login(client, "bent", ["editor"], c.AARHUS_CVR)
    response = client.post(save_url(unit, feedback), {"text": "Bents tekst", "base_revision": ""})
    assert response.status_code == 409
    assert "en kollega har gemt en ny version" in response.content.decode()
    assert "Bents tekst</textarea>" in response.content.decode()
    assert FeedbackReply.objects.get(feedback=feedback).text == reply.text


def test_a_too_long_reply_is_refused_with_the_text_kept(client, world, feedback):
    unit = world["solgaarden"]
    login(client, "anna", ["editor"], c.AARHUS_CVR)
    before = the_world()
    response = client.post(save_url(unit, feedback), {"text": "å" * 1001, "base_revision": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "må højst være 1000 tegn (teksten er 1001 tegn)" in page
    assert "å" * 1001 + "</textarea>" in page
    assert the_world() == before


PRIVATE = "private"


@pytest.mark.parametrize(
    ("who", "roles", "cvr", "target"),
    [
        ("another company's editor", ["editor"], c.COMPANY_CVR, "solgaarden"),
        ("a municipality's editor on a private unit", ["editor"], c.AARHUS_CVR, PRIVATE),
        ("the supervisor", ["supervisor"], SILKEBORG_CVR, "solgaarden"),
        ("another supervisor", ["supervisor"], GENTOFTE_CVR, "solgaarden"),
        ("the agency", ["agency"], "33257872", "solgaarden"),
        ("a contract manager", ["contract_manager"], c.AARHUS_CVR, "solgaarden"),
        ("an editor narrowed to another SOR-ID", ["editor"], c.AARHUS_CVR, "narrowed"),
    ],
)
def test_anyone_but_the_units_editors_is_refused(client, world, who, roles, cvr, target):
    unit = world["solgaarden"]
    sor_ids = ()
    if target == PRIVATE:
        unit = Unit.objects.get(sor_id=c.LINDEHUS)  # the private company's care home
    if target == "narrowed":
        sor_ids = (c.KAERBO,)
    feedback = make_feedback(unit, world["authority"])
    before = the_world()
    login(client, "someone", roles, cvr, sor_ids=sor_ids)
    assert client.get(list_url(unit)).status_code == 403, who
    response = client.post(
        save_url(unit, feedback), {"text": "Ikke vores ord", "base_revision": ""}
    )
    assert response.status_code == 403, who
    assert "Kun enhedens egne redaktører" in response.content.decode()
    assert the_world() == before


def test_the_supervisors_own_edit_keeps_the_units_reply(client, world, feedback):
    """Correcting the feedback (the supervisor's form) leaves the unit's words as they were."""
    unit = world["solgaarden"]
    editor = make_user("anna", ["editor"], c.AARHUS_CVR)
    replies.save_reply(feedback, "Vi er uenige i vurderingen.", by=editor, base_revision="")
    base.actor(client, "supervisor")
    response = client.post(
        base.url("feedback_edit", unit.pk, feedback.pk),
        base.feedback_data(summary="Rettet sammenfatning.", text="Forsøg på at skrive svaret"),
    )
    assert response.status_code in (200, 302)
    assert FeedbackReply.objects.get(feedback=feedback).text == "Vi er uenige i vurderingen."


def test_a_feedback_of_another_unit_is_not_found(client, world, feedback):
    other = Unit.objects.get(sor_id=c.KAERBO)
    login(client, "anna", ["editor"], c.AARHUS_CVR)
    response = client.post(save_url(other, feedback), {"text": "x", "base_revision": ""})
    assert response.status_code == 404
    assert not FeedbackReply.objects.exists()


def test_updated_since_sees_a_new_or_withdrawn_comment(client, world, feedback):
    unit = world["solgaarden"]
    editor = make_user("anna", ["editor"], c.AARHUS_CVR)
    since = timezone.now()

    def changed() -> list[int]:
        response = client.get("/api/v1/units", {"updated_since": since.isoformat()})
        return [item["id"] for item in response.json()["items"]]

    assert changed() == []
    first = replies.save_reply(feedback, "Vi har rettet op.", by=editor, base_revision="")
    assert changed() == [unit.pk]
    since = timezone.now()
    assert changed() == []
    replies.save_reply(feedback, "", by=editor, base_revision=str(first.pk))
    assert changed() == [unit.pk]
    assert client.get(f"/api/v1/units/{unit.pk}").json()["supervision_comments"] == []
