"""The bench's setup (bench/sync.py): a throwaway database, its accounts, the server under test.

Also counts what one upload costs PostgreSQL, read in-process off libpq's protocol trace.
"""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from loadgen import HOST, SYNC_PATH, BenchDevice

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


class BenchError(Exception):
    """The benchmark could not run (setup, server start); the message says why."""


# --- Database, accounts and the server -------------------------------------------------------


def database_urls(url: str) -> tuple[str, str, str]:
    """The bench database's URL, its name, and the URL of the maintenance database beside it."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return url, name, urlunsplit(parts._replace(path="/postgres"))


def database_recreate(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def database_drop(admin_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def server_environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "breathmaster.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
        "STRIPE_ENABLED": "false",
        "EMAIL_ENABLED": "false",
    }


def database_migrate(env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise BenchError(f"manage.py migrate failed:\n{done.stdout}{done.stderr}")


def accounts_create(env: dict[str, str], users: int, devices_per_user: int) -> list[BenchDevice]:
    """Users opted in to sync (more than one device needs that) and their device tokens."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    from accounts.models import User
    from accounts.services import device_create, user_sync_enable

    devices = []
    for user_index in range(users):
        user = User.objects.create_user(display_name=f"Bench {user_index + 1}")
        user_sync_enable(user=user)
        for device_index in range(devices_per_user):
            _, token = device_create(
                user=user, name=f"Bench laptop {device_index + 1}", platform="linux"
            )
            devices.append(BenchDevice(token=token, user_index=user_index))
    connections.close_all()
    return devices


def queries_per_upload(device: BenchDevice) -> tuple[int, int]:
    """SQL statements and round trips to PostgreSQL of one steady-state upload, counted
    in-process; also fails fast when the endpoint does not answer 200.

    Round trips are read off libpq's protocol trace (each ends with ReadyForQuery), so they
    include what Django sends on its own: BEGIN and COMMIT, and a health check that queries.
    """
    from django.db import connection, connections
    from django.test import Client

    statements = []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    # Whitenoise warns that the collected static files are missing; the API does not need them.
    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
    client = Client(HTTP_HOST=HOST, HTTP_AUTHORIZATION=f"Bearer {device.token}")
    with tempfile.TemporaryFile("w+") as trace:
        for _ in range(2):  # the day's first upload inserts; the later ones are the steady state
            statements.clear()
            body, counters = device.next_upload()
            # What the server does as each request starts (the test client leaves it out).
            connection.close_if_unusable_or_obsolete()
            connection.ensure_connection()
            connection.connection.pgconn.trace(trace.fileno())
            trace.seek(0)
            trace.truncate()
            with connection.execute_wrapper(count):
                answer = client.post(SYNC_PATH, body, content_type="application/json")
            connection.connection.pgconn.untrace()
            if answer.status_code != 200:
                detail = answer.content[:300].decode(errors="replace")
                raise BenchError(f"POST {SYNC_PATH} answered {answer.status_code}: {detail}")
            device.acknowledge(counters)
        trace.seek(0)
        round_trips = sum("\tB\t" in line and "ReadyForQuery" in line for line in trace)
    connections.close_all()
    return len(statements), round_trips


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def server_start(
    env: dict, port: int, args: argparse.Namespace, log, app: str = "breathmaster.wsgi"
) -> subprocess.Popen:
    command = [
        str(GUNICORN),
        app,
        "--pythonpath",
        str(Path(__file__).resolve().parent),  # where the reference app lives
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(args.workers),
        "--worker-class",
        args.worker_class,
        "--threads",
        str(args.threads),
    ]
    # Its own process group, so stopping it stops every worker too.
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )


def server_wait(server: subprocess.Popen, port: int, log_path: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited at start:\n{Path(log_path).read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer /healthz within 60 s:\n{Path(log_path).read_text()}")


def server_stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
