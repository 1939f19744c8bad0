"""ITB Care settings: one module, configured from the environment.

Every variable is listed, with its default, in `.env.example` and the README. The defaults are
for development on a fresh clone (SQLite in the project folder); production sets `DEBUG=0`,
`SECRET_KEY`, `ALLOWED_HOSTS` and `DATABASE_URL`, and refuses to start without a secret key.
"""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from itbcare.headers import static_file_headers

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string setting; `NAME_FILE` (a path) wins over `NAME`, for secrets mounted as files."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """A strict boolean: anything but 1/0, true/false, yes/no, on/off is a configuration error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (set DEBUG=1 for development).")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

#: Secrets that must never run a real site: the example in `.env.example` (the development one is
#: refused by its "django-insecure" prefix).
PLACEHOLDER_SECRET_KEYS = frozenset({"change-me-to-a-long-random-string"})


def secret_key_problem(key: str) -> str | None:
    """Why `key` cannot sign a production site's sessions, tokens and links, or None. The same
    rules as Django's `check --deploy` (which only warns): 50+ characters, 5+ different ones,
    not Django's insecure development prefix; and not a placeholder."""
    if key in PLACEHOLDER_SECRET_KEYS:
        return "is the placeholder from .env.example"
    if key.lower().startswith("change-me"):
        return "is the placeholder from deploy/production.env"
    if key.startswith("django-insecure"):
        return "is a development key"
    if len(key) < 50:
        return f"has {len(key)} characters; it needs at least 50"
    if len(set(key)) < 5:
        return "has fewer than 5 different characters"
    return None


if not DEBUG and (problem := secret_key_problem(SECRET_KEY)):
    raise ImproperlyConfigured(
        f"SECRET_KEY {problem}. Set a long random one, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(64))'`."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "template_partials",
    "csp",
    "accounts",
    "screening",
    "rehab",
    "reminders",
    "reports",
    "imports",
]

MIDDLEWARE = [
    # First: the request id, the client's address behind the proxy, one JSON line per request.
    "itbcare.requestlog.RequestLogMiddleware",
    # Next, so that every response passes through them, even one made when a middleware below
    # raised (a bad Host header in SecurityMiddleware): security headers and no-store.
    "itbcare.headers.SecurityHeadersMiddleware",
    "itbcare.headers.NoStoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "itbcare.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "itbcare.middleware.UserLanguageMiddleware",
    "itbcare.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "itbcare.urls"
WSGI_APPLICATION = "itbcare.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% partialdef %} everywhere without {% load %}: the move to Django 6 is then mechanical.
            "builtins": ["template_partials.templatetags.partials"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rehab.context_processors.plan_numbers",
                "screening.context_processors.emergency_call",
                "itbcare.pwa.context",
            ],
        },
    },
]

FORM_RENDERER = "kit.twins.SiteFormRenderer"

