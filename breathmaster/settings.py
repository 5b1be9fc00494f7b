"""Settings for Breath Master Cloud, all read from the environment.

Local defaults are safe and need nothing configured; `DJANGO_ENV=production` refuses to start
without a real secret key and the keys of every integration that is switched on.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="local")
PRODUCTION = DJANGO_ENV == "production"

LOCAL_SECRET_KEY = "local-only-insecure-key-never-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=LOCAL_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == LOCAL_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("Production needs a real SECRET_KEY of at least 50 characters.")

DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people reach the site at, for links in emails and exports.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "accounts",
    "progression",
    "social",
    "billing",
    "notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "breathmaster.middleware.ContentSecurityPolicyMiddleware",  # django-csp's, API answers apart
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's session, auth and messages middleware, passed by for /api/v1/ (token auth).
    "breathmaster.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "breathmaster.middleware.AuthenticationMiddleware",
    "breathmaster.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "breathmaster.urls"
WSGI_APPLICATION = "breathmaster.wsgi.application"
ASGI_APPLICATION = "breathmaster.asgi.application"

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
                "notifications.context_processors.bell",
            ],
            # The site's header (base.html); a project library, as no one app owns the header.
            "libraries": {"navigation": "breathmaster.navigation"},
        },
    },
]

# --- Data stores -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/breathmaster")
}
# A worker keeps its connection for ten minutes: a new one costs its first request tens of
# milliseconds (a backend started, the sync function compiled, statements prepared again), the
# slowest answers of bench/sync.py when it was a minute. The health check below is free.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=600))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
# PostgreSQL is the one database (`make run` starts an embedded one when none answers).
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://...).")
# Django's backend with a health check that needs no round trip (breathmaster.db).
DATABASES["default"]["ENGINE"] = "breathmaster.db.postgresql"
# Server-side binding lets PostgreSQL prepare the hot statements once per connection
# instead of parsing and planning them on every request (the sync path runs a handful).
# https://docs.djangoproject.com/en/5.2/ref/databases/#server-side-parameters-binding
DATABASES["default"].setdefault("OPTIONS", {}).update(
    server_side_binding=env.bool("DATABASE_SERVER_SIDE_BINDING", default=True),
    prepare_threshold=env.int("DATABASE_PREPARE_THRESHOLD", default=2),
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="bm"),
    }
}

# --- Auth ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Database sessions that know their user, so erasure removes them without decoding every one.
SESSION_ENGINE = "accounts.sessions"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# django-allauth: https://docs.allauth.org/en/latest/account/configuration.html
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Breath Master: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Signing in on the web inside the deletion window restores the account (accounts/adapter.py).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"

# --- Content-Security-Policy (django-csp: https://django-csp.readthedocs.io/) -----------------
# Every page loads scripts and styles from our own static files only, with no inline script or
# style. The one inline script, Swagger UI's start-up on /api/docs/, runs by the nonce of its own
# response (templates/drf_spectacular/swagger_ui.html); other pages get no nonce at all.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise: https://whitenoise.readthedocs.io/) ---------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- REST API (the contract: ../shared/CONTRACT.md) ------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.api.authentication.DeviceTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Ours: bounds nesting before parsing, and any bad body is 400 invalid_json.
    "DEFAULT_PARSER_CLASSES": ["breathmaster.api.parsers.JSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "breathmaster.api.negotiation.ContentNegotiation",
    "DEFAULT_PAGINATION_CLASS": "breathmaster.api.pagination.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "breathmaster.api.errors.exception_handler",
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
    "DEFAULT_THROTTLE_RATES": {
        "anonymous_signup": env.str("THROTTLE_ANONYMOUS_SIGNUP", default="20/hour"),
        "sync_code": env.str("THROTTLE_SYNC_CODE", default="12/10min"),
        "sync_code_redeem": env.str("THROTTLE_SYNC_CODE_REDEEM", default="30/hour"),
        "restore": env.str("THROTTLE_RESTORE", default="20/hour"),
        "claim": env.str("THROTTLE_CLAIM", default="10/hour"),
    },
    # Proxies in front of the app that append to X-Forwarded-For; 0 trusts REMOTE_ADDR only,
    # so throttles per address cannot be dodged with a forged header.
    # https://www.django-rest-framework.org/api-guide/throttling/#how-clients-are-identified
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Breath Master Cloud API",
    "DESCRIPTION": "The optional cloud of the Breath Master VS Code extension.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "deviceToken": {"type": "http", "scheme": "bearer", "bearerFormat": "device token"}
        }
    },
    "SECURITY": [{"deviceToken": []}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "breathmaster.api.schema.add_error_responses",
    ],
}

# --- Celery (https://docs.celeryq.dev/en/stable/userguide/configuration.html) ----------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = None
# Tasks always go through the broker to a worker; only the test settings run them in-process.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Outside services: each one has a switch so a fresh checkout runs without it ------------
STRIPE_ENABLED = env.bool("STRIPE_ENABLED", default=False)
STRIPE_SECRET_KEY = env.str("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env.str("STRIPE_WEBHOOK_SECRET", default="")
# The Price ids of Premium (monthly) and Lifetime (one-time): https://docs.stripe.com/products-prices/overview
STRIPE_PRICE_PREMIUM = env.str("STRIPE_PRICE_PREMIUM", default="")
STRIPE_PRICE_LIFETIME = env.str("STRIPE_PRICE_LIFETIME", default="")
# Tests point the SDK at a local fake Stripe; production leaves it empty (api.stripe.com).
STRIPE_API_BASE = env.str("STRIPE_API_BASE", default="")

EMAIL_ENABLED = env.bool("EMAIL_ENABLED", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Breath Master <hello@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_ENABLED:
    # EMAIL_URL such as smtp+tls://user:password@smtp.example.com:587 (django-environ format).
    vars().update(env.email_url("EMAIL_URL", default="smtp://127.0.0.1:25"))
else:
    # Nothing leaves the machine: mail is printed where the developer can read it.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Reminders: a send claimed this long ago and not finished is taken again (longer than any task
# may live); a failed send waits this base delay, doubled each attempt, before its next try.
NOTIFICATIONS_SEND_LEASE_SECONDS = env.int("NOTIFICATIONS_SEND_LEASE_SECONDS", default=600)
NOTIFICATIONS_RETRY_BASE_SECONDS = env.int("NOTIFICATIONS_RETRY_BASE_SECONDS", default=60)

if PRODUCTION:
    missing = [
        name
        for name, needed in [
            ("STRIPE_SECRET_KEY", STRIPE_ENABLED and not STRIPE_SECRET_KEY),
            ("STRIPE_WEBHOOK_SECRET", STRIPE_ENABLED and not STRIPE_WEBHOOK_SECRET),
            ("STRIPE_PRICE_PREMIUM", STRIPE_ENABLED and not STRIPE_PRICE_PREMIUM),
            ("STRIPE_PRICE_LIFETIME", STRIPE_ENABLED and not STRIPE_PRICE_LIFETIME),
            ("EMAIL_URL", EMAIL_ENABLED and not env.str("EMAIL_URL", default="")),
        ]
        if needed
    ]
    if missing:
        raise ImproperlyConfigured(
            f"Production needs {', '.join(missing)} for switched-on services."
        )

    # https://docs.djangoproject.com/en/5.2/howto/deployment/checklist/
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}
