"""PDFs stored for a supervisor's preview that was never published.

The feedback form stores the chosen PDF when it shows the preview (`plov.supervision.views`), so
that "Ret" and "Offentliggør" need no second upload. A preview left without publishing leaves
that document linked to nothing; the nightly run deletes such documents after a day, with their
files. Only feedback PDFs (stored as `tilsyn-…`) in a unit's media folder are touched, and never
one a feedback or a unit document links to (`plov.media.documents.discard_document` decides).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from wagtail.documents import get_document_model

from plov.media.documents import discard_document
from plov.media.models import UnitMediaFolder
from plov.supervision.models import SupervisionFeedback
from plov.units.models import UnitDocument

ABANDONED_AFTER = dt.timedelta(days=1)


def discard_abandoned_previews(now: dt.datetime | None = None) -> int:
    """Delete the preview PDFs older than a day that nothing links to; return how many."""
    cutoff = (now or timezone.now()) - ABANDONED_AFTER
    candidates = (
        get_document_model()
        .objects.filter(
            collection_id__in=UnitMediaFolder.objects.values("collection_id"),
            created_at__lt=cutoff,
        )
        .filter(Q(file__startswith="documents/tilsyn-") | Q(file__startswith="tilsyn-"))
        .exclude(pk__in=SupervisionFeedback.objects.values("document_id"))
        .exclude(pk__in=UnitDocument.objects.values("document_id"))
    )
    count = 0
    for document in candidates:
        discard_document(document)
        count += 1
    return count
