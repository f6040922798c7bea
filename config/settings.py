"""One env-driven settings module.

Nothing configured = the embedded default: SQLite in var/, Celery tasks in-process, DEBUG off
unless DEBUG=true. With DATABASE_URL and REDIS_URL set, the same code runs the real stack.
"""

import secrets
from datetime import timedelta
from pathlib import Path

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
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.IdleTimeoutMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
            ],
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
    options["options"] = "-c jit=off"
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
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
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

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_IDLE_TIMEOUT = 30 * 60  # seconds of inactivity before logout
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
