"""Include once, at the top of the root URLconf: `path("", include("plov.accounts.urls"))`.

- /konto/login/, /konto/login/demo/, /konto/logout/, /konto/afvist/ (namespace "accounts");
- /oidc/authenticate/, /oidc/callback/, /oidc/logout/ (mozilla-django-oidc, unnamespaced: it
  reverses its own names);
- /admin/login/ → /konto/login/: Wagtail's password form is never shown;
- /admin/logout/ is ours: Wagtail's "Log ud" ends the SEB session too.
"""

from django.urls import include, path
from django.views.generic import RedirectView

from plov.accounts import views

konto = [
    path("login/", views.login_page, name="login"),
    path("login/demo/", views.demo_login, name="demo-login"),
    path("logout/", views.logout_view, name="logout"),
    path("afvist/", views.refused, name="refused"),
]

urlpatterns = [
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/logout/", views.logout_view),
    path("konto/", include((konto, "accounts"))),
    path("oidc/", include("mozilla_django_oidc.urls")),
]
