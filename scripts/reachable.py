"""Small probes for scripts/engines.sh: is PostgreSQL or Redis answering, and make the database.

    reachable.py postgres|redis [HOST:PORT]       exit 0 when it answers
    reachable.py wait postgres|redis HOST:PORT PID SECONDS [DATABASE]
                                                  exit 0 once it answers (and, for PostgreSQL,
                                                  has DATABASE), 1 if PID ends first
    reachable.py create-database NAME [HOST:PORT]
    reachable.py free-port                        print a free port on 127.0.0.1

The client libraries are imported only where needed: each call is a new process.
"""

import os
import socket
import sys
import time

PG_ADDRESS = os.environ.get("BM_PROBE_POSTGRES", "127.0.0.1:5432")
REDIS_ADDRESS = os.environ.get("BM_PROBE_REDIS", "127.0.0.1:6379")


def _admin(address: str) -> str:
    return f"postgresql://postgres@{address}/postgres"


def postgres_up(address: str = PG_ADDRESS) -> bool:
    import psycopg

    try:
        psycopg.connect(_admin(address), connect_timeout=2).close()
        return True
    except psycopg.Error:
        return False


def redis_up(address: str = REDIS_ADDRESS) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(f"redis://{address}", socket_timeout=2).ping())
    except redis.RedisError:
        return False


PROBES = {"postgres": postgres_up, "redis": redis_up}


def wait(engine: str, address: str, pid: int, seconds: float) -> bool:
    """Until the server we just started answers; False as soon as its process is gone."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if PROBES[engine](address):
            return True
        if not _running(pid):
            return False
        time.sleep(0.1)
    return False


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # an ended child its shell has not reaped yet
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True  # no /proc (macOS): kill(pid, 0) is the answer


def create_database(name: str, address: str = PG_ADDRESS) -> bool:
    import psycopg

    with psycopg.connect(_admin(address), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command in PROBES:
        ok = PROBES[command](*args)
    elif command == "wait":
        try:
            ok = wait(args[0], args[1], int(args[2]), float(args[3]))
        except KeyboardInterrupt:  # Ctrl+C while the server starts: no failure to report
            sys.exit(130)
        if ok and args[4:]:
            ok = create_database(args[4], args[1])
    elif command == "create-database":
        ok = create_database(*args)
    elif command == "free-port":
        print(free_port())
        ok = True
    else:
        sys.exit(f"Unknown command {command!r}.")
    sys.exit(0 if ok else 1)
