"""The agreements' back-office pages, mounted by `wagtail_hooks.register_admin_urls` under
/admin/serviceleverancer/ (namespace "plov_agreements"); Wagtail adds its admin-access check."""

from django.urls import path

from plov.agreements import views

app_name = "plov_agreements"

urlpatterns = [
    path("", views.AgreementIndexView.as_view(), name="index"),
    path("ny/", views.AgreementFormView.as_view(), name="create"),
    path("<int:pk>/", views.AgreementFormView.as_view(), name="edit"),
    path("<int:pk>/afslut/", views.AgreementEndView.as_view(), name="end"),
    path("<int:pk>/annuller/", views.AgreementAnnulView.as_view(), name="annul"),
    path("<int:pk>/historik/", views.AgreementHistoryView.as_view(), name="history"),
    path("aftalebeskrivelser/", views.DescriptionIndexView.as_view(), name="descriptions"),
    path(
        "aftalebeskrivelser/<int:unit_pk>/<int:code>/",
        views.DescriptionEditView.as_view(),
        name="description",
    ),
]
