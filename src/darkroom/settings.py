"""Django settings for Darkroom, read from the environment.

Everything a studio may need to change is an environment variable with a safe laptop default
(see docs/configuration.md): ``DARKROOM_DATA_DIR`` holds the SQLite database and the generated
secret key; ``DATABASE_URL`` switches to PostgreSQL. Nothing else reads settings at import time.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DARKROOM_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _seconds(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, not {value!r}.")
    return int(value)


def _secret_key() -> str:
    """The key from DARKROOM_SECRET_KEY, else one generated once and kept in the data directory."""
    given = os.environ.get("DARKROOM_SECRET_KEY")
    if given:
        return given
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _flag("DARKROOM_DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("DARKROOM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
# Where clients reach Darkroom (https://studio.example.com): the start of the links messages
# carry, such as a client's status page, which are written without a request to take it from.
DARKROOM_PUBLIC_URL = (
    os.environ.get("DARKROOM_PUBLIC_URL", "").strip().rstrip("/") or "http://localhost:8000"
)
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("DARKROOM_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "darkroom.studio",
    "darkroom.catalog",
    "darkroom.clients",
    "darkroom.tracking",
    "darkroom.production",
    "darkroom.todos",
    "darkroom.events",
    "darkroom.messaging",
    "darkroom.webhooks",
    "darkroom.hub",
    "darkroom.reports",
    "darkroom.feeds",
    "darkroom.client_pages",
    "darkroom.maintenance",
    "darkroom.api",
    "darkroom.sample_data",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "darkroom.studio.kept.ListsStampMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "darkroom.api.middleware.ApiErrorBodyMiddleware",
    "darkroom.studio.middleware.SearchTextMiddleware",
    "darkroom.studio.middleware.StudioTimeZoneMiddleware",
    "darkroom.studio.busy.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "darkroom.urls"
WSGI_APPLICATION = "darkroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "darkroom.studio.context_processors.studio",
            ],
            "builtins": ["darkroom.format_filters", "darkroom.kept_urls"],
        },
    },
]


def _databases() -> dict[str, dict[str, object]]:
    url = os.environ.get("DATABASE_URL")
    if url:
        database = dict(dj_database_url.parse(url, conn_max_age=60))
        if database["ENGINE"] == "django.db.backends.postgresql":
            # No JIT compiling: the hub's queries read a few hundred rows, but a plan that
            # walks an index until a page is full is costed as if it read them all, and then
            # spent 25 ms compiling to save microseconds (measured).
            options = dict(database.get("OPTIONS") or {})
            options["options"] = f"{options.get('options', '')} -c jit=off".strip()
            database["OPTIONS"] = options
        return {"default": database}
    # WAL + IMMEDIATE transactions: measured to remove "database is locked" with concurrent writers.
    return {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "darkroom.sqlite3",
            # Kept open between requests (as PostgreSQL's): a new connection reads the schema
            # again and starts with an empty page cache, several ms of every page (measured).
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # A page cache of 64 MiB a connection (SQLite's default is 2 MiB): a hub page
                # that reads a few thousand scattered open orders of a big studio found them in
                # 1.4 ms instead of 10 ms (measured at 1,000,000 orders). Pages are cached as
                # they are read, so a small studio's connections stay small.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536;"
                ),
            },
            "TEST": {"NAME": os.environ.get("DARKROOM_TEST_DB") or None},
        }
    }


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# An invoice editor posts six fields a line; this allows invoices of several hundred lines.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# The largest request body taken, in bytes (an invoice of several hundred lines is far smaller);
# a bigger one is refused before it is read: the API answers 413 ``too_large``.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(float(os.environ.get("DARKROOM_MAX_REQUEST_MB", "2.5")) * 2**20)

# Logins: password rules and lock-out after failed attempts -----------------------------------
# (docs/configuration.md, "Passwords" and "Login lock-out")
# Every way of setting a password (pages, API, `darkroom createuser`, the demo) checks these.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


def _whole_number(name: str, default: int, least: int) -> int:
    """A whole-number setting; anything else stops the start with a message saying what."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()) or int(value) < least:
        raise ImproperlyConfigured(f"{name} must be a whole number of at least {least}: {value!r}")
    return int(value)


