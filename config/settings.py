"""One env-driven settings module.

Nothing configured = the embedded default: SQLite in var/, Celery tasks in-process, DEBUG off
unless DEBUG=true. With DATABASE_URL and REDIS_URL set, the same code runs the real stack.
"""

import base64
import hashlib
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
# The site's address as users reach it: e-mails carry absolute links built from it.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a key generated once into var/ (never committed)."""
    if key := env.str("SECRET_KEY", default=""):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    key = key_file.read_text().strip()
    if not key:
        raise ImproperlyConfigured("SECRET_KEY is empty; set SECRET_KEY or remove var/secret_key")
    return key


SECRET_KEY = _secret_key()


def _derived_key(purpose: str) -> str:
    """A key derived from SECRET_KEY, only with DEBUG on (the demo and development need nothing configured)."""
    return base64.urlsafe_b64encode(hashlib.sha256(f"{purpose}:{SECRET_KEY}".encode()).digest()).decode()


def _keys(name: str, purpose: str) -> list[str]:
    """A comma-separated key list from the environment; missing with DEBUG off = empty, and then the
    app refuses to start (core.crypto.require_keys: system check, wsgi, Celery worker)."""
    if keys := env.list(name, default=[]):
        return keys
    return [_derived_key(purpose)] if DEBUG else []


# Encryption at rest of PESELs and special-category answers (core.crypto, docs/security.md): the
# first key encrypts, every key decrypts (rotation); PESEL lookups use an HMAC under a separate key.
FIELD_ENCRYPTION_KEYS = _keys("FIELD_ENCRYPTION_KEYS", "field-encryption")
PESEL_HASH_KEYS = _keys("PESEL_HASH_KEYS", "pesel-hash")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "support_network.admin_apps.StaffAdminConfig",  # django.contrib.admin, reference data only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "auditlog",
    "core",
    "support_network",
    "families",
    "contracts",
    "reporting",
    "demo",
]

MIDDLEWARE = [
    # outermost: Cache-Control and the security headers reach every answer, even a 400 that an
    # inner middleware raised (DisallowedHost) before a view ran — docs/security.md
    "core.middleware.ResponseHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.RealClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "support_network.middleware.CachedOTPMiddleware",  # django-otp's, the device from the cache
    "core.middleware.IdleTimeoutMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "support_network.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "core.access_log.AccessLogMiddleware",  # one ACCESS entry per response showing personal data
    "axes.middleware.AxesMiddleware",
]

# The benchmark's baseline pages (demo/bench_urls.py) are mounted only while `make bench` runs.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)
ROOT_URLCONF = "demo.bench_urls" if BENCH_ENDPOINTS else "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "support_network.context_processors.staff",
                "core.context_processors.session_timing",
            ],
            "libraries": {"navigation": "config.navigation"},  # {% main_menu %}
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["connect_timeout"] = env.int("DB_CONNECT_TIMEOUT", 5)
    # JIT compilation costs more than it saves on this app's queries (the indicator aggregate with
    # ~100 FILTER clauses spent 10 s compiling and under 1 s running): measured in make bench.
    # A surname with one typo still matches (core.text.folded_match, `%>`): pg_trgm's default 0.6
    # misses one wrong letter in a 9-letter name ("szymamska" is 0.54 like "szymanska").
    options["options"] = "-c jit=off -c pg_trgm.word_similarity_threshold=0.45"
    # Behind a pooler in transaction mode (PgBouncer) a request's statements may reach another
    # server session: Django's own switch for that also stops core.prepared keeping plans there.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DATABASE_POOLED", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Tasks and cache ------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message not acknowledged within the visibility timeout (its worker was killed) is delivered
