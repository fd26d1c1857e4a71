"""Settings, all from environment variables.

The defaults are safe for local use only: DEBUG is off unless asked for, and without a
SECRET_KEY a throw-away key is generated per process (sessions do not survive a restart).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# The checkout (src/imscan/ -> ../..): node_modules/ and var/ live there.
BASE_DIR = Path(os.environ.get("IMSCAN_BASE_DIR", PACKAGE_DIR.parents[1])).resolve()
VAR_DIR = Path(os.environ.get("IMSCAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "imscan.core",
    "imscan.accounts",
    "imscan.catalog",
    "imscan.organisations",
    "imscan.scans",
    "imscan.reports",
    "imscan.sharing",
    "imscan.insights",
    "imscan.plans",
    "imscan.api",
    "ninja",  # its Swagger UI files, served by the app (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "imscan.api.middleware.ApiErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "imscan.accounts.middleware.RequireTwoFactorMiddleware",
]

ROOT_URLCONF = "imscan.config.urls"
WSGI_APPLICATION = "imscan.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "imscan.core.context_processors.languages",
            ],
        },
    }
]


def database_settings(url: str) -> dict[str, Any]:
    # Connections are kept between requests: opening one (and, for SQLite, running the
    # PRAGMAs below) costs more than a whole answer save's queries.
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while an answer is being written; IMMEDIATE takes the write
        # lock at the start of a transaction so concurrent writers queue instead of failing
        # with "database is locked" halfway through. synchronous=FULL keeps every
        # acknowledged answer on disk, even across a power cut.
        # Tests use a file too (not shared in-memory), so they see WAL and real locking.
        config["TEST"] = {"NAME": str(VAR_DIR / "test-imscan.sqlite3")}
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
            ),
        }
    return config


DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'imscan.sqlite3'}")
DATABASES = {"default": database_settings(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "imscan",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Accounts (django-allauth): log in with an e-mail address, verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "imscan.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "IMS Scan"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# E-mail goes through Django's backend: printed to the console unless SMTP is configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "IMS Scan <noreply@localhost>")
if os.environ.get("EMAIL_HOST") and "EMAIL_BACKEND" not in os.environ:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch first: it is the default language of the scan and of every page without a prefix.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["imscan.formats"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    PACKAGE_DIR / "static",
    ("nlds", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Where the shipped maturity models live; `imscan loadmodels` stores them.
MODEL_DIRS = [PACKAGE_DIR / "content" / "models"]

# Insights (docs/insights.md). Every figure about organisations needs at least this many
# distinct organisations behind it: benchmarks, the programme dashboard, open data.
IMSCAN_MIN_ORGANISATIONS = int(os.environ.get("BENCHMARK_MIN_ORGANISATIONS", "5"))
if IMSCAN_MIN_ORGANISATIONS < 2:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("BENCHMARK_MIN_ORGANISATIONS must be at least 2")
# Survey models are stored like maturity models but never offered as a scan to start.
IMSCAN_FOLLOWUP_SURVEY = os.environ.get("FOLLOWUP_SURVEY", "impact-followup")
IMSCAN_SURVEY_MODELS = frozenset({IMSCAN_FOLLOWUP_SURVEY})
# Months after a finished scan before its follow-up is sent: a default, and per model id
# ("ims-gov=6,other-model=3"; 0 sends none for that model). The shipped survey asks what
# an innovation scan led to, so the project status scan gets none unless set otherwise.
IMSCAN_FOLLOWUP_MONTHS = int(os.environ.get("FOLLOWUP_MONTHS", "6"))
IMSCAN_FOLLOWUP_MONTHS_BY_MODEL = {
    model_id.strip(): int(months)
    for model_id, _sep, months in (
        item.partition("=") for item in env_list("FOLLOWUP_MONTHS_BY_MODEL", "project-status=0")
    )
}

# Where links in e-mails sent by commands (imscan send_followups) point: scheme and host.
IMSCAN_SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The JSON API (docs/api.md): requests per token, private link or (without a token) client
# address per window of seconds, and the largest request body.
IMSCAN_API_RATE_LIMIT = int(os.environ.get("IMSCAN_API_RATE_LIMIT", "600"))
IMSCAN_API_ANONYMOUS_RATE_LIMIT = int(os.environ.get("IMSCAN_API_ANONYMOUS_RATE_LIMIT", "60"))
IMSCAN_API_RATE_WINDOW = int(os.environ.get("IMSCAN_API_RATE_WINDOW", "60"))
IMSCAN_API_MAX_BODY_BYTES = int(os.environ.get("IMSCAN_API_MAX_BODY_BYTES", str(256 * 1024)))
# Behind N reverse proxies, the client's address is the Nth from the end of X-Forwarded-For
# (django-ninja's setting); unset, the header is not believed.
if os.environ.get("IMSCAN_NUM_PROXIES"):
    NINJA_NUM_PROXIES = int(os.environ["IMSCAN_NUM_PROXIES"])

# Benchmark-only views (a bare "ok" and a single INSERT) are mounted only when asked for.
IMSCAN_BENCH_VIEWS = env_bool("IMSCAN_BENCH_VIEWS", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
