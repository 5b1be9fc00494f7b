"""The shared cast and the wiring every test stands on.

Tests run on PostgreSQL and Redis. Each test process (an xdist worker, or a whole run without
xdist) gets its own cache key prefix and Celery queue, so parallel runs on one machine never see
each other's throttle counters or tasks.
"""

import os
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from rest_framework.test import APIClient

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["breathmaster.testing.browser", "breathmaster.testing.worker"]


def pytest_configure(config):
    run = f"{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}-{os.getpid()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Database 1 of the Redis the settings use (an embedded one under `make test`).
            "LOCATION": urlsplit(settings.REDIS_URL)._replace(path="/1").geturl(),
            "KEY_PREFIX": f"test-{run}",
        }
    }
    # One test database per run, so parallel runs on one machine never drop each other's.
    database = settings.DATABASES["default"]
    database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_{os.getpid()}"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    # A real worker started by a test listens on this worker's own queue only.
    settings.CELERY_TASK_DEFAULT_QUEUE = f"test-{run}"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    clear_test_cache()
    yield


def clear_test_cache() -> None:
    """Delete this process's cache keys only (`cache.clear()` would flush other runs' too)."""
    from django.core.cache import cache

    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture
def api():
    """An HTTP client with no credentials, the way a fresh extension install starts."""
    return APIClient()


@pytest.fixture
def device_client(db):
    """`device_client(user)` -> an API client holding a real bearer token for a new device."""

    def make(user, name: str = "Laptop", platform: str = "linux") -> APIClient:
        from accounts.services import device_create

        device, token = device_create(user=user, name=name, platform=platform)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        client.device = device
        client.token = token
        return client

    return make


def _verified_user(email: str, display_name: str, **fields):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    user = User.objects.create_user(
        email=email, password="calm-breath-42", display_name=display_name, **fields
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def anonymous_user(db):
    from accounts.models import User

    return User.objects.create_user(display_name="")


@pytest.fixture
def verified_user(db):
    return _verified_user("maya@example.com", "Maya")


@pytest.fixture
def friend(db):
    return _verified_user("theo@example.com", "Theo")


@pytest.fixture
def stranger(db):
    """Someone who must never see anything of the others."""
    return _verified_user("sam@elsewhere.test", "Sam")


@pytest.fixture
def staff(db):
    from accounts.models import User

    return User.objects.create_superuser(email="staff@breathmaster.test", password="staff-pass-42")