# again; a broker that does not answer fails a publish quickly instead of hanging a web request.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 3}
# Results live in the database rows the tasks update. Without this, every apply_async subscribes
# to the result backend, and a Redis outage leaves the web process unable to enqueue anything
# ("Retry limit exceeded ... must be restarted") until it is restarted.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Warsaw"
# Periodic tasks; each room adds its own entry here (config wires the rooms).
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "support_network.tasks.heartbeat", "schedule": crontab(minute="*/15")},
    # --- families ---
    # --- support network / referrals ---
    "referrals-mark-overdue": {
        "task": "contracts.tasks.referrals_mark_overdue",
        "schedule": crontab(hour=6, minute=30),  # every morning, before office hours
    },
    # --- contracts and programmes ---
    "contract-reminders": {
        "task": "contracts.tasks.send_contract_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    "contract-expiry": {"task": "contracts.tasks.expire_contracts", "schedule": crontab(hour=2, minute=10)},
    # --- reporting ---
    "reporting-followup-reminders": {
        "task": "reporting.tasks.send_followup_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # report runs whose worker died (no heartbeat for REPORT_LEASE_SECONDS) go back to the queue;
    # queued runs never handed to the broker (Redis was down) are sent again
    "reporting-requeue-stuck-reports": {"task": "reporting.requeue_stuck_reports", "schedule": crontab(minute="*")},
    # participant files left on their import preview are deleted after their hour
    "reporting-purge-participant-uploads": {
        "task": "reporting.tasks.purge_participant_uploads",
        "schedule": crontab(minute=17),
    },
}

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "support_network.backends.StaffBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    # the most common breached passwords, a file shipped in the repo (no network at run time)
    {
        "NAME": "django.contrib.auth.password_validation.CommonPasswordValidator",
        "OPTIONS": {"password_list_path": BASE_DIR / "support_network" / "data" / "breached-passwords.txt.gz"},
    },
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "support_network.passwords.PersonalDataValidator"},
    {"NAME": "support_network.passwords.StrengthValidator"},
]
# zxcvbn score (0-4) a new password must reach, with the Polish dictionaries of zxcvbn-pl.
PASSWORD_MIN_STRENGTH = env.int("PASSWORD_MIN_STRENGTH", default=3)
# Password-reset mails sent to one address within an hour; more requests send nothing.
PASSWORD_RESET_MAILS_PER_HOUR = env.int("PASSWORD_RESET_MAILS_PER_HOUR", default=3)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Pages open without login (URL names); everything else requires it.
LOGIN_EXEMPT_URL_NAMES = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "healthz",
}

