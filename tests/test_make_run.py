"""`make run` works for a newcomer: on this machine's PostgreSQL and Redis, and with neither.

Each test starts `make run` in its own process group, waits for the pages a newcomer opens first,
then presses Ctrl+C (SIGINT to the group) and checks that nothing it started (web, Celery worker,
beat, pool children) is left running.
"""

import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]
ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/0"
STARTUP_SECONDS = 180
# What a newcomer's shell would not have: this test run's own settings and make's jobserver.
INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_URL",
    "CELERY_",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def newcomer_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED)}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


class MakeRun:
    """`make run` in a new session, its output collected as it comes."""

    def __init__(self, cwd: Path, env: dict):
        # The venv is already installed here: `-o` keeps make from reinstalling it (newcomer.sh
        # covers the install step from a clean clone).
        self.process = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/.installed", "run"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_until_ok(self, url: str) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"`make run` stopped before {url} answered:\n{self.output}")
            if status_of(url) == 200:
                return
            time.sleep(0.5)
        pytest.fail(f"{url} did not answer 200 within {STARTUP_SECONDS}s:\n{self.output}")

    def descendants(self) -> list[int]:
        """Every process started under `make run`, wherever it has moved since."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            stat = _stat_fields(entry) if entry.name.isdigit() else None
            if stat is not None:
                children.setdefault(int(stat[1]), []).append(int(entry.name))
        found, todo = [], [self.process.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, []))
        return found

    def stop(self) -> list[str]:
        """Ctrl+C for the whole group, as in a terminal; answers what outlived it (killed then)."""
        started = self.descendants()
        os.killpg(self.process.pid, signal.SIGINT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and alive(started):
            time.sleep(0.2)
        survivors = [f"{pid}: {_cmdline(pid)}" for pid in alive(started)]
        for pid in alive(started):
            os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        return survivors


def alive(pids: list[int]) -> list[int]:
    return [pid for pid in pids if _stat_fields(Path("/proc") / str(pid)) is not None]


def _stat_fields(proc_entry: Path) -> list[str] | None:
    """state, ppid, pgrp, ... of a live process; None once it is gone (or a zombie)."""
    try:
        stat = (proc_entry / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] == "Z" else fields


def status_of(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.fixture
def fresh_database():
    name = f"bm_newcomer_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clone(tmp_path):
    """A fresh clone of the committed tree, sharing this checkout's installed virtualenv."""
    repo = tmp_path / "breathmaster"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(repo)], check=True, timeout=120)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    return repo


@pytest.mark.worker
def test_make_run_serves_the_site_with_worker_and_beat_and_stops_cleanly(fresh_database):
    port = free_port()
    # Its own queue: the shared Redis may hold other runs' tasks, which this worker would pick up
    # (against a database that lacks their rows) and then wait for on shutdown.
    queue = f"newcomer-{uuid.uuid4().hex[:8]}"
    env = newcomer_env(PORT=str(port), DATABASE_URL=fresh_database, CELERY_TASK_DEFAULT_QUEUE=queue)
    run = MakeRun(ROOT, env)
    base = f"http://127.0.0.1:{port}"
    try:
        for path in ("/accounts/login/", "/api/docs/", "/healthz"):
            run.wait_until_ok(base + path)
        commands = [_cmdline(pid) for pid in run.descendants()]
        assert any("celery" in c and " worker" in c for c in commands), commands
        assert any("celery" in c and " beat" in c for c in commands), commands
    finally:
        survivors = run.stop()
        redis.Redis.from_url(REDIS).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )
    assert survivors == [], run.output
    assert f"Breath Master Cloud is running at {base}/" in run.output


def test_make_run_falls_back_to_sqlite_and_in_process_tasks_without_postgres_or_redis(clone):
    port = free_port()
    env = newcomer_env(
        PORT=str(port), BM_PROBE_POSTGRES="127.0.0.1:1", BM_PROBE_REDIS="127.0.0.1:1"
    )
    run = MakeRun(clone, env)
    try:
        run.wait_until_ok(f"http://127.0.0.1:{port}/accounts/login/")
    finally:
        survivors = run.stop()
    assert survivors == [], run.output
    assert "using an embedded SQLite database" in run.output
    assert "tasks run in-process" in run.output
    assert (clone / "db.sqlite3").exists()


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
