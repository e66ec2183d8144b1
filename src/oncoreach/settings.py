"""Oncoreach settings: one module, driven by environment variables.

Every choice that differs between the embedded default (one machine, SQLite, files under
``var/``) and a production deployment (PostgreSQL, Redis, SMTP, object storage) is read from the
environment here, with the embedded default when unset (ARCHITECTURE.md §1). Test settings only
speed things up (``settings_test.py``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the repository root
SRC_DIR = BASE_DIR / "src"
VAR_DIR = Path(os.environ.get("ONCOREACH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no setting: 1/true/yes/on are true, anything else false."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """A whole-number setting, with a clear error for a value that is not one."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_secret(name: str, default: str = "") -> str:
    """A secret from ``NAME`` or, for container secrets, from the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list setting."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core -------------------------------------------------------------------------------------
# DEBUG is on only when asked for; `make run` asks, `make serve` and production do not.
DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("ONCOREACH_TESTING", default=False)

# A production start without a secret key refuses to start rather than run with a known key.
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) in the environment, "
            "or DEBUG=1 for local development. `make serve` creates one in var/secret_key."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Our domain apps first, so their templates override the libraries' ones.
    "oncoreach.core",
    "oncoreach.accounts",
    "oncoreach.geo",
    "oncoreach.people",
    "oncoreach.programs",
    "oncoreach.calls",
    "oncoreach.volunteers",
    "oncoreach.travel",  # trips and visa letters, used by workshops and awards
    "oncoreach.stories",
    "oncoreach.workshops",
    "oncoreach.awards",
    "oncoreach.mentoring",
    "oncoreach.reporting",  # read-only: impact figures, dashboard, world map, exports
    "oncoreach.pages",
    "oncoreach.api",
    "oncoreach.messaging",
    "oncoreach.demo",  # the top layer: demo data built through every app's services
    # Wagtail: stories and the public content pages.
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
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
    # Libraries.
    "django_tasks",
    "django_tasks_db",
    "template_partials",
    "axes",
    "ninja",  # the JSON API; installed so its docs page uses our static files, not a CDN
    "hijack",  # administrators "view as" a person; only through our views (accounts), never its own URLs
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # /api/ only: the one error shape for every error, ETag and 304 (also for page-cache hits).
    "oncoreach.api.middleware.ApiMiddleware",
    # Outermost, so a cached page for an anonymous reader skips all the rest; the stored page
    # already carries the headers the middleware below added (security, CSP).
    "oncoreach.core.middleware.PublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, except that /api/ paths are never redirected to /en/api/….
    "oncoreach.api.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "oncoreach.core.middleware.ReaderTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # While an administrator views the site as someone, refuse every unsafe request but "stop".
    "oncoreach.accounts.middleware.ViewAsReadOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes last: it turns a throttled login into a clear "too many attempts" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oncoreach.urls"
WSGI_APPLICATION = "oncoreach.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "oncoreach" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "oncoreach.core.context_processors.society",
                "oncoreach.accounts.context_processors.view_as",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------------------------
# SQLite in WAL mode under var/ by default; DATABASE_URL switches to PostgreSQL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'oncoreach.sqlite3'}")
# Persistent connections (DB_CONN_MAX_AGE seconds) are checked before each request reuses them, so a
# database restart costs no failed request once the server is back (README: connection sizing).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE transactions and a busy timeout let the web server and the worker share the
        # file without "database is locked" errors; WAL lets readers run beside one writer.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-32000; PRAGMA mmap_size=268435456;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
# Shared by every worker process (file cache by default; Redis with CACHE_URL=redis://...).
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://")):
    # Fail-soft: while Redis is unreachable every read is a miss and every write is dropped (the
    # pages are rendered instead of served from cache); short socket timeouts keep a hung Redis
    # from holding requests, and CACHE_RETRY_SECONDS is how long a process skips Redis after an error.
    CACHES = {
        "default": {
            "BACKEND": "oncoreach.core.cache_backends.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
# Whole-page caching of anonymous GET pages (ARCHITECTURE.md §7); off in DEBUG unless asked.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 0 if DEBUG else 600)
# How often each server process re-reads the shared "something was published" counter.
PUBLIC_PAGE_GENERATION_TTL = float(os.environ.get("PUBLIC_PAGE_GENERATION_TTL", "1.0"))

# Seconds a process leaves the shared cache alone after it failed to reach it.
CACHE_RETRY_SECONDS = float(os.environ.get("CACHE_RETRY_SECONDS", "5"))

# --- JSON API (docs/api.md) ------------------------------------------------------------------
# Requests per minute: per personal access token, and per client address (IPv6: per /64) without.
API_RATE_LIMIT_TOKEN = env_int("API_RATE_LIMIT_TOKEN", 600)
API_RATE_LIMIT_ANONYMOUS = env_int("API_RATE_LIMIT_ANONYMOUS", 120)
# How many reverse proxies in front of the app append to X-Forwarded-For (0: use REMOTE_ADDR).
API_TRUSTED_PROXIES = env_int("API_TRUSTED_PROXIES", 0)

# --- Background work --------------------------------------------------------------------------
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# Each worker process writes a heartbeat this often; a task still RUNNING under a worker silent for
# WORKER_DEAD_AFTER_SECONDS was orphaned (the process was killed) and goes back to the queue, at
# most TASK_MAX_RUNS times in all (core.taskqueue).
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 10)
WORKER_DEAD_AFTER_SECONDS = env_int("WORKER_DEAD_AFTER_SECONDS", 60)
TASK_MAX_RUNS = env_int("TASK_MAX_RUNS", 3)
# Finished task rows older than this are deleted by run_periodic.
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14)

# --- E-mail -----------------------------------------------------------------------------------
# Written to files under var/mail/ by default; EMAIL_HOST switches to SMTP.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Oncoreach <no-reply@oncoreach.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS")
# Seconds an SMTP connection may wait on the relay per operation, so a hung relay cannot freeze a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)
# A sender's lease on a mail it claimed: after this, a mail whose sender died is sent again. Longer
# than the slowest send (about six relay round trips, each up to EMAIL_TIMEOUT).
EMAIL_CLAIM_SECONDS = env_int("EMAIL_CLAIM_SECONDS", max(120, 10 * EMAIL_TIMEOUT))
# The first retry of a failed send waits this long; each later one twice as long as the one before.
EMAIL_RETRY_SECONDS = env_int("EMAIL_RETRY_SECONDS", 120)
# The staff outbox page, the staff dashboard and `check_outbox` raise an alert when the oldest
# mail still waiting to go out is older than this.
OUTBOX_ALERT_MINUTES = env_int("OUTBOX_ALERT_MINUTES", 30)
# How long the one-click unsubscribe link in a cohort message keeps working (RFC 8058).
UNSUBSCRIBE_LINK_DAYS = env_int("UNSUBSCRIBE_LINK_DAYS", 365)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- Files ------------------------------------------------------------------------------------
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
STATICFILES_DIRS = [SRC_DIR / "oncoreach" / "static"]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            # STATIC_PRECOMPRESS=0 skips gzip/brotli copies (a CDN compresses, or a throwaway test
            # deployment such as deploy/localcluster.py wants a fast collectstatic).
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_PRECOMPRESS", default=True)
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Object storage (needs `pip install django-storages[s3]`); private by default.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"], "default_acl": "private"},
    }
# Uploads: images are checked by content, not name (core.validators), and capped in size.
MAX_IMAGE_UPLOAD_BYTES = env_int("MAX_IMAGE_UPLOAD_BYTES", 5 * 1024 * 1024)
# Pixels (width × height × frames) a picture may have; more is refused before it is decoded
# (a 48 KB PNG can claim 20000 × 20000 pixels). Pillow and Wagtail's uploads use the same cap.
MAX_IMAGE_PIXELS = env_int("MAX_IMAGE_PIXELS", 40_000_000)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = MAX_IMAGE_UPLOAD_BYTES
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
# CMS picture uploads are stored under random names (the title keeps the file's name).
WAGTAILIMAGES_IMAGE_FORM_BASE = "oncoreach.stories.cms_images.RandomNameImageForm"

# --- Accounts ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on with the society (below); answers only the callback of a sign-in it started.
    "oncoreach.people.oidc.SocietyOIDCBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "people:dashboard"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: after 5 failures for one account from one address, lock for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/login_locked.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_USERNAME_FORM_FIELD = "username"
# Count failures under the address as accounts store it (no fresh count for "MEMBER@…").
AXES_USERNAME_CALLABLE = "oncoreach.accounts.lockout.login_username"
# E-mailed links anyone can ask for (password reset; sign-up confirmation and its re-send): at
# most this many per address and per client address (IP) in each window. Counted in the shared
# cache; if the cache is down the limit fails open (core.ratelimit explains why).
EMAIL_LINK_LIMIT_PER_ADDRESS = env_int("EMAIL_LINK_LIMIT_PER_ADDRESS", 5)
EMAIL_LINK_LIMIT_PER_CLIENT = env_int("EMAIL_LINK_LIMIT_PER_CLIENT", 20)
EMAIL_LINK_LIMIT_WINDOW_SECONDS = env_int("EMAIL_LINK_LIMIT_WINDOW_SECONDS", 60 * 60)

# "View as": django-hijack asks our rule (administrators only; never as an administrator or a
# superuser). Its own banner has inline script, so it is off; base.html shows ours.
HIJACK_PERMISSION_CHECK = "oncoreach.accounts.permissions.can_view_as"
HIJACK_INSERT_BEFORE = None

# --- Single sign-on with the society's member database (OpenID Connect) ------------------------
# Off unless OIDC_ISSUER and OIDC_CLIENT_ID are set. Endpoints and keys come from the issuer's
# discovery document (/.well-known/openid-configuration), fetched on first use and cached. The
# provider must allow the redirect URI SITE_URL + /sso/callback/. mozilla-django-oidc reads the
# OIDC_RP_* and OIDC_* names below; people.oidc adds discovery and the full ID token checks.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").strip().rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "").strip()
OIDC_RP_CLIENT_SECRET = env_secret("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
OIDC_ENABLED = bool(OIDC_ISSUER and OIDC_RP_CLIENT_ID)
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGORITHM", "RS256")
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
# Seconds of clock difference allowed when checking an ID token's expiry and issue time.
OIDC_CLOCK_SKEW_SECONDS = env_int("OIDC_CLOCK_SKEW_SECONDS", 60)
# How long the discovery document is kept in the cache.
OIDC_DISCOVERY_CACHE_SECONDS = env_int("OIDC_DISCOVERY_CACHE_SECONDS", 3600)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("pt", "Português"),
    ("ar", "العربية"),
]
LOCALE_PATHS = [SRC_DIR / "oncoreach" / "locale"]
# Arabic figures in Western digits, 1,234.5 (core/formats/ar; docs/translations.md).
FORMAT_MODULE_PATH = ["oncoreach.core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

# --- Security ---------------------------------------------------------------------------------
# HTTPS settings come from the environment so `make serve` works over plain HTTP on loopback and
# `check --deploy` is clean with production values.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if env_bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_FAILURE_VIEW = "oncoreach.core.views.csrf_failure"

# A strict content security policy: no inline script or style anywhere on our pages. The Wagtail
# admin keeps its own inline scripts, so it is excluded (ARCHITECTURE.md §7).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "EXCLUDE_URL_PREFIXES": ["/cms/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

# --- Wagtail ----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("SOCIETY_NAME", "Meridian Society of Clinical Oncology")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no request leaves the server for a reader or editor
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS: list[dict[str, str]] = []  # video links are plain links, never oEmbed
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_COMMENTS_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILDOCS_SERVE_METHOD = "serve_view"
TAGGIT_CASE_INSENSITIVE = True

# --- The society (branding is configuration, not code) ----------------------------------------
SOCIETY = {
    "name": WAGTAIL_SITE_NAME,
    "short_name": os.environ.get("SOCIETY_SHORT_NAME", "MSCO"),
    "program_name": os.environ.get("SOCIETY_PROGRAM_NAME", "Meridian Global Oncology"),
    "logo": os.environ.get("SOCIETY_LOGO", "img/logo.svg"),
    "primary_colour": os.environ.get("SOCIETY_PRIMARY_COLOUR", "#0b4f6c"),
    "accent_colour": os.environ.get("SOCIETY_ACCENT_COLOUR", "#b3380f"),
    "contact_email": os.environ.get("SOCIETY_CONTACT_EMAIL", "international@oncoreach.invalid"),
    "home_country": os.environ.get("SOCIETY_HOME_COUNTRY", "USA"),
}

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SILENCED_SYSTEM_CHECKS: list[str] = []

# Commands core's run_periodic runs after queueing the outbox drain (each app adds its own).
PERIODIC_COMMANDS: list[str] = ["send_followup_surveys"]
# Workshops travel: reminders before the trip, and the purge of personal travel data after it.
PERIODIC_COMMANDS += ["send_trip_reminders", "purge_travel_data"]
# Days after a course's last day before its itineraries, visa flags and participants' follow-up
# answers are deleted (ARCHITECTURE.md §7); booking, per diem and reimbursement facts are kept.
TRAVEL_DATA_RETENTION_DAYS = int(os.environ.get("TRAVEL_DATA_RETENTION_DAYS", "90"))
# People: membership status follows the membership records as days pass (once a day).
PERIODIC_COMMANDS += ["refresh_membership_status"]
# Awards: interview reminders a day before, offers past their deadline expire (the wait list moves
# up), and grant report reminders two weeks before they are due.
PERIODIC_COMMANDS += ["send_interview_reminders", "expire_award_offers", "send_grant_report_reminders"]
# Mentoring: proposals nobody answered within the consent window expire, and the engine proposes again.
PERIODIC_COMMANDS += ["expire_mentoring_proposals"]
# Mentoring: each side of each active mentorship gets a monthly check-in e-mail (once a month).
PERIODIC_COMMANDS += ["send_mentoring_checkins"]
# Mentoring check-ins: opening an answer link records it, but a second, different answer opened
# this many seconds after the first is a mail scanner opening every link, and the person is asked
# to confirm with a button instead (docs/mentoring.md).
MENTORING_CHECKIN_CLICK_WINDOW_SECONDS = env_int("MENTORING_CHECKIN_CLICK_WINDOW_SECONDS", 120)
# Mentoring: terms that ended are completed (evaluations asked, hours credited); late evaluations freeze.
PERIODIC_COMMANDS += ["end_mentoring_terms"]
# Calls: reviewers' PDF packets built in the worker are deleted (file and run) after this many days.
PERIODIC_COMMANDS += ["prune_review_packets"]
REVIEW_PACKET_KEEP_DAYS = env_int("REVIEW_PACKET_KEEP_DAYS", 7)
