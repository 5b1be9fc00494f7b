"""Where the boards live in Redis: the client, the key names, and the few commands used."""

from functools import cache

import redis
from django.conf import settings


@cache
def _client_for(location: str) -> redis.Redis:
    return redis.Redis.from_url(location, decode_responses=True)


def board_redis() -> redis.Redis:
    """The Redis the cache uses (tests and the worker share a per-run prefix through it)."""
    location = settings.CACHES["default"]["LOCATION"]
    if isinstance(location, list | tuple):
        location = location[0]
    return _client_for(location)


def _prefix() -> str:
    return f"{settings.CACHES['default'].get('KEY_PREFIX', '')}:lb"


def key(window_key: str, board: str) -> str:
    """`board` is `ev` (everyone rankable), `global`, `co:<domain>`, or `min` (minutes)."""
    return f"{_prefix()}:{window_key}:{board}"


def ready_key(window_key: str) -> str:
    return f"{_prefix()}:{window_key}:ready"


def lock_key(window_key: str) -> str:
    return f"{_prefix()}:{window_key}:lock"


def dirty_key(window_key: str) -> str:
    return f"{_prefix()}:{window_key}:dirty"


def boards_key(window_key: str) -> str:
    """The set of board names a window has (so a rebuild can drop companies now empty)."""
    return f"{_prefix()}:{window_key}:boards"


def company_of_key() -> str:
    """Hash user id -> the company domain the user is filed under (to move them when it changes)."""
    return f"{_prefix()}:company-of"


def streak_key() -> str:
    """Hash user id -> "YYYY-MM-DD:length", the user's latest run of active days ("" for none)."""
    return f"{_prefix()}:streak"


def pending_key() -> str:
    """Set of user ids whose days changed and whose boards are not refreshed yet."""
    return f"{_prefix()}:pending"


def pending_drain_key() -> str:
    """Present while a drain of `pending_key` is queued or running (so one is queued at a time)."""
    return f"{_prefix()}:pending-drain"
