"""What one `POST /api/v1/sync` costs in CPU, in one process: this process's Python and its
PostgreSQL backend's, per upload, without gunicorn, sockets or a load generator around it.

What it does, on loopback only:
1. creates a throwaway database (`bm_bench_upload`), migrates it and adds 8 users with 8 devices
   each, as bench/sync.py does, with the same production settings;
2. after a warm-up, sends the devices' uploads in turn (each a device's counters for today raised
   by one, as in bench/sync.py) straight to the WSGI handler, in blocks, and prints each block's
   Python CPU, PostgreSQL CPU (its backend's, read from /proc) and wall time per upload;
3. with `--without-token-round-trip`, alternates blocks with the real token lookup and blocks
   where the device is handed back from memory instead (for the measurement only), and prints
   the median of each: what the token's round trip costs inside a request;
4. drops the database.

Figures move with the machine from minute to minute: compare variants within one run, block by
block, as (3) does. They leave out what gunicorn, sockets and two cores shared by many processes
add, and do not predict throughput: a change worth a fifth of the CPU here measured a few
percent under gunicorn (bench/README.md); bench/sync.py is the judge. Run it with
`.venv/bin/python bench/upload_cpu.py` (`--help` for the knobs).
"""

import argparse
import io
import os
import statistics
import sys
import time
import warnings

# bench/ is on the path when this runs as a script.
from loadgen import HOST, SYNC_PATH
from server import (
    BenchError,
    accounts_create,
    database_drop,
    database_migrate,
    database_recreate,
    database_urls,
    server_environment,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bm_bench_upload"


def backend_cpu_seconds(connection) -> float:
    """CPU time so far of the PostgreSQL backend serving `connection` (same machine)."""
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blocks", type=int, default=8)
    parser.add_argument("--block-size", type=int, default=400, help="uploads a block")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--without-token-round-trip", action="store_true")
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_UPLOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    args = parser.parse_args()

    url, name, admin_url = database_urls(args.database_url)
    env = server_environment(url)
    database_recreate(admin_url, name)
    try:
        database_migrate(env)
        devices = accounts_create(env, users=8, devices_per_user=8)
        warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers")
        from django.db import connection

        import accounts.api.authentication as authentication
        from breathmaster.wsgi import application

        def upload(device) -> None:
            body, counters = device.next_upload()
            environ = {
                "REQUEST_METHOD": "POST",
                "PATH_INFO": SYNC_PATH,
                "QUERY_STRING": "",
                "SERVER_NAME": HOST,
                "SERVER_PORT": "80",
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REMOTE_ADDR": HOST,
                "HTTP_HOST": HOST,
                "HTTP_AUTHORIZATION": f"Bearer {device.token}",
                "CONTENT_TYPE": "application/json",
                "CONTENT_LENGTH": str(len(body)),
                "wsgi.input": io.BytesIO(body),
                "wsgi.errors": sys.stderr,
                "wsgi.url_scheme": "http",
            }
            statuses = []
            answer = application(environ, lambda status, headers, *_: statuses.append(status))
            content = b"".join(answer)
            answer.close()
            if not statuses[0].startswith("200"):
                raise BenchError(f"POST {SYNC_PATH} answered {statuses[0]}: {content[:300]!r}")
            device.acknowledge(counters)

        sent = 0

        def block(size: int) -> tuple[float, float, float]:
            nonlocal sent
            postgres, python, wall = (
                backend_cpu_seconds(connection),
                time.process_time(),
                time.perf_counter(),
            )
            for _ in range(size):
                upload(devices[sent % len(devices)])
                sent += 1
            return (
                (time.process_time() - python) / size * 1e6,
                (backend_cpu_seconds(connection) - postgres) / size * 1e6,
                (time.perf_counter() - wall) / size * 1e6,
            )

        block(args.warmup)
        real_lookup = authentication.device_for_token
        remembered = {device.token: real_lookup(device.token) for device in devices}
        variants = {"token looked up": real_lookup}
        if args.without_token_round_trip:
            variants["device from memory"] = remembered.__getitem__
        figures = {variant: [] for variant in variants}
        print(f"{len(devices)} devices; blocks of {args.block_size} uploads after {args.warmup}")
        for number in range(args.blocks):
            # Alternate which variant goes first, so neither always follows the other.
            order = list(variants) if number % 2 == 0 else list(reversed(variants))
            for variant in order:
                authentication.device_for_token = variants[variant]
                python, postgres, wall = block(args.block_size)
                figures[variant].append((python, postgres, wall))
                print(
                    f"  {variant:18s} Python {python:6.0f} us  PostgreSQL {postgres:5.0f} us  "
                    f"wall {wall:6.0f} us an upload"
                )
            authentication.device_for_token = real_lookup
        connection.close()
    finally:
        database_drop(admin_url, name)

    for variant, rows in figures.items():
        python, postgres, wall = (statistics.median(column) for column in zip(*rows, strict=True))
        print(
            f"upload CPU ({variant}): Python {python:.0f} us, PostgreSQL {postgres:.0f} us, "
            f"wall {wall:.0f} us (medians of {len(rows)} blocks)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
