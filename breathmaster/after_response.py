"""Work a request causes that its answer need not wait for, run once the answer is sent.

A WSGI server sends the body, then closes the response; Django sends `request_finished` then.
What runs there adds nothing to the time the client waits (the worker is still busy for it, so
it is for rare, small work: a sync's first board refresh of a burst publishes a Celery task,
~1.5 ms of CPU, bench/leaderboard.py). Outside a request (a Celery task, a command, a thread
of its own) the work runs at once. If the process dies before the answer is closed, the work
is lost: use it only for what something else redoes (the refresh marker expires, for one).
"""

import logging
import threading
from collections.abc import Callable

from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)
_this_thread = threading.local()


def after_response(work: Callable[[], object]) -> None:
    """Run `work` once the current request's answer is sent, or now when there is none."""
    waiting = getattr(_this_thread, "waiting", None)
    if waiting is None:
        work()
    else:
        waiting.append(work)


def install() -> None:
    """Follow requests on every thread (idempotent; called from an AppConfig's ready())."""
    request_started.connect(_request_started, dispatch_uid="breathmaster.after_response")
    request_finished.connect(_request_finished, dispatch_uid="breathmaster.after_response")


def _request_started(**kwargs) -> None:
    _this_thread.waiting = []


def _request_finished(**kwargs) -> None:
    waiting, _this_thread.waiting = getattr(_this_thread, "waiting", None), None
    for work in waiting or ():
        try:
            work()
        except Exception:  # the answer is sent; one failure must not skip the rest
            logger.exception("work after the response failed: %r", work)
