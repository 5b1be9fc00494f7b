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


@pytest.mark.django_db(transaction=True)
def test_a_syncs_drain_task_is_published_once_its_answer_is_sent(verified_user, monkeypatch):
    published = []
    monkeypatch.setattr(refresh_queue, "_drain_queue", lambda: published.append("drain"))
    _, token = device_create(user=verified_user, name="Laptop", platform="linux")
    day = {"date": user_today(user=verified_user).isoformat(), "xp": 40, "sessions": 2}
    body = json.dumps({"days": [{**day, "minutes": 6}]}).encode()
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
def test_work_that_fails_after_the_answer_does_not_stop_the_rest(api, caplog):
    from django.core.signals import request_finished, request_started

    done = []
    request_started.send(sender=None)
    after_response(lambda: 1 / 0)
    after_response(lambda: done.append(1))
    request_finished.send(sender=None)
    assert done == [1]
    assert "work after the response failed" in caplog.text
