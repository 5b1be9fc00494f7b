"""Benchmark of `POST /api/v1/sync` under the production server, on this machine.

What it does, bounded in time and count, on loopback only:
1. creates a throwaway PostgreSQL database (`bm_bench`), migrates it and adds 8 users with 8
   devices each (64 devices, each with its own token), all opted in to sync;
2. starts gunicorn with the production settings, configured as docker-compose runs it;
3. waits (boundedly) for other work on the machine to settle, warms up, then measures
   (a) throughput: the 64 devices send as fast as they can (one request in flight each);
   (b) latency at a steady offered load of 200 requests/s spread over the devices, timed from
       each request's scheduled send time, so a slow answer cannot hide the ones queued behind
       it (no coordinated omission);
4. checks that every user's totals equal what their devices sent and stops gunicorn;
5. (c) for scale, runs the same devices for as long as (a) against bench/reference_app.py, a
   bare psycopg WSGI app doing the upserts and sums, under the same gunicorn (`--no-reference`
   skips it); prints a summary against the targets and drops the database.

Every request is a device's counters for today raised by one (xp, minutes; sessions every tenth
request), so every request changes stored state, as a real upload would. Exit status: 0 when
both targets are met, 1 when one is missed, 2 when the benchmark could not run.

Run with `make bench`, or `.venv/bin/python bench/sync.py --help` for the knobs.
"""

import argparse
import asyncio
import json
import math
import os
import resource
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
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
SYNC_PATH = "/api/v1/sync"

THROUGHPUT_TARGET = 550  # requests/s: half of a bare psycopg WSGI app doing the same work here
P99_TARGET_MS = 50.0

# The server as docker-compose.yml (and the Dockerfile) run it: gunicorn's sync workers, 4 of them.
# On this 2-core machine 3 or 4 sync workers measured best; gthread (2x4, 4x2, 4x4 threads)
# served less with a worse tail, and 6 or more sync workers only added contention.
DEFAULT_WORKERS = 4
DEFAULT_WORKER_CLASS = "sync"
DEFAULT_THREADS = 1

QUIET_CORES = 0.3  # other work above this would share the cores with the server
REQUEST_TIMEOUT = 10.0  # seconds; a request slower than this counts as an error
HARD_TIME_LIMIT = 600  # seconds; the whole run stops itself after this, whatever happens


class BenchError(Exception):
    """The benchmark could not run (setup, server start); the message says why."""


# --- The simulated devices -------------------------------------------------------------------


@dataclass
class BenchDevice:
    """One extension install: its token and today's counters, raised by every request."""

    token: str
    user_index: int
    xp: int = 0
    sessions: int = 0
    minutes: int = 0
    sent: int = 0
    acknowledged: dict = field(default_factory=lambda: {"xp": 0, "sessions": 0, "minutes": 0})

    def next_upload(self) -> tuple[bytes, dict]:
        self.sent += 1
        self.xp += 1
        self.minutes = min(1440, self.minutes + 1)
        self.sessions = 1 + self.sent // 10
        # Stay inside the server's plausibility bound (EXTENSION.md: 30 XP a minute plus 400).
        assert self.xp <= 30 * self.minutes + 400, "the run is longer than a plausible day"
        counters = {"xp": self.xp, "sessions": self.sessions, "minutes": self.minutes}
        today = datetime.now(UTC).date().isoformat()
        body = json.dumps({"days": [{"date": today, **counters}]}, separators=(",", ":"))
        return body.encode(), counters

    def acknowledge(self, counters: dict) -> None:
        # Requests of one device may overtake each other; the server keeps the field-wise maximum.
        for name, value in counters.items():
            self.acknowledged[name] = max(self.acknowledged[name], value)


# --- A lean HTTP/1.1 client (the load generator must not be what limits the numbers) ---------


