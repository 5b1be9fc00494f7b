"""Small probes for scripts/run.sh: is PostgreSQL or Redis reachable, and make the database."""

import os
import sys

import psycopg
import redis

PG_ADDRESS = os.environ.get("BM_PROBE_POSTGRES", "127.0.0.1:5432")
REDIS_ADDRESS = os.environ.get("BM_PROBE_REDIS", "127.0.0.1:6379")
PG = f"postgresql://postgres@{PG_ADDRESS}/postgres"


def postgres_up() -> bool:
    try:
        psycopg.connect(PG, connect_timeout=2).close()
        return True
    except psycopg.Error:
        return False


def redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(f"redis://{REDIS_ADDRESS}", socket_timeout=2).ping())
    except redis.RedisError:
        return False


def create_database(name: str) -> bool:
    with psycopg.connect(PG, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return True


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "postgres":
        ok = postgres_up()
    elif command == "redis":
        ok = redis_up()
    else:
        ok = create_database(sys.argv[2])
    sys.exit(0 if ok else 1)
