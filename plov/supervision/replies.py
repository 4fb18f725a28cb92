"""Enhedens bemærkninger: a unit's right of reply to Ældretilsynet's feedback (issue 12,
point 5), as plain functions without HTTP.

The unit's editors write a short comment on one feedback (`FeedbackReply`); the public page
shows it beside that feedback, marked as the unit's own words and dated. The authority's text is
another row and is never written here. Every change is a Wagtail revision of the reply (who,
when, what it said), as `plov.agreements.history` does for agreements: the back office lists
the versions newest first. Emptying the text takes the comment off the public page (a version
records that too).

Optimistic concurrency: the form carries the revision it started from; a save over a newer one
is refused (`StaleReply`), so two editors never overwrite each other silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.utils import timezone
from wagtail.models import Revision

from plov.backoffice.locking import format_time, user_name
from plov.supervision.models import REPLY_MAX_LENGTH, FeedbackReply, SupervisionFeedback
from plov.text import InvisibleCharactersRemoved
from plov.units.personal_data import refuse_cpr_numbers

TOO_LONG = (
    "Enhedens bemærkninger må højst være %(limit_value)d tegn (teksten er %(show_value)d tegn). "
    "Forkort teksten, eller henvis til et dokument på enhedens egen hjemmeside."
)
STALE = (
    "Bemærkningerne er ikke gemt: en kollega har gemt en ny version{detail}, siden du åbnede "
    "siden. Din tekst står stadig i feltet; se den nye version, før du gemmer igen."
)
SYSTEM = "System"


class StaleReply(Exception):
    """The reply changed since the form was opened."""

    def __init__(self, reply: FeedbackReply):
        super().__init__("stale")
        self.reply = reply


class ReplyForm(InvisibleCharactersRemoved, forms.Form):
    text = forms.CharField(
        label="Enhedens bemærkninger",
        required=False,
        max_length=REPLY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            f"En kort kommentar til tilsynet, højst {REPLY_MAX_LENGTH} tegn, fx hvad I har gjort "
            "siden besøget. Den vises på enhedens side under tilsynets tilbagemelding, tydeligt "
            "mærket som enhedens egne ord og med dato. Tilsynets tekst ændres ikke. Tøm feltet "
            "og gem for at fjerne bemærkningerne fra siden; tidligere versioner gemmes."
        ),
        error_messages={"max_length": TOO_LONG},
    )
    base_revision = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        refuse_cpr_numbers(self, ["text"])
        return cleaned


def reply_of(feedback: SupervisionFeedback) -> FeedbackReply | None:
    return FeedbackReply.objects.filter(feedback=feedback).first()


def base_of(reply: FeedbackReply | None) -> str:
    return str(reply.latest_revision_id or "") if reply is not None else ""


def save_reply(
    feedback: SupervisionFeedback, text: str, *, by, base_revision: str | None
) -> Revision | None:
    """Store `text` as the unit's comment on `feedback` and record a version; None when the
    text is unchanged (no version). `StaleReply` when the reply changed since `base_revision`."""
    text = (text or "").strip()
    with transaction.atomic():
        # Lock the feedback row: the first two saves of a new reply cannot both create it.
        SupervisionFeedback.objects.select_for_update().get(pk=feedback.pk)
        reply = FeedbackReply.objects.select_for_update().filter(feedback=feedback).first()
        if (base_revision or "") != base_of(reply):
            raise StaleReply(reply)
        if reply is None:
            if not text:
                return None
            reply = FeedbackReply(feedback=feedback, unit_id=feedback.unit_id)
        elif reply.text == text:
            return None
        reply.text = text
        reply.written_on = timezone.localdate() if text else None
        reply.updated_by = by
        reply.save()
        return reply.save_revision(user=by, log_action=True, clean=False)


@dataclass(frozen=True)
class ReplyVersion:
    number: int
    revision: Revision

    @property
    def text(self) -> str:
        return (self.revision.content or {}).get("text", "")

    @property
    def author(self) -> str:
        return user_name(self.revision.user) if self.revision.user_id else SYSTEM

    @property
    def created(self) -> str:
        return format_time(self.revision.created_at)


def versions(reply: FeedbackReply | None) -> list[ReplyVersion]:
    """Newest first, numbered from 1 (the oldest)."""
    if reply is None or reply.pk is None:
        return []
    revisions = list(
        Revision.objects.for_instance(reply).select_related("user").order_by("-created_at", "-id")
    )
    total = len(revisions)
    return [ReplyVersion(total - i, r) for i, r in enumerate(revisions)]


def stale_message(reply: FeedbackReply | None) -> str:
    latest = versions(reply)[:1]
    detail = (
        f" (version {latest[0].number}, {latest[0].author} {latest[0].created})" if latest else ""
    )
    return STALE.format(detail=detail)
