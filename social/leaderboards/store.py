"""Where the boards live in Redis: the client, the key names, and the few commands used."""

import os
import threading
from functools import cache

import redis
from django.conf import settings
from redis.commands.core import Script


@cache
def _client_for(location: str) -> redis.Redis:
    return redis.Redis.from_url(location, decode_responses=True)


def board_redis() -> redis.Redis:
    """The Redis the cache uses (tests and the worker share a per-run prefix through it)."""
    location = settings.CACHES["default"]["LOCATION"]
    if isinstance(location, list | tuple):
        location = location[0]
    return _client_for(location)


# --- The hot path: a connection of this thread's own ---------------------------------------
# Every upload queues a refresh and every board read runs a script, so these skip the client's
# pool and pipeline: redis-py 8 records metrics at each pool checkout and command, ~0.1 ms of
# CPU a call on the bench machine, half of a short call's cost (bench/leaderboard.py).

_own = threading.local()


def hot_send(commands: tuple[tuple, ...]) -> list:
    """Send `commands` in one write on this thread's own connection; answer their replies (an
    error reply raises, once every reply is read). Only idempotent commands: a dropped
    connection is reopened and the commands sent again, once."""
    connection = _own_connection()
    try:
        replies = _send(connection, commands)
    except (redis.ConnectionError, redis.TimeoutError):
        connection.disconnect()  # the retry opens a new one
        replies = _send(connection, commands)
    for reply in replies:
        if isinstance(reply, redis.ResponseError):
            raise reply
    return replies


def hot_script(script: Script, keys: list, args: list):
    """`script(keys=..., args=...)` on the hot path's connection (loaded again if Redis lost it)."""
    command = (len(keys), *keys, *args)
    try:
        return hot_send((("EVALSHA", script.sha, *command),))[0]
    except redis.exceptions.NoScriptError:
        return hot_send((("EVAL", script.script, *command),))[0]


def _send(connection: redis.Connection, commands: tuple[tuple, ...]) -> list:
    connection.send_packed_command(connection.pack_commands(commands))
    replies = []
    for _ in commands:
        try:
            replies.append(connection.read_response())
        except redis.ResponseError as error:  # read the rest: the connection stays in step
            replies.append(error)
    return replies


def _own_connection() -> redis.Connection:
    pool = board_redis().connection_pool
    # A forked process (a gunicorn or Celery worker) must not share its parent's socket.
    if getattr(_own, "key", None) != (os.getpid(), id(pool)):
        _own.connection = pool.connection_class(**pool.connection_kwargs)
        _own.key = (os.getpid(), id(pool))
    return _own.connection


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
