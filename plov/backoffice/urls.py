"""/admin/enheder/… (included by the `register_admin_urls` hook, namespace "backoffice").

The media page /admin/enheder/<pk>/medier/ belongs to plov.media and is registered there."""

from django.urls import path

from plov.backoffice import views, views_agency, views_replies

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("laase/", views_agency.locks_overview, name="locks"),
    path("revisionslog/", views_agency.audit_log, name="audit_log"),
    path("<int:pk>/", views.editor, name="edit"),
    path("<int:pk>/laas/", views.lock, name="lock"),
    path("<int:pk>/tjek-ind/", views.check_in, name="check_in"),
    path("<int:pk>/frigiv/", views.release, name="release"),
    path("<int:pk>/pnummer/", views.pnumber_check, name="pnumber"),
    path("<int:pk>/historik/", views.history_view, name="history"),
    path("<int:pk>/tilsyn/", views_replies.reply_list, name="replies"),
    path("<int:pk>/tilsyn/<int:feedback_pk>/", views_replies.reply_save, name="reply_save"),
    path("<int:pk>/historik/<int:revision_id>/gendan/", views.restore, name="restore"),
]