# django-axes counts failed logins per username and per address (either reaching the limit
# locks); a failure while locked does not extend the lock. Only the login form is counted:
# API tokens never pass through authenticate(). darkroom/studio/logins.py says more.
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _whole_number("DARKROOM_LOGIN_FAILURES_LIMIT", 5, least=1)
AXES_COOLOFF_TIME = timedelta(minutes=_whole_number("DARKROOM_LOGIN_COOLOFF_MINUTES", 15, least=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "darkroom.studio.logins.lockout_page"
AXES_CLIENT_IP_CALLABLE = "darkroom.studio.logins.client_address"
# The log names who failed from where (never the password).
AXES_SENSITIVE_PARAMETERS: list[str] = []
AXES_DISABLE_ACCESS_LOG = True  # Django keeps last_login; a row per login would only grow
AXES_ENABLE_ADMIN = False  # unlocking is Maintenance › Locked-out logins, not Django's admin
# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address
# from its right; 0 (the default) trusts no header and uses the connection's address.
DARKROOM_TRUSTED_PROXIES = _whole_number("DARKROOM_TRUSTED_PROXIES", 0, least=0)
# ---------------------------------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "studio:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# Stored times are UTC; pages show the studio's own zone (a studio preference, see middleware).
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Messages: how emails and SMS leave (docs/messages.md, "Delivery") --------------------------
# DARKROOM_EMAIL_URL: smtp://user:pass@host:port, smtp+tls:// (STARTTLS), smtps:// (TLS from the
# start); keep: records each email as sent without sending it (a laptop with no mail server);
# console: prints it on the worker's output. The outbox (messaging.channels) reads the URL when
# it delivers; Django's own mail settings below follow it for anything else Django sends.
EMAIL_SCHEMES = ("smtp", "smtp+tls", "smtps", "keep", "console")
DARKROOM_EMAIL_URL = os.environ.get("DARKROOM_EMAIL_URL", "").strip() or "smtp://127.0.0.1:25"
_email = urlsplit(DARKROOM_EMAIL_URL)
if _email.scheme not in EMAIL_SCHEMES:
    raise ImproperlyConfigured(
        f"DARKROOM_EMAIL_URL must start with one of {', '.join(s + ':' for s in EMAIL_SCHEMES)} "
        f"not {DARKROOM_EMAIL_URL!r}."
    )
EMAIL_BACKEND = {
    "keep": "django.core.mail.backends.dummy.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}.get(_email.scheme, "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = _email.hostname or "127.0.0.1"
EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
EMAIL_HOST_USER = unquote(_email.username or "")
EMAIL_HOST_PASSWORD = unquote(_email.password or "")
EMAIL_USE_TLS = _email.scheme == "smtp+tls"
EMAIL_USE_SSL = _email.scheme == "smtps"
# A mail server that does not answer within this many seconds is tried again later.
EMAIL_TIMEOUT = _whole_number("DARKROOM_EMAIL_TIMEOUT_SECONDS", 20, least=1)
DEFAULT_FROM_EMAIL = os.environ.get("DARKROOM_FROM_EMAIL", "darkroom@localhost")

# DARKROOM_SMS_URL: the HTTP gateway (https://user:pass@host/path; http:// too), keep: or
# console: as for email; unset, SMS messages fail saying no gateway is configured.
SMS_SCHEMES = ("https", "http", "keep", "console")
DARKROOM_SMS_URL = os.environ.get("DARKROOM_SMS_URL", "").strip()
if DARKROOM_SMS_URL and urlsplit(DARKROOM_SMS_URL).scheme not in SMS_SCHEMES:
    raise ImproperlyConfigured(
        f"DARKROOM_SMS_URL must start with one of {', '.join(s + ':' for s in SMS_SCHEMES)} "
        f"not {DARKROOM_SMS_URL!r}."
    )
# The sender the gateway shows: a number in E.164 or a name the gateway allows.
DARKROOM_SMS_FROM = os.environ.get("DARKROOM_SMS_FROM", "").strip()
DARKROOM_SMS_TIMEOUT_SECONDS = _whole_number("DARKROOM_SMS_TIMEOUT_SECONDS", 15, least=1)

# A message the worker started sending this long ago without finishing (it stopped mid-send)
# goes back in the queue; a message still not delivered this long after its first try fails.
DARKROOM_SENDING_LEASE_SECONDS = _whole_number("DARKROOM_SENDING_LEASE_SECONDS", 300, least=1)
DARKROOM_MESSAGE_MAX_AGE_HOURS = _whole_number("DARKROOM_MESSAGE_MAX_AGE_HOURS", 72, least=1)
# How often ``darkroom worker`` does what time makes due (firings, messages), in seconds.
DARKROOM_TICK_SECONDS = _whole_number("DARKROOM_TICK_SECONDS", 60, least=1)

# --- Webhooks: how the worker delivers events (docs/deploy.md and docs/api.md, "Webhooks") -----
# A receiver that does not connect, take the body or answer within this many seconds (each) is
# tried again later.
DARKROOM_WEBHOOK_TIMEOUT_SECONDS = _whole_number("DARKROOM_WEBHOOK_TIMEOUT_SECONDS", 10, least=1)
# A delivery the worker started this long ago without finishing (it stopped mid-send) goes back
# in the queue. A try may take connecting, sending and answering, each up to the timeout, and
# reading the answer: the lease must outlast four timeouts, or a slow receiver's delivery would
# be put back while its first try is still under way.
DARKROOM_WEBHOOK_LEASE_SECONDS = _whole_number("DARKROOM_WEBHOOK_LEASE_SECONDS", 120, least=1)
if DARKROOM_WEBHOOK_LEASE_SECONDS <= 4 * DARKROOM_WEBHOOK_TIMEOUT_SECONDS:
    raise ImproperlyConfigured(
        "DARKROOM_WEBHOOK_LEASE_SECONDS must be more than four times "
        f"DARKROOM_WEBHOOK_TIMEOUT_SECONDS ({DARKROOM_WEBHOOK_TIMEOUT_SECONDS}): "
        f"{DARKROOM_WEBHOOK_LEASE_SECONDS} is not."
    )
# Webhooks to private, loopback and link-local addresses are refused (an endpoint must not
# become a way into the studio's own network) unless this is set: for receivers on the studio's
# own network, and for tests.
DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = _flag("DARKROOM_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES")
# ---------------------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _flag("DARKROOM_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

# --- Headers that tell the browser what a page may do (docs/configuration.md) -----------------
# Content-Security-Policy: scripts, styles, images, fonts and requests come only from Darkroom
# itself; no inline <script>, no onclick=, no style= attributes, no eval, no framing. Pages say
# what their buttons do with data attributes read by static/darkroom/darkroom.js. The API docs
# (Swagger UI) are served from django-ninja's own static files and live with the same policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Strict-Transport-Security: once a studio serves Darkroom over HTTPS (DARKROOM_SECURE_COOKIES=1)
# the browser is told to use nothing else for a year. Not for other sites under the same domain
# (no includeSubDomains, no preload): Darkroom does not own the studio's domain.
# DARKROOM_HSTS_SECONDS shortens it while trying HTTPS out (0 sends no header).
SECURE_HSTS_SECONDS = _seconds("DARKROOM_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
# Django's defaults, written down so they are seen: no MIME sniffing, and the address of a page
# is sent only to Darkroom itself.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# -----------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DARKROOM_LOG_LEVEL", "WARNING")},
}
