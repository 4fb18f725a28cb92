from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from plov import observability

urlpatterns = [
    # Load balancers' probes: alive (no database) and ready (database, migrations, cache).
    path("healthz", observability.healthz, name="healthz"),
    path("readyz", observability.readyz, name="readyz"),
    path("", include("plov.accounts.urls")),  # /konto/, /oidc/, /admin/login/ → /konto/login/
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("plov.opendata.urls")),  # /api/v1/, /data/…
    path("", include("plov.public.urls_root")),  # sitemap.xml, robots.txt: no language prefix
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The public pages: Danish at /, English at /en/.
urlpatterns += i18n_patterns(
    path("", include("plov.public.urls")),
    prefix_default_language=False,
)