# --- Second factor (django-otp: TOTP + recovery codes; django-otp-webauthn: passkeys) ----------
# Every account logs in with a second factor (support_network.middleware.SecondFactorMiddleware).
OTP_TOTP_ISSUER = "Sieć wsparcia EFS"
OTP_STATIC_THROTTLE_FACTOR = 1  # seconds, doubled after each failed code (as TOTP's default)
MFA_RECOVERY_CODES = 10
OTP_WEBAUTHN_RP_NAME = "Sieć wsparcia EFS"
# The passkeys' relying party: the host name users reach and the origins pages come from. Browsers
# allow passkeys only over HTTPS or on http://localhost (never on an IP address): without an
# https SITE_URL the default is localhost on SITE_URL's port (`make run`: http://localhost:8000).
_site = urlsplit(SITE_URL)
_https_site = _site.scheme == "https"
OTP_WEBAUTHN_RP_ID = env.str("WEBAUTHN_RP_ID", default=_site.hostname if _https_site else "localhost")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env.list(
    "WEBAUTHN_ORIGINS",
    default=[SITE_URL.rstrip("/") if _https_site else f"http://localhost:{_site.port or 80}".removesuffix(":80")],
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False  # a passkey is the second factor, never the only one

# django-axes locks one username from one client address (the real one, see TRUSTED_PROXIES):
# an attacker locks only their own address out, never the victim's.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; empty = none, the
# peer's address is the client's (core.middleware.RealClientAddressMiddleware).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Per username, whatever the address: after LOGIN_FREE_FAILURES failures each further try waits
# 2, 4, 8 ... seconds (at most LOGIN_MAX_DELAY) after the last failure. A browser that completed a
# login of that user before (signed cookie) is not delayed: an attacker cannot lock its owner out.
LOGIN_FREE_FAILURES = env.int("LOGIN_FREE_FAILURES", default=5)
LOGIN_MAX_DELAY = env.int("LOGIN_MAX_DELAY", default=15 * 60)
LOGIN_KNOWN_BROWSER_DAYS = env.int("LOGIN_KNOWN_BROWSER_DAYS", default=90)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_IDLE_TIMEOUT = 30 * 60  # seconds of inactivity before logout
# Seconds before the idle logout when the page warns and offers "Pozostań zalogowany" (static/js/session.js).
SESSION_WARN_BEFORE = env.int("SESSION_WARN_BEFORE", default=3 * 60)
# Seconds after login when a session ends however active it is (a session never slides forever).
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Security -------------------------------------------------------------------------------
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True  # no script reads it: htmx sends the token from the page (hx-headers in base.html)
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes of a load balancer speak plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- I18N -----------------------------------------------------------------------------------
LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("polski")), ("en", _("angielski"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FILTERS_EMPTY_CHOICE_LABEL = "—"  # django-filter's empty choice; forms: core.forms.use_dash_for_empty_choices
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"  # never served publicly: files go through access-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env.bool("STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest scan of a cooperation agreement accepted on upload.
AGREEMENT_SCAN_MAX_BYTES = env.int("AGREEMENT_SCAN_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="efs@localhost")

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Audit log ------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Masked fields (PESEL, document number) leave no digit in a diff: auditlog's default keeps the
# second half, which with the birth date rebuilds a PESEL.
AUDITLOG_MASK_CALLABLE = "core.access_log.mask_fully"

# --- Timeline of a family or person: each room contributes entries (see families/timeline.py) ---
TIMELINE_PROVIDERS = [
    "families.timeline.casework_entries",
    "contracts.timeline.referral_entries",
    "contracts.timeline_plans.plan_entries",
]

# --- Next steps on a family's and a person's page: each room contributes (see families/actions.py) ---
PAGE_ACTION_PROVIDERS = ["contracts.actions.document_actions"]

# --- A running Celery worker writes a proof of life into the broker's Redis this often (it expires
# after three intervals): /healthz says "worker": "missing" and the report page says no worker runs.
WORKER_LIVENESS_SECONDS = env.float("WORKER_LIVENESS_SECONDS", default=10)

# --- Report runs: a rendering worker proves it is alive every REPORT_HEARTBEAT_SECONDS; a run
# "running" without a heartbeat for REPORT_LEASE_SECONDS lost its worker and is taken over.
REPORT_HEARTBEAT_SECONDS = env.float("REPORT_HEARTBEAT_SECONDS", default=15)
REPORT_LEASE_SECONDS = env.float("REPORT_LEASE_SECONDS", default=60)
# A run queued this long after its message went to the broker is sent again (a broker restarted
# without persistence loses its queue); a second message is harmless, the claim renders once.
REPORT_RESEND_AFTER_SECONDS = env.float("REPORT_RESEND_AFTER_SECONDS", default=15 * 60)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=3)
# The Celery queue the render task is sent to (empty: Celery's default queue).
REPORTING_TASK_QUEUE = env.str("REPORTING_TASK_QUEUE", default="")
# Seconds a participant import (preview or commit) may take on a web request before it stops with
# a message (below the web server's 30 s worker timeout); the command line has its own option.
PARTICIPANT_IMPORT_TIME_LIMIT = env.int("PARTICIPANT_IMPORT_TIME_LIMIT", default=25)


# --- Demo data ------------------------------------------------------------------------------
DEMO_PASSWORD = "Demo-haslo-2024!"  # noqa: S105 - documented demo password, refused when DEBUG is off

# --- Logging: no personal data in logs (ids only) -------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}
