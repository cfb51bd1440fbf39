"""Django settings for KubeSandbox, one file for both ways of running it.

Embedded (the default, one command): a SQLite file in WAL mode and the
in-memory channel layer, so web and controller worker must share one process.
Scale-out: set ``DATABASE_URL`` (PostgreSQL) and ``REDIS_URL`` and run any
number of Daphne and ``runworker cluster-controllers`` processes; nothing may
then depend on process-local state. The code is the same; only the
environment differs, and ``KUBESANDBOX_MODE`` names which one is in force.

Everything deployment-specific comes from the environment. With
``DJANGO_DEBUG=0``, ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS`` set,
``manage.py check --deploy`` passes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# --- Core -------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET_KEY = "django-insecure-kubesandbox-local-development-only"
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "" if not DEBUG else _DEV_SECRET_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    # Before "channels": its runworker command adds the controller ticker to Channels' worker.
    "cluster",
    "channels",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "sandbox",
    "sandbox.lessons",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
ASGI_APPLICATION = "sandbox.asgi.application"

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
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Database ---------------------------------------------------------------

# WAL lets readers proceed while the worker commits; IMMEDIATE takes the write
# lock at BEGIN, so two writers queue on busy_timeout instead of failing with
# "database is locked" when a read transaction tries to upgrade.
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
}

# Under ASGI every request may run its sync part on a different thread, and
# Django keeps one connection per thread: persistent connections would pile up,
# so they are off by default (Django's advice for ASGI). Raise it only behind a
# connection pooler.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    _default_db: dict[str, Any] = dict(
        dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 0),
            conn_health_checks=True,
        )
    )
else:
    _default_db = {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    _default_db["OPTIONS"] = {**SQLITE_OPTIONS, **_default_db.get("OPTIONS", {})}
DATABASES = {"default": _default_db}

# --- Channels ---------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL", "")
KUBESANDBOX_MODE = "scale-out" if REDIS_URL else "embedded"

# Per-channel buffer: a burst of API writes wakes the worker channel many times
# before it drains; the library default of 100 would raise ChannelFull.
CHANNEL_CAPACITY = env_int("KUBESANDBOX_CHANNEL_CAPACITY", 1000)

if REDIS_URL:
    # redis-py caps a connection pool at 100 connections and channels_redis
    # does not raise it; every concurrent receive holds one, so a busy Daphne
    # process needs far more. channels_redis passes extra host keys to
    # redis.asyncio.ConnectionPool.from_url.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "max_connections": env_int("REDIS_MAX_CONNECTIONS", 1000),
                        # redis-py 8 times socket reads out after 5 s by default, exactly the 5 s that
                        # channels_redis blocks in BZPOPMIN while a channel is idle: give reads room.
                        "socket_timeout": env_int("REDIS_SOCKET_TIMEOUT", 30),
                    }
                ],
                "capacity": CHANNEL_CAPACITY,
            },
        },
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY},
        },
    }

# --- Authentication ---------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation (the course is Korean; the UI speaks both) ---------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ko", "한국어")]
LOCALE_PATHS = [BASE_DIR / "sandbox" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static files -----------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# In development WhiteNoise serves straight from the finders; in production
# from collectstatic's hashed, compressed copies (``manage.py serve`` runs
# collectstatic when DEBUG is off).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# --- Security (on by default in production, each switch overridable) --------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load-balancer probes speak plain HTTP
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
# Behind a TLS-terminating load balancer that sets X-Forwarded-Proto.
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# --- KubeSandbox ------------------------------------------------------------

# Admission limits per sandbox, enforced by the API server with Kubernetes-style
# 403 Forbidden messages. A sandbox's own ``quotas`` field overrides these.
KUBESANDBOX_QUOTAS = {
    "pods": env_int("KUBESANDBOX_QUOTA_PODS", 500),
    "nodes": env_int("KUBESANDBOX_QUOTA_NODES", 20),
    "objects": env_int("KUBESANDBOX_QUOTA_OBJECTS", 2000),
}

# --- Logging ----------------------------------------------------------------

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django": {"level": LOG_LEVEL},
        "django.db.backends": {"level": "WARNING"},
        "cluster": {"level": LOG_LEVEL},
        "sandbox": {"level": LOG_LEVEL},
        "daphne": {"level": "WARNING"},
    },
}
