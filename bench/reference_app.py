"""The yardstick for bench/sync.py: a bare psycopg WSGI app doing an upload's upserts and sums.

No framework and no checks: per request, the token lookup, the day's field-wise maximum upsert
and the user's sums, on the same tables the real endpoint writes, in one transaction. The issue
measured such an app at about 1,100 requests/s here and set the endpoint's target at half of
that; bench/sync.py runs this one under the same gunicorn and load right after the endpoint, so
the two are compared on the machine as it is at that moment.

Run by bench/sync.py (`gunicorn reference_app:application`, DATABASE_URL in the environment).
"""

import hashlib
import json
import os
from datetime import date

import psycopg

_TOKEN_SQL = """
    SELECT d.id, d.user_id FROM accounts_device d JOIN accounts_user u ON u.id = d.user_id
    WHERE d.token_hash = %s AND d.revoked_at IS NULL AND u.is_active
"""
_UPSERT_SQL = """
    INSERT INTO progression_deviceday AS d (user_id, device_id, date, xp, sessions, minutes)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (user_id, device_id, date) DO UPDATE SET
        xp = GREATEST(d.xp, EXCLUDED.xp),
        sessions = GREATEST(d.sessions, EXCLUDED.sessions),
        minutes = GREATEST(d.minutes, EXCLUDED.minutes)
"""
_SUMS_SQL = """
    SELECT COALESCE(SUM(xp), 0), COALESCE(SUM(sessions), 0), COALESCE(SUM(minutes), 0)
    FROM progression_deviceday WHERE user_id = %s
"""

_connection = None


def _database() -> psycopg.Connection:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return _connection


def _answer(start_response, status: str, body: dict) -> list[bytes]:
    raw = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(raw)))]
    )
    return [raw]


def application(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST":  # the bench's readiness probe (/healthz)
        return _answer(start_response, "200 OK", {"status": "ok"})
    length = int(environ.get("CONTENT_LENGTH") or 0)
    upload = json.loads(environ["wsgi.input"].read(length))
    token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
    connection = _database()
    with connection.transaction():
        device = connection.execute(
            _TOKEN_SQL, [hashlib.sha256(token.encode()).hexdigest()]
        ).fetchone()
        if device is None:
            return _answer(start_response, "401 Unauthorized", {"code": "invalid_token"})
        device_id, user_id = device
        for day in upload.get("days", []):
            connection.execute(
                _UPSERT_SQL,
                [
                    user_id,
                    device_id,
                    date.fromisoformat(day["date"]),
                    day["xp"],
                    day["sessions"],
                    day["minutes"],
                ],
            )
        xp, sessions, minutes = connection.execute(_SUMS_SQL, [user_id]).fetchone()
    totals = {"totalXP": int(xp), "totalSessions": int(sessions), "totalMinutes": int(minutes)}
    return _answer(start_response, "200 OK", {"state": totals})
