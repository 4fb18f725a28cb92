"""Settings shared by every environment. Environment variables are read here, once."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"The environment variable {name} must be set.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc


def env_share(name: str, default: float) -> float:
    """A share between 0 and 1, e.g. 0.05 for 5 %."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = float(raw.replace(",", "."))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number (e.g. 0.05).") from exc
    if not 0 <= value <= 1:
        raise ImproperlyConfigured(f"{name}={raw!r} must lie between 0 and 1 (e.g. 0.05).")
    return value


def env_mapping(name: str, default: dict[str, str]) -> dict[str, str]:
    """`key=value,key=value` (keys lower-cased), e.g. `plejeenhed=care_home`."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    mapping = {}
    for item in filter(None, (i.strip() for i in raw.split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ImproperlyConfigured(f"{name}={raw!r}: {item!r} is not key=value.")
        mapping[key.strip().lower()] = value.strip()
    return mapping


DATA_DIR = Path(env_str("PLOV_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("PLOV_DEBUG", False)
SECRET_KEY = env_str("PLOV_SECRET_KEY", "insecure-dev-key-only-for-local-use" if DEBUG else None)
ALLOWED_HOSTS = [h for h in env_str("PLOV_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

# Demo mode: demo users and local login (see plov demo). Never on in production.
PLOV_DEMO = env_bool("PLOV_DEMO", False)

INSTALLED_APPS = [
    "plov.units",
    "plov.registers",
    "plov.agreements",
    "plov.supervision",
    "plov.publishing",
    "plov.demo",
    "plov.public",
    "plov.opendata",
    "plov.accounts",
    "plov.backoffice",
    "plov.media",
    "plov.pages",
    "plov.applying",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "csp",
    "mozilla_django_oidc",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "plov.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "plov.security.PlovCSPMiddleware",
    "plov.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "plov.security.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Open data may be read by any web page (CORS), without cookies: the open API and the files
# under /data/, not the supervisors' part of the API, the back office or the public pages.
CORS_URLS_REGEX = r"^/(api/v1/(?!tilsyn)|data/)"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("ETag", "Last-Modified")

ROOT_URLCONF = "plov.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "plov.public.context_processors.language_switch",
                "plov.pages.context_processors.site_pages",
            ],
        },
    },
]

WSGI_APPLICATION = "plov.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'plov.sqlite3'}",
        conn_max_age=env_int("PLOV_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the site read while a nightly import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 30

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("da", "Dansk"), ("en", "English")]
# The agency's pages (plov.pages) exist in both languages: Wagtail's own localisation, one page
# tree per locale, translated with "Oversæt" (wagtail.contrib.simple_translation).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
FORMAT_MODULE_PATH = ["plov.formats"]  # English dates as 20 November 2026
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
# Uploaded media (images, PDFs) on S3-compatible object storage when a bucket is given, so that
# every app server serves and deletes the same files; the local disk (PLOV_DATA_DIR) otherwise.
PLOV_MEDIA_S3_BUCKET = env_str("PLOV_MEDIA_S3_BUCKET", "")
if PLOV_MEDIA_S3_BUCKET:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PLOV_MEDIA_S3_BUCKET,
            "endpoint_url": env_str("PLOV_MEDIA_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("PLOV_MEDIA_S3_REGION", "") or None,
            "access_key": env_str("PLOV_MEDIA_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("PLOV_MEDIA_S3_SECRET_ACCESS_KEY", "") or None,
            # Private bucket: the site links to presigned URLs that expire.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": env_int("PLOV_MEDIA_S3_URL_SECONDS", 3600),
            "file_overwrite": False,
            "addressing_style": env_str("PLOV_MEDIA_S3_ADDRESSING_STYLE", "") or None,
            "custom_domain": env_str("PLOV_MEDIA_S3_CUSTOM_DOMAIN", "") or None,
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

WAGTAIL_SITE_NAME = "Plejeoverblikket"
# The accessibility statement in the Agency for Digital Government's WAS-Tool; unset, the
# footer links to the statement page hosted here (plov.pages).
PLOV_ACCESSIBILITY_STATEMENT_URL = env_str("PLOV_ACCESSIBILITY_STATEMENT_URL", "")
# The licence the open data are published under, as named on /data/ ("CC BY 4.0", or another
# name; a Creative Commons name gets its deed linked).
PLOV_OPEN_DATA_LICENCE = env_str("PLOV_OPEN_DATA_LICENCE", "CC BY 4.0")
# A Danish service in Danish time: no time-zone choice (the system's list even holds
# "localtime", which browsers reject).
WAGTAIL_USER_TIME_ZONES = ["Europe/Copenhagen"]
# No calls to third parties from the back office: no Gravatar (it would send a hash of the
# user's e-mail address), no update check, no "what's new in Wagtail" banner.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_BASE_URL = env_str("PLOV_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf"]
# Uploaded documents are served only through Wagtail's view (/documents/<id>/<name>, with the
# annulled check), always as downloads, never inline, with nosniff and a sandboxing CSP
# (plov.media.views.serve_document); MEDIA_ROOT/documents/ is never served as it is.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
# A unit's images keep their cleaned file and folder in Wagtail's library too.
WAGTAILIMAGES_IMAGE_FORM_BASE = "plov.media.forms.LibraryImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "plov.media.forms.LibraryDocumentForm"

# Wagtail runs its background work through Django Tasks; the nightly imports run from cron.
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The cache every app server shares: page and fragment caches and their invalidation keys.
# PLOV_CACHE_URL names a Redis server (redis://host:6379/1, rediss:// for TLS); without it the
# cache is a directory under PLOV_DATA_DIR, which the processes of one machine share (the demo,
# a single server), never a per-process memory cache that other workers would not see cleared.
# `dummy://` caches nothing.
PLOV_CACHE_URL = env_str("PLOV_CACHE_URL", "")
if PLOV_CACHE_URL == "dummy://":  # no cache at all (benchmarks measure the uncached site)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif PLOV_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "plov.cache.RedisCache",  # Django's, one client per pool
            "LOCATION": PLOV_CACHE_URL,
            "KEY_PREFIX": env_str("PLOV_CACHE_PREFIX", "plov"),
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Logs go to stderr (the process manager keeps them). PLOV_LOG_FORMAT=json writes one JSON
# object per line (plov.settings.production's default); `plov.request` has one line per request
# (plov.observability), on in production. Server errors (django.request), importers' and
# the weekly mail's failures are logged at ERROR with their traceback.
PLOV_LOG_FORMAT = env_str("PLOV_LOG_FORMAT", "text")
PLOV_LOG_LEVEL = env_str("PLOV_LOG_LEVEL", "INFO")
PLOV_REQUEST_LOG = env_bool("PLOV_REQUEST_LOG", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "plov.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if PLOV_LOG_FORMAT == "json" else "text",
        }
    },
    "loggers": {
        "plov": {"handlers": ["console"], "level": PLOV_LOG_LEVEL, "propagate": False},
        "plov.request": {
            "handlers": ["console"],
            "level": "INFO" if PLOV_REQUEST_LOG else "WARNING",
            "propagate": False,
        },
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django_tasks": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- Security headers and sessions ------------------------------------------

# Content-Security-Policy (django-csp): the public site runs only its own scripts and styles
# (no inline code); map tiles may come from the tile server. The Wagtail admin needs inline
# styles and scripts, so /admin/ (and only /admin/) gets PLOV_CSP_ADMIN (plov.security).
# The map's base layer is self-hosted (municipality outlines); a deployment may put a tile
# service underneath, e.g. https://…/{z}/{x}/{y}.png, with the attribution its licence asks.
PLOV_MAP_TILE_URL = env_str("PLOV_MAP_TILE_URL", "")
PLOV_MAP_TILE_ATTRIBUTION = env_str("PLOV_MAP_TILE_ATTRIBUTION", "")
_TILE_ORIGIN = "/".join(PLOV_MAP_TILE_URL.split("/")[:3]).replace("{s}.", "*.")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PLOV_CSP_ADMIN = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Permissions-Policy: the site uses none of these browser features.
PLOV_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Sessions (the back office): logged out after PLOV_SESSION_IDLE_MINUTES without a request
# and, however active, PLOV_SESSION_MAX_HOURS after logging in (plov.security).
PLOV_SESSION_IDLE_MINUTES = env_int("PLOV_SESSION_IDLE_MINUTES", 60)
PLOV_SESSION_MAX_HOURS = env_int("PLOV_SESSION_MAX_HOURS", 8)
SESSION_COOKIE_AGE = PLOV_SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Domain settings -------------------------------------------------------

# Minutes without a save after which an edit lock may be taken by someone else.
PLOV_LOCK_TIMEOUT_MINUTES = env_int("PLOV_LOCK_TIMEOUT_MINUTES", 30)
# How many days a removed image, document or housing description can be restored.
PLOV_MEDIA_RESTORE_DAYS = env_int("PLOV_MEDIA_RESTORE_DAYS", 30)

# Uploads. An image may be at most PLOV_MAX_IMAGE_MB large and PLOV_MAX_IMAGE_PIXELS in pixels
# (Wagtail's own limits, so that the unit's upload and Wagtail's image library agree); it is
# stored with its long side at most PLOV_IMAGE_MAX_SIDE pixels and must be at least
# PLOV_IMAGE_MIN_WIDTH × PLOV_IMAGE_MIN_HEIGHT (long × short side). A PDF at most
# PLOV_MAX_DOCUMENT_MB.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("PLOV_MAX_IMAGE_MB", 30) * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("PLOV_MAX_IMAGE_PIXELS", 40_000_000)
PLOV_IMAGE_MAX_SIDE = env_int("PLOV_IMAGE_MAX_SIDE", 2400)
PLOV_IMAGE_MIN_WIDTH = env_int("PLOV_IMAGE_MIN_WIDTH", 800)
PLOV_IMAGE_MIN_HEIGHT = env_int("PLOV_IMAGE_MIN_HEIGHT", 600)
PLOV_MAX_DOCUMENT_MB = env_int("PLOV_MAX_DOCUMENT_MB", 20)


# SOR's unit types that become units (type → care_home or home_care_site); configurable because
# SOR introduces them now. Units still on an older type are listed for the agency, not imported.
PLOV_SOR_UNIT_TYPES = env_mapping(
    "PLOV_SOR_UNIT_TYPES",
    {"plejeenhed": "care_home", "helhedsplejeleverandørsted": "home_care_site"},
)
for _kind in PLOV_SOR_UNIT_TYPES.values():
    if _kind not in {"care_home", "home_care_site"}:
        raise ImproperlyConfigured(
            f"PLOV_SOR_UNIT_TYPES: {_kind!r} is neither care_home nor home_care_site."
        )
PLOV_SOR_LEGACY_TYPES = {
    t.strip().lower()
    for t in env_str(
        "PLOV_SOR_LEGACY_TYPES", "plejehjem,hjemmeplejeenhed,hjemmesygeplejeenhed"
    ).split(",")
    if t.strip()
}
# The demo users' password (plov demo); a fixed default otherwise (demo mode only).
PLOV_DEMO_PASSWORD = env_str("PLOV_DEMO_PASSWORD", "")
# The SOR import refuses a file that would close a larger share of the open units than this,
# or that has that much fewer entities than the last successful import, unless the operator
# passes --allow-mass-closure (a cut-off or wrong day's file would otherwise close the country).
PLOV_SOR_MAX_CLOSURE_SHARE = env_share("PLOV_SOR_MAX_CLOSURE_SHARE", 0.05)
# A vacancy report (free homes, waiting time) older than this many days is shown as outdated,
# not as current, and the agency's data-quality overview lists the care home.
PLOV_VACANCY_MAX_AGE_DAYS = env_int("PLOV_VACANCY_MAX_AGE_DAYS", 30)
if PLOV_VACANCY_MAX_AGE_DAYS < 1:
    raise ImproperlyConfigured("PLOV_VACANCY_MAX_AGE_DAYS must be at least 1 (days).")

# Where the reference data live. The shared copy wins when present.
PLOV_MUNICIPALITIES_CSV = Path(
    env_str("PLOV_MUNICIPALITIES_CSV", str(PROJECT_DIR / "units" / "data" / "municipalities.csv"))
)
PLOV_AUTHORITIES_CSV = Path(
    env_str(
        "PLOV_AUTHORITIES_CSV",
        str(PROJECT_DIR / "supervision" / "data" / "supervising_authorities.csv"),
    )
)

# E-mail (the weekly data-quality summary): an SMTP relay. The password only from the
# environment; nothing about the messages is logged.
EMAIL_HOST = env_str("PLOV_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PLOV_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PLOV_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("PLOV_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("PLOV_EMAIL_STARTTLS", False)
EMAIL_TIMEOUT = 30
ADMINS: list[tuple[str, str]] = []
DEFAULT_FROM_EMAIL = env_str("PLOV_EMAIL_FROM", "Plejeoverblikket <noreply@plejeoverblikket.dk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Single sign-on (SEB): authentication backends, OIDC_* and login URLs.
from .oidc import *  # noqa: E402, F403
