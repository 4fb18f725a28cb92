"""/admin/enheder/<pk>/tilsyn/: the unit's comments on Ældretilsynet's feedback (its right of
reply, issue 12 point 5). The rules are in `plov.supervision.replies`; who may write them is
`plov.accounts.scope.can_reply_to_supervision` (only the unit's own editors: anyone else gets
403 and nothing is written). The supervisor's feedback is shown read-only and never written."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from plov.accounts.http import Forbidden, refuses_forbidden
from plov.accounts.scope import can_reply_to_supervision
from plov.supervision import replies
from plov.supervision.models import FeedbackReply, SupervisionFeedback
from plov.supervision.views import public_url
from plov.units.models import Unit

NOT_ALLOWED = (
    "Kun enhedens egne redaktører kan skrive enhedens bemærkninger til tilsynet. Tilsynets "
    "tilbagemelding kan du se på enhedens offentlige side."
)
SAVED = "Enhedens bemærkninger er gemt og vises nu på enhedens side."
REMOVED = "Enhedens bemærkninger er fjernet fra enhedens side. Tidligere versioner er gemt."
UNCHANGED = "Der var ingen ændringer, så der er ikke oprettet en ny version."


def replies_url(unit: Unit, feedback: SupervisionFeedback | None = None) -> str:
    url = reverse("backoffice:replies", args=[unit.pk])
    return f"{url}#tilbagemelding-{feedback.pk}" if feedback is not None else url


def _unit_for_reply(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("owner"), pk=pk)
    if not can_reply_to_supervision(request.user, unit):
        raise Forbidden(NOT_ALLOWED)
    return unit


@refuses_forbidden
@require_http_methods(["GET"])
def reply_list(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_for_reply(request, pk)
    return _render(request, unit)


@refuses_forbidden
@require_http_methods(["POST"])
def reply_save(request: HttpRequest, pk: int, feedback_pk: int) -> HttpResponse:
    unit = _unit_for_reply(request, pk)
    feedback = SupervisionFeedback.objects.filter(pk=feedback_pk, unit=unit).first()
    if feedback is None:
        raise Http404("Tilbagemeldingen findes ikke")
    form = replies.ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Bemærkningerne er ikke gemt: ret fejlen nedenfor.")
        return _render(request, unit, bound={feedback.pk: form})
    try:
        revision = replies.save_reply(
            feedback,
            form.cleaned_data["text"],
            by=request.user,
            base_revision=form.cleaned_data["base_revision"],
        )
    except replies.StaleReply as stale:
        messages.error(request, replies.stale_message(stale.reply))
        fresh = request.POST.copy()
        fresh["base_revision"] = replies.base_of(stale.reply)
        return _render(request, unit, bound={feedback.pk: replies.ReplyForm(fresh)}, status=409)
    if revision is None:
        messages.info(request, UNCHANGED)
    elif form.cleaned_data["text"]:
        messages.success(request, SAVED)
    else:
        messages.success(request, REMOVED)
    return redirect(replies_url(unit, feedback))


def _render(request, unit: Unit, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    feedback_list = list(
        SupervisionFeedback.objects.filter(unit=unit).select_related("authority", "document")
    )
    by_feedback = {
        r.feedback_id: r for r in FeedbackReply.objects.filter(feedback__in=feedback_list)
    }
    items = []
    for feedback in feedback_list:
        reply = by_feedback.get(feedback.pk)
        form = bound.get(feedback.pk) or replies.ReplyForm(
            initial={"text": reply.text if reply else "", "base_revision": replies.base_of(reply)},
            prefix=None,
        )
        items.append(
            {
                "feedback": feedback,
                "reply": reply,
                "form": form,
                "versions": replies.versions(reply),
                "action": reverse("backoffice:reply_save", args=[unit.pk, feedback.pk]),
            }
        )
    return render(
        request,
        "backoffice/replies.html",
        {
            "unit": unit,
            "items": items,
            "public_url": public_url(unit),
            "max_length": replies.REPLY_MAX_LENGTH,
        },
        status=status,
    )
