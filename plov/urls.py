from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from plov import observability
from plov.media.views import serve_document

urlpatterns = [
    # Load balancers' probes: alive (no database) and ready (database, migrations, cache).
    path("healthz", observability.healthz, name="healthz"),
    path("readyz", observability.readyz, name="readyz"),
    path("", include("plov.accounts.urls")),  # /konto/, /oidc/, /admin/login/ → /konto/login/
    path("admin/", include(wagtailadmin_urls)),
    re_path(r"^documents/(\d+)/(.*)$", serve_document),  # Wagtail's, as a download only
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("plov.opendata.urls")),  # /api/v1/, /data/…
    path("", include("plov.public.urls_root")),  # sitemap.xml, robots.txt: no language prefix
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only: documents are served by serve_document, never from MEDIA_ROOT as they are.
    for folder in ("original_images", "images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}"
        )

# The public pages: Danish at /, English at /en/. The agency's pages (plov.pages) are served by
# Wagtail last, in the same two languages (each locale's page tree): they never shadow a page
# above.
urlpatterns += i18n_patterns(
    path("", include("plov.public.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
