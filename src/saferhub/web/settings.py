"""Settings for the Safer Hub site, all from the environment; no secret lives in the repo.

DATABASE_URL selects the database (default: SQLite in the project's var/). The secret key
comes from SAFERHUB_SECRET_KEY, else the file `saferhub init` writes (var/secret_key).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from ..evidence.store import default_store_path

VAR = default_store_path().parent
BASE_DIR = Path(__file__).resolve().parent


def _secret_key() -> str:
    if key := os.environ.get("SAFERHUB_SECRET_KEY"):
        return key
    path = VAR / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    # No key configured (tests, a first `saferhub init`): a throwaway key for this process.
    return secrets.token_urlsafe(50)


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("SAFERHUB_DEBUG") == "1"
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("SAFERHUB_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(
        ","
    )
    if h
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "saferhub.accounts",
    "saferhub.audit",
    "saferhub.plans",
    "saferhub.indicators",
    "saferhub.partnership",
    "saferhub.jobs",
    "saferhub.subjects",
    "saferhub.cases",
    "saferhub.sharing",
    "saferhub.risk",
    "saferhub.panels",
    "saferhub.casework",
    "saferhub.web",
]

MIDDLEWARE = [
    "saferhub.web.middleware.server_timing",  # only with SAFERHUB_SERVER_TIMING=1
    "saferhub.web.middleware.limit_request_body",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "saferhub.web.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "saferhub.accounts.middleware.OTPMiddleware",  # django_otp's, one cheaper query
    "saferhub.web.middleware.require_two_factor",
    "saferhub.web.middleware.require_new_password",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# A Server-Timing header on every response (Django's time, CPU, queries): for the web
# benchmark (bench/bench_web.py), never on a public site.
SERVER_TIMING = os.environ.get("SAFERHUB_SERVER_TIMING") == "1"

ROOT_URLCONF = "saferhub.web.urls"
WSGI_APPLICATION = "saferhub.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "saferhub.web.navigation.navigation",
            ]
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR / 'saferhub.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Many readers and one writer at a time without "database is locked": write-ahead log,
    # writers queue for up to 20 s, and transactions take the write lock up front.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# The audit chain is keyed (HMAC-SHA-256) with a secret that is not in the database, so
# whoever can write the database still cannot re-hash a rewritten chain. Set its own key in
# production: derived from the secret key otherwise, and rotating that would then break it.
AUDIT_KEY = (
    os.environ.get("SAFERHUB_AUDIT_KEY")
    or hmac.new(SECRET_KEY.encode(), b"saferhub audit chain", hashlib.sha256).hexdigest()
).encode()


def _audit_checkpoints() -> Path:
    """Beside the site's SQLite file, or in var/ named for the database: never shared by two
    databases, whose chains would contradict each other."""
    if path := os.environ.get("SAFERHUB_AUDIT_CHECKPOINTS"):
        return Path(path)
    database = DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return Path(f"{database['NAME']}.audit-checkpoints")
    return VAR / f"audit-checkpoints-{database.get('HOST') or 'local'}-{database['NAME']}"


AUDIT_CHECKPOINTS = _audit_checkpoints()
# Background jobs (saferhub.jobs: report builds, large imports) through django-tasks. The
# embedded default queues them in the site database, worked by the process `saferhub serve`
# starts beside gunicorn. SAFERHUB_REDIS_URL (e.g. redis://127.0.0.1:6379/0) queues them on
# Redis through RQ instead, for workers on other machines (`python -m django jobs_worker`).
REDIS_URL = os.environ.get("SAFERHUB_REDIS_URL", "").strip()
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Casework: where uploaded case documents are kept when no "casework_documents" storage is
# configured (default: beside the SQLite file, or var/ on other databases; never the web root),
# and how many hours a break-glass access lasts before it ends by itself (default 4).
if documents := os.environ.get("SAFERHUB_CASEWORK_DOCUMENTS", "").strip():
    CASEWORK_DOCUMENTS = documents


def _hours(name: str, default: float) -> float:
    """A positive number of hours from the environment, or a start-up error naming the variable."""
    text = os.environ.get(name, "").strip()
    try:
        hours = float(text) if text else default
    except ValueError:
        hours = 0.0
    if not 0 < hours <= 72:
        raise ImproperlyConfigured(f"{name} must be a number of hours above 0 and at most 72")
    return hours


CASEWORK_BREAK_GLASS_HOURS = _hours("SAFERHUB_BREAK_GLASS_HOURS", 4.0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "saferhub.accounts.backends.ModelBackend",  # Django's, with the user's agency joined
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "saferhub.accounts.validators.VariedPasswordValidator"},
]
# A form sent without a valid CSRF token gets the site's own page (403), not Django's.
CSRF_FAILURE_VIEW = "saferhub.web.views.csrf_failure"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home"

# Sessions end after 30 idle minutes: each request renews them, in the database (so they can
# be revoked), writing the row at most once a minute when nothing else changed
# (accounts.sessions: the idle timeout is then 29 to 30 minutes).
SESSION_ENGINE = "saferhub.accounts.sessions"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
HTTPS = os.environ.get("SAFERHUB_HTTPS") == "1"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Lock an account (email + address) after 5 failed sign-ins for an hour.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "saferhub.accounts.lockout.username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"

OTP_TOTP_ISSUER = "Safer Hub"
# A password-reset link is a password: it goes only by a real email backend. Without
# SAFERHUB_EMAIL_BACKEND, a demo site (`saferhub demo` was run: var/demo-site) or DEBUG writes
# the messages to files in var/demo-mail/ (never to the console or a log); any other site
# sends no reset link and the reset page says resets are not set up here.
DEMO_SITE = (VAR / "demo-site").is_file()
if backend := os.environ.get("SAFERHUB_EMAIL_BACKEND", "").strip():
    EMAIL_BACKEND = backend
    PASSWORD_RESET_BY_EMAIL = True
elif DEBUG or DEMO_SITE:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR / "demo-mail"
    PASSWORD_RESET_BY_EMAIL = True
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    PASSWORD_RESET_BY_EMAIL = False
EMAIL_HOST = os.environ.get("SAFERHUB_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("SAFERHUB_EMAIL_PORT") or 25)
EMAIL_HOST_USER = os.environ.get("SAFERHUB_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SAFERHUB_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SAFERHUB_EMAIL_TLS") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("SAFERHUB_FROM_EMAIL", "no-reply@saferhub.invalid")

STATIC_URL = "/static/"
STATIC_ROOT = VAR / "static"  # `saferhub init` collects static files here
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_TZ = True

# Request bodies: form fields up to 2.5 MB, uploads kept in memory up to 5 MB (larger ones
# spill to a private temporary file), and no request above SAFERHUB_MAX_REQUEST_MB (default
# 25: the largest upload, a 20 MB youth justice extract, with room for the form) is read at
# all (middleware.limit_request_body answers 413).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
MAX_REQUEST_BODY = int(os.environ.get("SAFERHUB_MAX_REQUEST_MB") or 25) * 1024 * 1024

# No personal data in application logs: request logging is off and errors go to the console
# without request bodies; who did what is in the audit log, not in logs. Every line is
# formatted by saferhub.web.logs.SafeFormatter: control characters in a path are escaped (no
# forged lines) and password-reset links are redacted.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "safe": {"()": "saferhub.web.logs.SafeFormatter", "format": "%(levelname)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "safe"}},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "axes": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "saferhub": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
