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
import os
import signal
import sys
import tempfile
import time
from dataclasses import dataclass

# bench/ is on the path when this runs as a script.
from loadgen import (
    HOST,
    BenchDevice,
    Outcome,
    SyncClient,
    closed_loop,
    open_loop,
    percentile,
)
from machine import QUIET_CORES, cpu_seconds, cpu_share, machine_quiet_wait
from server import (
    BenchError,
    accounts_create,
    database_drop,
    database_migrate,
    database_recreate,
    database_urls,
    free_port,
    queries_per_upload,
    server_environment,
    server_start,
    server_stop,
    server_wait,
)

THROUGHPUT_TARGET = 550  # requests/s: half of a bare psycopg WSGI app doing the same work here
P99_TARGET_MS = 50.0

# The server as docker-compose.yml (and the Dockerfile) run it: gunicorn's sync workers, 4 of them.
# On this 2-core machine 3 or 4 sync workers measured best; gthread (2x4, 4x2, 4x4 threads)
# served less with a worse tail, and 6 or more sync workers only added contention.
DEFAULT_WORKERS = 4
DEFAULT_WORKER_CLASS = "sync"
DEFAULT_THREADS = 1

HARD_TIME_LIMIT = 600  # seconds; the whole run stops itself after this, whatever happens


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
