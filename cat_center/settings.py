"""Settings for the CAT centre software.

Everything that changes between a laptop and production comes from the
environment (django-environ). Unset variables give the embedded default: SQLite,
Celery tasks run in-process, e-mail printed on the console. A production variable
that is missing fails loudly at start-up instead of running with a guess.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

# A development key is only acceptable while DEBUG is on; production must set one.
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="django-insecure-cat-development-key-do-not-use-in-production")
else:
    SECRET_KEY = env("SECRET_KEY")
    if not SECRET_KEY.strip():
        raise ImproperlyConfigured("SECRET_KEY is empty: production needs a long random key.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
# The address people reach the site at: links in e-mails and on printed documents (a certificate's check) need
# the whole of it, since a mail client or a sheet of paper has no page to be relative to.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    # ours: shared pieces first, then the client registry every service hangs from,
    # then the shared resources the service apps use (the consultant directory)
    "core",
    "clients",
    "consultants",
    "funds",
    "assistance",
    "training",
    "consultations",
    "credit",
    # reads every service app (writes nothing in them)
    "monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SpanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.selectors.SettingsCacheMiddleware",
    # axes must be last: it turns a lockout into the lockout page
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cat_center.urls"
WSGI_APPLICATION = "cat_center.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
# A kept connection is checked (a cheap ping) before a request reuses it: after a PostgreSQL restart the
# first request of each process reconnects instead of failing on the dead connection (`make reliability`).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.postgresql_psycopg2"):
    # The app's queries are short: JIT compiling one (PostgreSQL does so once its cost estimate
    # passes jit_above_cost) took 0.6-1.0 s, far longer than running it. Off for our connections.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # A server that does not answer (a host down, a firewall dropping packets) fails the request
    # after this many seconds instead of holding the gunicorn worker until its own timeout.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A promoter and a coordinator saving at once must wait for each other, not fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with the bell's unread count read in the same query as the user.
    "core.backends.UserBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Staff accounts open thousands of people's personal and financial data: longer than Django's 8.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation: Spanish (Peru) first, English on request -----------
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["cat_center.formats"]

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Where `manage.py backup` writes its archives (database + MEDIA_ROOT); see README "Backups".
BACKUP_DIR = Path(env("BACKUP_DIR", default=str(BASE_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest upload accepted (core.uploads: every file form and write service checks type, size and content).
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- E-mail -------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CAT <no-reply@cat.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache: Redis when there is one, otherwise per-process memory ------------
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="")
# How long the managers' dashboard keeps its numbers (monitoring/cache.py; 0: computed every time).
MONITORING_CACHE_SECONDS = env.int("MONITORING_CACHE_SECONDS", default=300)
if REDIS_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------
# Without a broker the tasks run in-process (the embedded default); with one,
# real workers and beat do the work.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
# acks_late alone acknowledges the message of a task whose worker process died (killed, out of memory):
# the task would be lost. With this, the message goes back to the queue, marked redelivered, and runs
# again; core.tasks.render_report then takes over the job the dead process left running.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Redis keeps a message a worker took, unacknowledged, until it is acknowledged; when the whole worker
# dies (the machine stops) another worker gets it back after this many seconds. It must be longer than
# any task runs or waits (a PDF: 150 s at most; retries wait up to 40 s), or a live task would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=60 * 60)}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The beat schedule lives in code, next to the tasks it names.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "core.tasks.heartbeat", "schedule": timedelta(minutes=5)},
    # Documents still queued a few minutes after the request (the broker was down): send them again.
    "requeue-stale-reports": {"task": "core.tasks.requeue_stale_reports", "schedule": timedelta(minutes=5)},
    # Follow-up reminders from every app's due dates, and the e-mail digests (daily, idempotent).
    "reminders": {"task": "core.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
    # The one-time tokens of create forms (core.idempotency), kept a week against a resent form.
    "purge-submission-tokens": {"task": "core.tasks.purge_submission_tokens", "schedule": crontab(hour=3, minute=30)},
    # Each loan's arrears bucket at the end of the month just ended (idempotent).
    "credit-arrears-snapshot": {
        "task": "credit.tasks.take_arrears_snapshot",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
    },
}

# The domain's parameters (stage limits, evaluation window, weights, scales) are not
# settings: they are data, core.models.CentreSettings, edited in the admin.

# --- Forms and API ------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CAT API",
    "DESCRIPTION": "Technical-assistance centre: clients, services, training, consultations and credit.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Every operation documents the refusals it may answer (400, 401, 403, 404): core/openapi.py.
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.openapi.add_refusals"],
    # Choice sets whose field name other apps use too ("status", "kind"): named after their model.
    "ENUM_NAME_OVERRIDES": {
        "LoanStatusEnum": "credit.models.Loan.Status",
        "LedgerEntryKindEnum": "credit.models.LedgerEntry.Kind",
        "KindEnum": "clients.models.ProblemNode.Kind",  # the name it had before the ledger came
        "OfferingStatusEnum": "training.models.Offering.Status",
        "EnrolmentStatusEnum": "training.models.Enrolment.Status",
        "AeoKindEnum": "funds.models.AEO.Kind",
        "InvestmentKindEnum": "funds.models.InvestmentLine.Kind",
        "PurchaseStepKindEnum": "funds.models.PurchaseStep.Kind",
        "VoucherStatusEnum": "funds.models.Voucher.Status",
        "ContestStatusEnum": "funds.models.Contest.Status",
        "BusinessPlanStatusEnum": "funds.models.BusinessPlan.Status",
    },
    # Swagger UI is served from our own static files: field offices have poor connections.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Login protection (django-axes) -------------------------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

# --- Security (production) ----------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (core.middleware): our own scripts and styles only, never inline ones.
# img-src allows data: URIs for Bootstrap's inline SVG icons (form validation, the navbar toggler).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Staff sign in again after a working day, and on a shared computer closing the browser signs them out.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
