"""/admin/kommuner/… (the `register_admin_urls` hook, namespace "applying")."""

from django.urls import path

from plov.applying import views_backoffice as views

app_name = "applying"

urlpatterns = [
    path("ansoeg/", views.index, name="index"),
    path("<int:code>/ansoeg/", views.edit, name="edit"),
    path("<int:code>/ansoeg/laas/", views.lock, name="lock"),
    path("<int:code>/ansoeg/tjek-ind/", views.check_in, name="check_in"),
    path("<int:code>/ansoeg/frigiv/", views.release, name="release"),
    path("<int:code>/ansoeg/historik/", views.history, name="history"),
    path("<int:code>/ansoeg/historik/<int:revision_id>/gendan/", views.restore, name="restore"),
]
