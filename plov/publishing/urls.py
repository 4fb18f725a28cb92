from django.urls import path

from plov.publishing import views

urlpatterns = [
    path("", views.home, name="home"),
]