# Databases: SQLite on a fresh clone; PostgreSQL (psycopg 3) through DATABASE_URL in production.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            # A new authenticated connection per request is ~8x slower (notes/toolchain.md).
            conn_max_age=env_int("CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Fail fast (instead of hanging) when PostgreSQL is down; the app then answers 503.
        DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int("DB_CONNECT_TIMEOUT", 3)
        # Parameters bound by the server, and a statement a connection has run 5 times prepared
        # (Django turns psycopg's preparing off unless asked), so PostgreSQL stops parsing and
        # planning the pages' reads on every request: the wide UNION of `rehab.rows` went from
        # ~1.0 ms to ~0.3 ms a request (issue 13). 0 turns preparing off, as a pooler in
        # transaction mode (PgBouncer < 1.21) needs.
        DATABASES["default"]["OPTIONS"]["server_side_binding"] = env_bool("DB_SERVER_SIDE_BINDING", True)
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = env_int("DB_PREPARE_THRESHOLD", 5) or None
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {
                # Writers wait for each other instead of failing with "database is locked", and
                # take the write lock when the transaction begins, not halfway through it.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First: refuses while the client must wait, before any password is checked.
    "accounts.throttle.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "rehab:today"
LOGOUT_REDIRECT_URL = "home"

# Password guessing throttle (accounts/throttle.py explains it): failures per account from one
# client (a browser's device cookie, else its address), per address, and per account from
# clients without a device cookie; past each limit the wait doubles from 1 minute / 1 second up
# to LOGIN_MAX_WAIT. AXES_FAILURE_LIMIT, the old name, is still read.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", env_int("AXES_FAILURE_LIMIT", 5))
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 10)
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
LOGIN_MAX_WAIT = env_int("LOGIN_MAX_WAIT", 15 * 60)  # seconds
LOGIN_DEVICE_COOKIE_NAME = "itbcare_device"
LOGIN_DEVICE_COOKIE_AGE = 60 * 60 * 24 * 365
for _name in ("LOGIN_FAILURE_LIMIT", "LOGIN_ADDRESS_FAILURE_LIMIT", "LOGIN_ACCOUNT_FAILURE_LIMIT", "LOGIN_MAX_WAIT"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")

# Reverse proxies whose headers are believed (addresses or networks, comma-separated), e.g.
# "127.0.0.1,::1" for deploy/nginx on the same machine or "10.0.0.0/8" for a load balancer's
# network: X-Forwarded-For (the client's address, kit/proxies.py), X-Request-ID (from a
# trusted peer only) and X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER is set only when this is).
# Empty: the app is reached directly and believes none of them.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
try:
    for _value in TRUSTED_PROXIES:
        ipaddress.ip_network(_value, strict=False)
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc

# Mails sent when somebody asks (accounts/mail_limits.py): (how many, per seconds), per
# destination address and per account.
MAIL_LIMITS = {
    "password_reset": {"address": (3, 60 * 60), "account": (5, 60 * 60 * 24)},
    "reminder_confirm": {"address": (3, 60 * 60), "account": (5, 60 * 60 * 24)},
}

# Internationalisation: every user-facing string is marked for translation from the start.
LANGUAGE_CODE = "en"
# Each language by its own name (the switch in the footer reads right in every language). To add
# one: README, "Languages".
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# The site's default zone; each person picks their own in account settings.
TIME_ZONE = env_str("TIME_ZONE", "UTC")

# Static files: hashed, compressed names served by WhiteNoise; htmx comes from django-htmx.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# nosniff, a CSP that runs nothing, frame denial and same-origin CORP on every static file.
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers

# Sessions live in the database, so any worker on any machine can serve any request; each row
# names its person in an indexed column (accounts/sessions.py), so all of one person's sessions
# end together (sign out everywhere, a new password, deleting the account). `manage.py purge`
# deletes expired ones.
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 14)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Security headers (see also the CSP below).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Behind a TLS-terminating proxy (TRUSTED_PROXIES set) that sets and overwrites
# X-Forwarded-Proto; only then, or a client could claim HTTPS on a plain connection.
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content-Security-Policy: our own origin only; no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# A form sent with a missing or stale CSRF token: our own friendly 403 page.
CSRF_FAILURE_VIEW = "itbcare.views.csrf_failure"

ADMIN_URL = env_str("ADMIN_URL", "staff-admin/").strip("/") + "/"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# SMTP (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend); the password may come from a file.
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
# Absolute links in emails (reminders, address confirmation, password reset) and the calendar
# feed: the site's public origin, never guessed from a request's Host or port. Required when
# DEBUG is off, like the secret key.


def site_url_problem(url: str) -> str | None:
    """Why `url` cannot be the site's public address, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be the site's public address, such as https://itbcare.example.org"
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        return "must be an origin only (scheme and host, perhaps a port): no path, query or user"
    return None


SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured(
        "SITE_URL is required when DEBUG is off: the public address the emails and the calendar "
        "link to, such as https://itbcare.example.org."
    )
if problem := site_url_problem(SITE_URL):
    raise ImproperlyConfigured(f"SITE_URL {problem}, not {SITE_URL!r}.")

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ITB Care <no-reply@itbcare.invalid>")

# Django's cache. Nothing in ITB Care uses it today (sessions, logins and throttling live in the
# database; tests/test_process_caches.py fails when code starts to): the default keeps nothing
# shared. Before anything does, point it at something every app server shares:
# `db://itbcare_cache` (run `manage.py createcachetable` once) or `redis://host:6379/0`.
CACHE_URL = env_str("CACHE_URL", "locmem://")


def cache_from_url(url: str) -> dict:
    scheme, _sep, rest = url.partition("://")
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest or "itbcare"}
    if scheme == "db":
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": rest or "itbcare_cache"}
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem://, db://, redis:// or dummy://, not {url!r}")


CACHES = {"default": cache_from_url(CACHE_URL)}

# The largest request body the app reads (Django's default, stated because deploy/nginx's
# client_max_body_size matches it): the biggest form, a day's log with ten activities, is ~2 KB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Logs: one JSON object per line in production (LOG_FORMAT=json), readable text in development.
# `itbcare.request` writes one line per request (method, route name, status, duration, request
# id); REQUEST_LOG=0 turns it off. Every line carries the request id (itbcare/requestlog.py).
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "itbcare.requestlog.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "itbcare.requestlog.JsonFormatter"},
        "text": {"()": "itbcare.requestlog.TextFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {"itbcare.request": {"level": "INFO" if env_bool("REQUEST_LOG", True) else "WARNING"}},
}
