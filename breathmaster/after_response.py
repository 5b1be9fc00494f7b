"""Work a request causes that its answer need not wait for, run once the answer is sent.

A WSGI server sends the body, then closes the response; Django sends `request_finished` then.
What runs there adds nothing to the time the client waits (the worker is still busy for it, so
it is for rare, small work: a sync's first board refresh of a burst publishes a Celery task,
~1.5 ms of CPU, bench/leaderboard.py). Outside a request (a Celery task, a command, a thread
of its own) the work runs at once. If the process dies before the answer is closed, the work
is lost: use it only for what something else redoes (the refresh marker expires, for one).
"""

import logging
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)
# A context variable, not a thread-local: under ASGI one thread serves many requests in turn, and
# a thread-local list could be swapped by another request's start. Under ASGI Django sends
# request_started in a task of its own, so nothing set there reaches the request: the work runs
# at once (tested). Production and `make run` serve WSGI, where each thread's context is its own.
_waiting: ContextVar[list | None] = ContextVar("after_response_waiting", default=None)


def after_response(work: Callable[[], object]) -> None:
    """Run `work` once the current request's answer is sent, or now when there is none."""
    waiting = _waiting.get()
    if waiting is None:
        work()
    else:
        waiting.append(work)


def install() -> None:
    """Follow every request (idempotent; called from an AppConfig's ready())."""
    request_started.connect(_request_started, dispatch_uid="breathmaster.after_response")
    request_finished.connect(_request_finished, dispatch_uid="breathmaster.after_response")


def _request_started(**kwargs) -> None:
    _waiting.set([])


def _request_finished(**kwargs) -> None:
    waiting = _waiting.get()
    _waiting.set(None)
    for work in waiting or ():
        try:
            work()
        except Exception:  # the answer is sent; one failure must not skip the rest
            logger.exception("work after the response failed: %r", work)
