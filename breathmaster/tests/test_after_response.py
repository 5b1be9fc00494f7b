"""Work an answer need not wait for runs once the answer is sent, through the WSGI door."""

import json
import sys
from io import BytesIO

import pytest

from accounts.services import device_create
from breathmaster.after_response import after_response
from breathmaster.wsgi import application
from progression.selectors import user_today
from social.services import refresh_queue


def upload_environ(token: str, body: bytes) -> dict:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/sync",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": BytesIO(body),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "REMOTE_ADDR": "127.0.0.1",
    }


@pytest.fixture
def first_upload(verified_user) -> tuple[str, bytes]:
    """A new device's token and its first upload: today's counters, so the boards must refresh."""
    _, token = device_create(user=verified_user, name="Laptop", platform="linux")
    day = {"date": user_today(user=verified_user).isoformat(), "xp": 40, "sessions": 2}
    return token, json.dumps({"days": [{**day, "minutes": 6}]}).encode()


@pytest.fixture
def published(monkeypatch) -> list[str]:
    """The drain tasks published, in order (the spy stands in for the Celery publish only)."""
    drains = []
    monkeypatch.setattr(refresh_queue, "_drain_queue", lambda: drains.append("drain"))
    return drains


@pytest.mark.django_db(transaction=True)
def test_a_syncs_drain_task_is_published_once_its_answer_is_sent(first_upload, published):
    token, body = first_upload
    statuses = []

    # As a WSGI server does it: call the application, send the body, then close the answer.
    answer = application(upload_environ(token, body), lambda s, h, *a: statuses.append(s))
    try:
        sent = b"".join(answer)
        assert statuses == ["200 OK"] and json.loads(sent)["state"]["totalXP"] == 40
        assert published == []  # the user is queued, the drain not yet published
    finally:
        answer.close()
    assert published == ["drain"]


def test_outside_a_request_the_work_runs_at_once():
    done = []
    after_response(lambda: done.append(1))
    assert done == [1]


@pytest.mark.django_db
def test_work_that_fails_after_the_answer_does_not_stop_the_rest(caplog):
    from django.core.signals import request_finished, request_started

    done = []
    request_started.send(sender=None)
    try:
        after_response(lambda: 1 / 0)
        after_response(lambda: done.append(1))
        assert done == []
    finally:
        request_finished.send(sender=None)  # never leave this test's context mid-request
    assert done == [1]
    assert "work after the response failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_drain_is_published_once_and_at_once(first_upload, published, monkeypatch):
    # Django sends request_started to its receivers in a task of their own under ASGI, so what
    # they set is not the request's: the work runs at once (nothing is lost, only not deferred).
    # Production and `make run` serve WSGI.
    import asyncio
    import threading

    from django.db import connections

    from breathmaster.asgi import application as asgi_application

    # The view runs on asgiref's thread; its connection must close when the answer does.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    token, body = first_upload
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/sync",
        "raw_path": b"/api/v1/sync",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # a client that stays connected until the answer is sent

    async def send(message):
        # Each message as it leaves, and whether the drain was published by then.
        sent.append((message["type"], message.get("status"), list(published)))

    # A thread with its own event loop: a browser test's loop may be running on this one.
    failures = []

    def serve():
        try:
            asyncio.run(asgi_application(scope, receive, send))
        except BaseException as error:  # reported below, on the test's thread
            failures.append(error)

    server = threading.Thread(target=serve)
    server.start()
    server.join(timeout=60)
    assert not server.is_alive() and failures == []

    assert [(kind, status) for kind, status, _ in sent] == [
        ("http.response.start", 200),
        ("http.response.body", None),
    ]
    assert sent[0][2] == ["drain"]  # published before the answer started
    assert published == ["drain"]
