"""A real Celery worker against Redis, for the tests about scheduling and delivery.

`celery_worker` starts `celery worker` as a process on this test run's own queue and database,
and switches eager mode off while it runs. Use it with `django_db(transaction=True)` so the
worker sees committed rows.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from breathmaster.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    db = connection.settings_dict
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "breathmaster", "worker",
        "--pool=solo", "--concurrency=1", "-Q", queue, "--without-heartbeat",
        "--without-gossip", "--without-mingle", "--loglevel=INFO",
    ]  # fmt: skip
    app.control.purge()
    log = tmp_path / "celery-worker.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    _wait_until_ready(process, log)
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield process
    finally:
        app.conf.task_always_eager = previous
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_ready(process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    # The worker logs "ready." once it consumes; its output goes to a file so it never blocks.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if "ready." in log.read_text():
            return
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("Celery worker did not start:\n" + log.read_text()[-4000:])


def wait_for(predicate, timeout: float = 20, interval: float = 0.1):
    """Poll until predicate() is truthy; return its value (tests on a real worker need time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")
