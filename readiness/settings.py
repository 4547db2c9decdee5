"""One settings module, driven by the environment.

READINESS_ENV=development runs the embedded default: SQLite in ./var, a
development secret key unless SECRET_KEY is set. Without it the settings are a
deployment's: SECRET_KEY must be set, DEBUG off; production also sets
DATABASE_URL, ALLOWED_HOSTS and HTTPS.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("READINESS_VAR_DIR", PROJECT_DIR / "var"))


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Development is chosen explicitly (scripts/start, the tests, the benchmarks and
# manage.py in the checkout set READINESS_ENV=development); anything else is a
# deployment, which refuses to start with the development key or with DEBUG on.
# The messages are for the operator at start-up, before translations exist.
ENVIRONMENT = os.environ.get("READINESS_ENV", "production").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"READINESS_ENV must be 'development' or 'production', not {ENVIRONMENT!r}"
    )
DEVELOPMENT = ENVIRONMENT == "development"
DEVELOPMENT_SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"
DEBUG = env_flag("DEBUG")
# Served over HTTPS, i.e. a real deployment (see the security settings below).
HTTPS = env_flag("HTTPS")
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not DEVELOPMENT:
    if SECRET_KEY in {"", DEVELOPMENT_SECRET_KEY}:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'` "
            "(for a development setup set READINESS_ENV=development)"
        )
    if DEBUG:
        raise ImproperlyConfigured(
            "DEBUG=1 shows settings and tracebacks to every visitor: unset it "
            "(for a development setup set READINESS_ENV=development)"
        )
elif not SECRET_KEY:
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_htmx",
    "ninja",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` (which also beats for /healthz) wins.
    "readiness.operations",
    "django_tasks_db",
    "readiness.core",
    "readiness.registry",
    "readiness.accounts",
    "readiness.frameworks",
    "readiness.assessments",
    "readiness.reviews",
    "readiness.actionplans",
    "readiness.reports",
    "readiness.notifications",
    "readiness.catalogues",
    "readiness.fieldwork",
    "readiness.demo",
]

MIDDLEWARE = [
    "readiness.operations.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "readiness.core.api_errors.ApiErrorMiddleware",
    "readiness.core.middleware.RefuseControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "readiness.core.security.PrivateCacheMiddleware",
    # Inside PrivateCacheMiddleware: it marks API answers no-store, which would
    # otherwise stop the ETag.
    "readiness.core.conditional.ApiConditionalGetMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "readiness.core.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "readiness.urls"
CSRF_FAILURE_VIEW = "readiness.core.views.csrf_failure"
WSGI_APPLICATION = "readiness.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "builtins": [
                "readiness.core.templatetags.bilingual",
                "readiness.core.templatetags.links",
                "readiness.core.templatetags.formatting",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'readiness.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several web workers and a db_worker share one file: wait for locks
    # instead of failing, and let readers run beside the writer.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Whole assessments are imported as one JSON request: the same 10 MiB as
# readers.MAX_ASSESSMENT_BYTES, so a larger body is refused with 413 before
# it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

AUTHENTICATION_BACKENDS = [
    "readiness.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:list"
LOGOUT_REDIRECT_URL = "login"
# Failed logins (readiness.accounts.services): within the window, this many
# failures block one client address for every username (stops password
# spraying), one username from one address (a stranger's guesses do not lock
# the owner out from elsewhere), and one username from every address (a
# distributed guess; the block expires with the window, it is never indefinite).
LOGIN_FAILURE_WINDOW_MINUTES = 15
LOGIN_FAILURES_PER_ADDRESS = 20
LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS = 5
LOGIN_FAILURES_PER_USERNAME = 50
# The client address is REMOTE_ADDR unless the app runs behind this many
# reverse proxies, each appending to X-Forwarded-For; never trusted by default.
_proxies = os.environ.get("TRUSTED_PROXY_COUNT", "0").strip()
if not _proxies.isdigit():
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be 0 or a positive number, not {_proxies!r}"
    )
TRUSTED_PROXY_COUNT = int(_proxies)
# Who may create assessments (readiness.assessments.permissions): "everyone"
# signed in, "staff" (staff users and administrators) or the name of a group.
ASSESSMENT_CREATORS = os.environ.get("READINESS_ASSESSMENT_CREATORS", "").strip() or "staff"

# The coverage grid (readiness.fieldwork.services.coverage) flags a dimension
# whose evidence rests on fewer distinct sources than this.
_min_sources = os.environ.get("READINESS_MIN_SOURCES", "3").strip()
if not _min_sources.isdigit() or int(_min_sources) < 1:
    raise ImproperlyConfigured(
        f"READINESS_MIN_SOURCES must be a whole number of at least 1, not {_min_sources!r}"
    )
READINESS_MIN_SOURCES = int(_min_sources)

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date and number style per language (readiness.core.formatting uses the same).
FORMAT_MODULE_PATH = ["readiness.formats"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves static files from the app folders in every mode, so the
# embedded setup needs no collectstatic; deployments may still run it.
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# A catalogue harvest or link check may request private and loopback
# addresses only when this is true (the tests' local servers); otherwise a
# catalogue's address could make the server probe its own network.
CATALOGUE_HARVEST_ALLOW_PRIVATE = False

# Notification email (docs/notifications.md): printed on the console in
# development; a deployment sends through SMTP unless EMAIL_BACKEND says otherwise
# (django.core.mail.backends.filebased.EmailBackend with EMAIL_FILE_PATH writes files).
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
_email_port = os.environ.get("EMAIL_PORT", "25").strip()
if not _email_port.isdigit():
    raise ImproperlyConfigured(f"EMAIL_PORT must be a port number, not {_email_port!r}")
EMAIL_PORT = int(_email_port)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_flag("EMAIL_USE_SSL")
EMAIL_TIMEOUT = 10  # seconds: email is sent as the request ends
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "readiness@localhost")
# The address of the site, for the links in email (no request to take it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Over HTTPS: secure cookies, HSTS, redirect to HTTPS. Behind a proxy that
# terminates TLS, the proxy must set X-Forwarded-Proto.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The pages carry the token themselves (base.html's hx-headers); no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS
# The proxy or monitor may ask for the health check over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts and styles only from our own files: no inline script anywhere (htmx is
# told not to inject its indicator <style>, base.html), so stored text cannot run.
# Inline style attributes stay allowed: framework level colours are data (checked
# as #rrggbb when the framework is loaded) and arbitrary per framework. The report
# page has a policy of its own (readiness.reports.views.preview).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# How often each job worker records that it is alive (readiness.operations);
# a worker silent for six beats is gone and its running job is recovered.
_heartbeat = os.environ.get("WORKER_HEARTBEAT_SECONDS", "10").strip()
try:
    WORKER_HEARTBEAT_SECONDS = float(_heartbeat)
except ValueError:
    WORKER_HEARTBEAT_SECONDS = 0.0
if not 0 < WORKER_HEARTBEAT_SECONDS <= 3600:
    raise ImproperlyConfigured(
        f"WORKER_HEARTBEAT_SECONDS must be a number of seconds from 0 to 3600, not {_heartbeat!r}."
    )

# One line per request (readiness.requests) and per job start and end
# (django_tasks, from `readiness db_worker`), on standard error.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        name: {"level": os.environ.get("ACTIVITY_LOG_LEVEL", "INFO")}
        for name in ("readiness.requests", "readiness.jobs", "django_tasks", "django_tasks_db")
    },
}
