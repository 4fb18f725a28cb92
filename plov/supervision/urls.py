"""The supervisor's back-office pages, mounted by `wagtail_hooks.register_admin_urls` under
/admin/tilsyn/ (namespace "plov_supervision"); Wagtail adds its admin-access check."""

from django.urls import path

from plov.supervision import views

app_name = "plov_supervision"

urlpatterns = [
    path("", views.SupervisionIndexView.as_view(), name="index"),
    path("<int:pk>/", views.UnitSupervisionView.as_view(), name="unit"),
    path("<int:pk>/tilbagemelding/", views.FeedbackCreateView.as_view(), name="feedback"),
    path(
        "<int:pk>/tilbagemelding/<int:feedback_pk>/",
        views.FeedbackEditView.as_view(),
        name="feedback_edit",
    ),
    path(
        "<int:pk>/tilbagemelding/<int:feedback_pk>/tilbagekald/",
        views.FeedbackWithdrawView.as_view(),
        name="feedback_withdraw",
    ),
    path("<int:pk>/sanktion/", views.SanctionFormView.as_view(), name="sanction"),
    path(
        "<int:pk>/sanktion/<int:sanction_pk>/",
        views.SanctionFormView.as_view(),
        name="sanction_edit",
    ),
    path(
        "<int:pk>/sanktion/<int:sanction_pk>/ophaev/",
        views.SanctionLiftView.as_view(),
        name="sanction_lift",
    ),
]