class HttpConnection(asyncio.Protocol):
    """One TCP connection; one request at a time; keeps it open when the server allows."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.transport = None
        self.closed = False
        self.buffer = bytearray()
        self.waiter = None
        self.timer = None
        self.head_end = -1
        self.status = 0
        self.length = None
        self.keep_alive = True

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.closed = True
        if self.waiter is None or self.waiter.done():
            return
        if self.head_end >= 0 and self.length is None:
            self._finish()  # a response without Content-Length ends with the connection
        else:
            self._fail(ConnectionError("the server closed the connection before answering"))

    def data_received(self, data):
        self.buffer += data
        if self.head_end < 0 and not self._read_head():
            return
        if self.length is not None and len(self.buffer) >= self.head_end + self.length:
            self._finish()

    def request(self, raw: bytes) -> asyncio.Future:
        self.waiter = self.loop.create_future()
        self.buffer.clear()
        self.head_end, self.status, self.length, self.keep_alive = -1, 0, None, True
        self.timer = self.loop.call_later(REQUEST_TIMEOUT, self._time_out)
        self.transport.write(raw)
        return self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()

    def _read_head(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        self.status = int(lines[0].split(" ", 2)[1])
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                self.length = int(value)
            elif name == "connection" and value == "close":
                self.keep_alive = False
        self.head_end = end + 4
        return True

    def _finish(self) -> None:
        self.timer.cancel()
        body = bytes(self.buffer[self.head_end :])
        self.waiter.set_result((self.status, body))

    def _fail(self, exc: Exception) -> None:
        self.timer.cancel()
        self.waiter.set_exception(exc)

    def _time_out(self) -> None:
        if not self.waiter.done():
            self._fail(TimeoutError(f"no answer within {REQUEST_TIMEOUT:.0f} s"))
            self.close()


class SyncClient:
    """Posts uploads for devices over a pool of connections, reusing those the server keeps."""

    def __init__(self, port: int):
        self.port = port
        self.host_header = f"{HOST}:{port}"
        self.idle: list[HttpConnection] = []
        self.connections_opened = 0

    async def post(self, token: str, body: bytes) -> tuple[int, bytes]:
        head = (
            f"POST {SYNC_PATH} HTTP/1.1\r\nHost: {self.host_header}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        raw = head.encode() + body
        conn = self._idle_connection()
        if conn is not None:
            try:
                return self._release(conn, await conn.request(raw))
            except ConnectionError:
                pass  # the server closed an idle keep-alive connection; retry on a fresh one
        conn = await self._connect()
        try:
            return self._release(conn, await conn.request(raw))
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()

    def _idle_connection(self) -> HttpConnection | None:
        while self.idle:
            conn = self.idle.pop()
            if not conn.closed:
                return conn
        return None

    async def _connect(self) -> HttpConnection:
        loop = asyncio.get_running_loop()
        _, conn = await loop.create_connection(lambda: HttpConnection(loop), HOST, self.port)
        self.connections_opened += 1
        return conn

    def _release(self, conn: HttpConnection, answer: tuple[int, bytes]) -> tuple[int, bytes]:
        if conn.keep_alive and not conn.closed:
            self.idle.append(conn)
        else:
            conn.close()
        return answer


@dataclass
class Outcome:
    """What one phase saw: answers by status, failures by kind, and latencies in seconds."""

    statuses: Counter = field(default_factory=Counter)
    failures: Counter = field(default_factory=Counter)
    latencies: list = field(default_factory=list)
    send_lags: list = field(default_factory=list)
    first_error: str = ""

    @property
    def ok(self) -> int:
        return self.statuses[200]

    @property
    def errors(self) -> int:
        return sum(self.statuses.values()) - self.ok + sum(self.failures.values())

    def describe_errors(self) -> str:
        kinds = [
            f"{count} x HTTP {status}" for status, count in self.statuses.items() if status != 200
        ]
        kinds += [f"{count} x {kind}" for kind, count in self.failures.items()]
        return ", ".join(kinds) + (f"; first: {self.first_error}" if self.first_error else "")


async def upload(client: SyncClient, device: BenchDevice, outcome: Outcome) -> None:
    body, counters = device.next_upload()
    try:
        status, answer = await client.post(device.token, body)
    except (OSError, TimeoutError) as exc:
        outcome.failures[type(exc).__name__] += 1
        outcome.first_error = outcome.first_error or str(exc)
        return
    outcome.statuses[status] += 1
    if status == 200:
        device.acknowledge(counters)
    elif not outcome.first_error:
        outcome.first_error = f"HTTP {status}: {answer[:300].decode(errors='replace')}"


async def closed_loop(client: SyncClient, devices: list[BenchDevice], seconds: float) -> Outcome:
    """Every device sends its next upload as soon as its previous one is answered."""
    loop = asyncio.get_running_loop()
    outcome = Outcome()
    stop_at = loop.time() + seconds

    async def device_loop(device: BenchDevice) -> None:
        while loop.time() < stop_at:
            await upload(client, device, outcome)

    await asyncio.gather(*(device_loop(device) for device in devices))
    return outcome


async def open_loop(
    client: SyncClient, devices: list[BenchDevice], rate: float, seconds: float
) -> Outcome:
    """Send on a fixed schedule whatever the answers do; time each from its scheduled moment."""
    loop = asyncio.get_running_loop()
    outcome = Outcome()
    count = int(rate * seconds)
    start = loop.time() + 0.05

    async def timed_upload(device: BenchDevice, scheduled: float) -> None:
        outcome.send_lags.append(loop.time() - scheduled)
        await upload(client, device, outcome)
        outcome.latencies.append(loop.time() - scheduled)

    tasks = []
    for index in range(count):
        scheduled = start + index / rate
        delay = scheduled - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        device = devices[index % len(devices)]
        tasks.append(asyncio.create_task(timed_upload(device, scheduled)))
    await asyncio.gather(*tasks)
    return outcome


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


# --- CPU accounting, to tell who used the cores ----------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: str) -> tuple[str, int, float] | None:
    """(name, process group, CPU seconds so far) of one process, None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            raw = stat.read()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    return name, int(fields[2]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def serves_database(pid: str, database: str) -> bool:
    """A PostgreSQL process working for the bench: a backend on its database, or a shared one."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            title = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    # A client backend names its user, database and peer: "postgres bm_bench 127.0.0.1(5678) idle".
    is_client_backend = "(" in title or "[local]" in title
    return not is_client_backend or database in title.split()


def cpu_seconds(server_group: int, database: str) -> dict[str, float]:
    """CPU seconds so far of gunicorn, PostgreSQL for the bench, this client, and everything."""
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or (seen := process_cpu(entry.name)) is None:
            continue
        name, group, used = seen
        if group == server_group:
            totals["gunicorn"] += used
        elif name.startswith("postgres") and serves_database(entry.name, database):
            totals["postgres"] += used
    usage = resource.getrusage(resource.RUSAGE_SELF)
    totals["client"] = usage.ru_utime + usage.ru_stime
    with open("/proc/stat") as stat:
        ticks = [int(value) for value in stat.readline().split()[1:9]]
    busy = sum(ticks) - ticks[3] - ticks[4]  # all but idle and iowait
    totals["machine"] = busy / CLOCK_TICKS
    return totals


def cpu_share(before: dict, after: dict, seconds: float) -> dict[str, float]:
    """Cores each part kept busy, and how many other work on this machine took meanwhile."""
    used = {name: (after[name] - before[name]) / seconds for name in after}
    used["others"] = max(0.0, used.pop("machine") - sum(used.values()))
    return used


def machine_busy_cores(seconds: float) -> float:
    """Cores busy over the next `seconds`, by anything (the bench itself is idle meanwhile)."""
    before = cpu_seconds(-1, "")["machine"]
    time.sleep(seconds)
    return (cpu_seconds(-1, "")["machine"] - before) / seconds


def machine_quiet_wait(limit: float) -> None:
    """Wait (boundedly) for other work on this machine to settle: it would share the cores."""
    deadline = time.monotonic() + limit
    busy = machine_busy_cores(2)
    if busy <= QUIET_CORES:
        return
    print(f"other work keeps {busy:.1f} cores busy; waiting up to {limit:.0f} s for quiet ...")
    while busy > QUIET_CORES and time.monotonic() < deadline:
        busy = machine_busy_cores(2)
    if busy > QUIET_CORES:
        print(f"still {busy:.1f} cores busy with other work; measuring anyway", flush=True)


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


# --- Checks and the report -------------------------------------------------------------------


async def state_fetch(client: SyncClient, token: str) -> tuple[int, bytes]:
    """The user's state through an empty upload, once the server has caught up (a backlog of
    requests the client gave up on may still be queued there)."""
    for _ in range(5):
        try:
            return await client.post(token, b"{}")
        except (OSError, TimeoutError):
            continue
    return 0, b""


async def totals_check(client: SyncClient, devices: list[BenchDevice]) -> list[str]:
    """Each user's totals: at least what the server acknowledged from their devices, at most
    what they sent (a request that timed out here may still have been stored)."""
    problems = []
    for user_index in sorted({device.user_index for device in devices}):
        own = [device for device in devices if device.user_index == user_index]
        status, answer = await state_fetch(client, own[0].token)
        if status != 200:
            problems.append(f"user {user_index + 1}: no state (HTTP {status}) for an empty upload")
            continue
        state = json.loads(answer)["state"]
        for name, key in (
            ("xp", "totalXP"),
            ("sessions", "totalSessions"),
            ("minutes", "totalMinutes"),
        ):
            least = sum(device.acknowledged[name] for device in own)
            most = sum(getattr(device, name) for device in own)
            if not least <= state.get(key, -1) <= most:
                problems.append(
                    f"user {user_index + 1}: {key} {state.get(key)}, expected {least}..{most}"
                )
    return problems


def verdict(met: bool) -> str:
    return "ok" if met else "MISSED"


@dataclass
class Phase:
    """One measured phase: what the devices saw, how long it took, and who used the CPU."""

    outcome: Outcome
    seconds: float
    cores: dict

    @property
    def answered(self) -> int:
        return sum(self.outcome.statuses.values())

    def cpu_per_request(self) -> dict[str, float]:
        """Milliseconds of CPU each part spent per answered request."""
        parts = ("gunicorn", "postgres", "client")
        return {name: self.cores[name] * self.seconds / self.answered * 1000 for name in parts}

    def describe_cpu(self) -> str:
        busy = ", ".join(f"{name} {cores:.2f}" for name, cores in self.cores.items())
        per_request = ", ".join(f"{n} {ms:.1f}" for n, ms in self.cpu_per_request().items())
        return f"cores busy: {busy} (of {os.cpu_count()}); CPU ms per request: {per_request}"


async def phase_run(name: str, work, server_group: int, database: str) -> Phase:
    print(name, flush=True)
    before, started = cpu_seconds(server_group, database), time.monotonic()
    outcome = await work
    seconds = time.monotonic() - started
    return Phase(outcome, seconds, cpu_share(before, cpu_seconds(server_group, database), seconds))


async def measure(args: argparse.Namespace, port: int, devices: list, server_group: int) -> dict:
    client = SyncClient(port)
    print(f"warming up for {args.warmup:.0f} s ...", flush=True)
    warm = await closed_loop(client, devices, args.warmup)
    if warm.ok == 0:
        raise BenchError(f"no upload succeeded while warming up: {warm.describe_errors()}")
    fast = await phase_run(
        f"(a) {len(devices)} devices sending as fast as they can for {args.seconds:.0f} s ...",
        closed_loop(client, devices, args.seconds),
        server_group,
        args.database,
    )
    await asyncio.sleep(1)  # let the server settle between the phases
    steady = await phase_run(
        f"(b) {args.rate:.0f} requests/s for {args.open_seconds:.0f} s ...",
        open_loop(client, devices, args.rate, args.open_seconds),
        server_group,
        args.database,
    )
    problems = await totals_check(client, devices)
    client.close()
    return {"fast": fast, "steady": steady, "problems": problems}


async def reference_measure(
    args: argparse.Namespace, port: int, devices: list, server_group: int
) -> Phase:
    """(c): the bare psycopg app (reference_app.py) under the same server and load as (a)."""
    client = SyncClient(port)
    await closed_loop(client, devices, args.warmup)
    phase = await phase_run(
        f"(c) the same devices against a bare psycopg app for {args.seconds:.0f} s ...",
        closed_loop(client, devices, args.seconds),
        server_group,
        args.database,
    )
    client.close()
    return phase


def report(args: argparse.Namespace, devices: list, queries: tuple, results: dict) -> int:
    fast, steady, problems = results["fast"], results["steady"], results["problems"]
    throughput = fast.outcome.ok / fast.seconds
    ms = {q: percentile(steady.outcome.latencies, q) * 1000 for q in (0.5, 0.9, 0.99, 1.0)}
    lag_p99 = percentile(steady.outcome.send_lags, 0.99) * 1000
    throughput_met = throughput >= THROUGHPUT_TARGET and fast.outcome.errors == 0
    latency_met = ms[0.99] < P99_TARGET_MS and steady.outcome.errors == 0
    server = f"gunicorn {args.workers} {args.worker_class} workers"
    if args.worker_class == "gthread":
        server += f" x {args.threads} threads"
    statements, round_trips = queries
    ceiling = os.cpu_count() * 1000 / sum(fast.cpu_per_request().values())

    print()
    print("Breath Master sync benchmark")
    print(f"  server:  {server} on {HOST}, DJANGO_ENV=production, PostgreSQL")
    print(f"  devices: {len(devices)} ({args.users} users x {args.devices_per_user} devices)")
    print(f"  per upload: {statements} SQL statements, {round_trips} round trips to PostgreSQL")
    print(f"  (a) {fast.answered} answers in {fast.seconds:.1f} s, {fast.outcome.errors} errors")
    print(f"      {fast.describe_cpu()}")
    print(
        f"  (b) {steady.answered} answers in {steady.seconds:.1f} s, {steady.outcome.errors} "
        f"errors; p90 {ms[0.9]:.1f} ms, max {ms[1.0]:.1f} ms; client send lag p99 {lag_p99:.1f} ms"
    )
    print(f"      {steady.describe_cpu()}")
    if steady.outcome.ok < 0.95 * args.rate * args.open_seconds:
        print(f"      the server did not keep up with {args.rate:.0f} requests/s")
    for phase, label in ((fast, "(a)"), (steady, "(b)")):
        if phase.outcome.errors:
            print(f"  {label} errors: {phase.outcome.describe_errors()}")
    print(
        f"  CPU bound: at (a)'s CPU per request, {os.cpu_count()} idle cores allow "
        f"~{ceiling:.0f} req/s"
    )
    if max(fast.cores["others"], steady.cores["others"]) > QUIET_CORES:
        print("  note: other work kept this machine busy meanwhile; the figures are pessimistic")
    reference = results.get("reference")
    if reference is not None:
        print(
            f"  (c) reference, a bare psycopg WSGI app doing the upserts and sums "
            f"(bench/reference_app.py): {reference.outcome.ok / reference.seconds:.0f} req/s, "
            f"{reference.outcome.errors} errors"
        )
        print(f"      {reference.describe_cpu()}")
    if problems:
        print(f"  totals check FAILED ({len(problems)}): " + "; ".join(problems[:3]))
    else:
        print("  totals check: every user's totals match what their devices sent")
    print()
    print(
        f"throughput: {throughput:.0f} req/s (target >= {THROUGHPUT_TARGET})"
        f"  {verdict(throughput_met)}"
    )
    if reference is not None:
        share = throughput / (reference.outcome.ok / reference.seconds)
        # The target is absolute: half of the 1,100 req/s the issue measured for such an app.
        print(f"share of the bare app's throughput, both measured now: {share:.2f}")
    print(
        f"latency @{args.rate:.0f} req/s: p50 {ms[0.5]:.1f} ms p99 {ms[0.99]:.1f} ms"
        f" (target p99 < {P99_TARGET_MS:.0f} ms)  {verdict(latency_met)}"
    )
    return 0 if throughput_met and latency_met and not problems else 1


def run(args: argparse.Namespace) -> int:
    database_url, name, admin_url = database_urls(args.database_url)
    args.database = name
    env = server_environment(database_url)
    print(f"creating database {name} and {args.users * args.devices_per_user} devices ...")
    database_recreate(admin_url, name)
    server = None
    try:
        database_migrate(env)
        devices = accounts_create(env, args.users, args.devices_per_user)
        queries = queries_per_upload(devices[0])
        port = free_port()
        with tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log") as log:
            server = server_start(env, port, args, log)
            server_wait(server, port, log.name)
            machine_quiet_wait(args.quiet_wait)
            results = asyncio.run(measure(args, port, devices, server.pid))
            server_stop(server)
            if args.reference:
                server = server_start(env, port, args, log, app="reference_app:application")
                server_wait(server, port, log.name)
                reference = reference_measure(args, port, devices, server.pid)
                results["reference"] = asyncio.run(reference)
        return report(args, devices, queries, results)
    finally:
        if server is not None:
            server_stop(server)
        if not args.keep_database:
            database_drop(admin_url, name)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--devices-per-user", type=int, default=8)
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds")
    parser.add_argument("--seconds", type=float, default=12.0, help="(a) closed loop, seconds")
    parser.add_argument("--rate", type=float, default=200.0, help="(b) offered load, requests/s")
    parser.add_argument("--open-seconds", type=float, default=15.0, help="(b) seconds")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--worker-class", default=DEFAULT_WORKER_CLASS, choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bm_bench"),
        help="a database this run may drop and recreate",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=60.0,
        help="seconds to wait at most for other work on the machine to settle (0: do not wait)",
    )
    parser.add_argument("--keep-database", action="store_true", help="do not drop it at the end")
    parser.add_argument(
        "--no-reference",
        dest="reference",
        action="store_false",
        help="skip (c), the bare psycopg app measured for comparison",
    )
    args = parser.parse_args()
    measured = 2 * (args.seconds + args.warmup) + args.open_seconds
    if measured + args.quiet_wait > HARD_TIME_LIMIT / 2:
        parser.error("the phases must fit well inside the run's time limit")
    return args


def main() -> int:
    args = arguments()

    def stop(signum, frame):
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    # Bounded whatever happens: a hung phase ends the run, and cleanup still runs.
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(HARD_TIME_LIMIT)
    try:
        return run(args)
    except BenchError as exc:
        print(f"benchmark could not run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        print(f"benchmark interrupted {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
