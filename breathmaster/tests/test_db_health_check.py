"""The database health check: no round trip for a healthy connection, a fresh one for a dead one."""

import tempfile
import time

import psycopg
import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    """End a backend from another connection, as a server restart or an idle timeout would."""
    database = settings.DATABASES["default"]
    with psycopg.connect(
        host=database["HOST"],
        port=database["PORT"] or 5432,
        user=database["USER"],
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _new_request() -> None:
    """What Django does at the start and end of every request with CONN_HEALTH_CHECKS on."""
    connection.close_if_unusable_or_obsolete()


def test_the_project_uses_the_backend_with_the_quiet_health_check():
    assert connection.settings_dict["ENGINE"] == "breathmaster.db.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_healthy_idle_connection_is_kept_without_sending_a_query():
    pid = _backend_pid()
    _new_request()
    # libpq's protocol trace shows every message sent; Django's own check would send `SELECT 1`.
    with tempfile.TemporaryFile("w+") as trace:
        connection.connection.pgconn.trace(trace.fileno())
        connection.close_if_health_check_failed()
        assert connection.connection is not None
        connection.connection.pgconn.untrace()
        trace.seek(0)
        assert trace.read() == ""
    assert _backend_pid() == pid


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it():
    pid = _backend_pid()
    _terminate(pid)
    time.sleep(0.2)  # the server's goodbye reaches the socket
    _new_request()
    connection.close_if_health_check_failed()
    new_pid = _backend_pid()
    assert new_pid != pid


def test_an_upload_after_a_server_side_disconnect_still_succeeds(device_client, verified_user):
    client = device_client(verified_user)
    assert client.post("/api/v1/sync", {}, format="json").status_code == 200
    _terminate(_backend_pid())
    time.sleep(0.2)
    _new_request()
    response = client.post(
        "/api/v1/sync",
        {"days": [{"date": "2026-11-01", "xp": 10, "sessions": 1, "minutes": 1}]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["state"]["totalXP"] == 10
