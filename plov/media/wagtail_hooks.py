"""The media pages of a unit, under /admin/enheder/<pk>/medier/ (namespace "unitmedia")."""

from django.urls import include, path
from wagtail import hooks

from plov.media import views

app_name = "unitmedia"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("billeder/<int:slot>/", views.ImageSlotView.as_view(), name="image"),
    path("billeder/<int:slot>/fjern/", views.ImageRemoveView.as_view(), name="image_remove"),
    path("dokumenter/ny/", views.DocumentView.as_view(), name="document_add"),
    path("dokumenter/<int:document_pk>/", views.DocumentView.as_view(), name="document_edit"),
    path(
        "dokumenter/<int:document_pk>/slet/",
        views.DocumentDeleteView.as_view(),
        name="document_delete",
    ),
    path("boligbeskrivelser/ny/", views.HousingView.as_view(), name="housing_add"),
    path("boligbeskrivelser/<int:housing_pk>/", views.HousingView.as_view(), name="housing_edit"),
    path(
        "boligbeskrivelser/<int:housing_pk>/slet/",
        views.HousingDeleteView.as_view(),
        name="housing_delete",
    ),
    path("gendan/<int:removed_pk>/", views.RestoreView.as_view(), name="restore"),
]


@hooks.register("register_admin_urls")
def register_unit_media_urls():
    return [
        path(
            "enheder/<int:pk>/medier/",
            include((urlpatterns, app_name), namespace="unitmedia"),
        ),
    ]


@hooks.register("before_serve_document")
def hide_annulled_documents(document, request):
    """An annulled or removed document is hidden publicly: its direct link answers 404 too,
    except to back-office users who may edit the unit it belongs to."""
    from django.http import Http404

    from plov.accounts.scope import can_edit_unit
    from plov.units.models import UnitDocument

    annulled = UnitDocument.objects.filter(document=document, annulled=True).select_related(
        "unit__owner"
    )
    for unit_document in annulled:
        if not (request.user.is_authenticated and can_edit_unit(request.user, unit_document.unit)):
            raise Http404("Dokumentet er annulleret")
    # A document removed from its unit (restorable for 30 days) is not public either.
    from plov.media.models import RemovedMedia
    from plov.supervision.models import SupervisionFeedback

    removed = RemovedMedia.objects.filter(document=document).select_related("unit__owner")
    if (
        removed.exists()
        and not UnitDocument.objects.filter(document=document, annulled=False).exists()
        and not SupervisionFeedback.objects.filter(document=document).exists()
        and not any(
            request.user.is_authenticated and can_edit_unit(request.user, r.unit) for r in removed
        )
    ):
        raise Http404("Dokumentet er fjernet")
