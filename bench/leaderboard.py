"""Benchmark of "top 50 plus my rank" on every leaderboard, beside a bare Redis floor.

What it does, on loopback only, in its own PostgreSQL database (`bench_leaderboard`) and its own
Redis database number (9), so it touches nobody else's data:
1. migrates the database and seeds `--users` users (default 1,000,000) with a week of days in
   bulk: users by COPY, their days by one INSERT ... SELECT over unnest/generate_series (no
   request per user), plus friends for the viewers and a company of verified work emails;
2. rebuilds the four windows' boards from the database (what `leaderboard_rebuild` does);
3. measures, in the same run:
   - the floor: a bare Redis sorted set of N members answering ZREVRANGE 0 49 + ZREVRANK;
   - the selector `leaderboard_page` alone, for each scope and window;
   - the same through HTTP (gunicorn, production settings, a real bearer token);
   - what one sync adds to the upload for the boards: the `days_changed` receiver, which on
     commit adds the user to the Redis set `board_refresh_later` drains (one pipelined round
     trip), and, once per burst, when the drain marker is free, publishes the drain task once
     the answer is sent; both cases are measured as requests (and that publish apart), and, for
     scale, the refresh itself as the worker runs it;
4. prints p50/p99 of each (wall clock, and the CPU this process spent, which a busy machine
   disturbs less; for HTTP the CPU gunicorn and PostgreSQL spent per request), the machine's
   load, and, last, the summary line.

Run: `.venv/bin/python bench/leaderboard.py --users 20000` (the full run takes minutes).
"""

import argparse
import io
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DATABASE = "bench_leaderboard"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/9"
SCOPES = ("global", "friends", "company")
PERIODS = ("day", "week", "month", "all")
FRIENDS = 150
COMPANY = 5_000
VIEWERS = 20

ENV = {
    "DJANGO_SETTINGS_MODULE": "breathmaster.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "bench",
    "CELERY_BROKER_URL": REDIS_URL,
    "STRIPE_ENABLED": "false",
    "EMAIL_ENABLED": "false",
    "LOG_LEVEL": "WARNING",
}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def ms(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5):.3f} ms, p99 {percentile(values, 0.99):.3f} ms"


def database_create() -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            db.execute(f'CREATE DATABASE "{DATABASE}"')


def django_setup() -> None:
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seeded_users() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM accounts_user WHERE email LIKE '%%@bench.example'")
        return cursor.fetchone()[0]


def seed(users: int) -> None:
    """Users by COPY; days, friends and the company by set-based statements."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE accounts_user CASCADE")
    raw = connection.connection
    visibility = ("anonymous", "anonymous", "anonymous", "named", "hidden")
    with (
        raw.cursor() as cursor,
        cursor.copy(
            "COPY accounts_user (id, password, email, display_name, avatar_url, timezone, "
            "friend_code, share_progress, share_streaks, allow_friend_requests, "
            "data_retention_days, leaderboard_global, leaderboard_friends, leaderboard_company, "
            "sync_enabled_at, is_staff, is_active, is_superuser, date_joined) FROM STDIN"
        ) as copy,
    ):
        buffer = io.StringIO()
        for n in range(users):
            company = n < COMPANY
            email = f"u{n}@{'corp' if company else 'bench'}.example"
            buffer.write(
                f"{_uuid(n)}\t!\t{email}\tBreather {n}\t\tUTC\t{n:010x}\t"
                f"t\t{'t' if n % 3 else 'f'}\tf\t365\t{visibility[n % 5]}\tt\t"
                f"{'t' if company else 'f'}\t2026-01-01 00:00+00\tf\tt\tf\t2026-01-01 00:00+00\n"
            )
            if n % 50_000 == 49_999:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())
    raw.commit()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO progression_deviceday (user_id, device_id, date, xp, sessions, minutes)
            SELECT u.id, NULL, d::date, (abs(hashtext(u.id::text || d::text)) % 300),
                   1 + (abs(hashtext(d::text || u.id::text)) % 4),
                   5 + (abs(hashtext(u.id::text)) % 40)
            FROM accounts_user u, unnest(ARRAY(
                SELECT generate_series(CURRENT_DATE - 6, CURRENT_DATE, interval '1 day'))) AS d
            """
        )
        cursor.execute(
            """
            INSERT INTO account_emailaddress (user_id, email, verified, "primary")
            SELECT id, email, true, true FROM accounts_user WHERE email LIKE '%%@corp.example'
            """
        )
        cursor.execute("ANALYZE")
    friends_seed()
    print(f"  seeded {users:,} users with a week of days in {time.perf_counter() - started:.1f} s")


def friends_seed() -> None:
    """Each viewer (the first VIEWERS company users) has the same FRIENDS friends."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM social_friendship")
        if cursor.fetchone()[0]:
            return
        cursor.execute(
            """
            WITH pairs AS (
                SELECT v.id AS a, f.id AS b FROM
                    (SELECT id FROM accounts_user WHERE email LIKE '%%@corp.example'
                     ORDER BY email LIMIT %s) v,
                    (SELECT id FROM accounts_user WHERE email LIKE '%%@bench.example'
                     ORDER BY email LIMIT %s) f)
            INSERT INTO social_friendship (user_id, friend_id, created_at)
            SELECT a, b, now() FROM pairs UNION SELECT b, a, now() FROM pairs
            ON CONFLICT DO NOTHING
            """,
            [VIEWERS, FRIENDS],
        )


def _uuid(n: int) -> str:
    text = f"{n:032x}"
    return f"{text[:8]}-{text[8:12]}-4{text[13:16]}-8{text[17:20]}-{text[20:]}"


def viewers() -> list:
    from accounts.models import User

    return list(User.objects.filter(email__endswith="@corp.example").order_by("email")[:VIEWERS])


def rebuild() -> None:
    from social import services
    from social.leaderboards.windows import current_windows

    for window in current_windows():
        started = time.perf_counter()
        count = services.rebuild_window(window=window)
        print(f"  rebuilt {window.key}: {count:,} ranked in {time.perf_counter() - started:.1f} s")


def floor(users: int, samples: int) -> list[float]:
    """A bare sorted set of N members: ZREVRANGE 0 49 + ZREVRANK, one round trip."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    key = "bench:floor"
    client.delete(key)
    for start in range(0, users, 20_000):
        chunk = range(start, min(users, start + 20_000))
        client.zadd(key, {f"m{n}": (n * 7919) % 100_003 for n in chunk})
    timings = []
    for n in range(samples):
        started = time.perf_counter()
        pipe = client.pipeline(transaction=False)
        pipe.zrevrange(key, 0, 49, withscores=True)
        pipe.zrevrank(key, f"m{(n * 104_729) % users}")
        pipe.execute()
        timings.append((time.perf_counter() - started) * 1000)
    client.delete(key)
    return timings


def selector(people: list, samples: int) -> tuple[dict, dict]:
    """Wall-clock and CPU milliseconds of `leaderboard_page`, per scope and period."""
    from social import selectors

    timings, cpu = {}, {}
    for scope in SCOPES:
        for period in PERIODS:
            found, spent = [], []
            for n in range(samples + 20):
                viewer = people[n % len(people)]
                started, cpu_started = time.perf_counter(), time.process_time()
                page = selectors.leaderboard_page(scope=scope, period=period, viewer=viewer)
                elapsed = (time.perf_counter() - started) * 1000
                if n >= 20:  # warm-up: pseudonyms given on first appearance, caches filled
                    found.append(elapsed)
                    spent.append((time.process_time() - cpu_started) * 1000)
            assert page.me is not None and page.entries, (scope, period)
            timings[(scope, period)] = found
            cpu[(scope, period)] = spent
    return timings, cpu


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min) on {os.cpu_count()} cores"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def http(people: list, samples: int) -> tuple[list[float], dict[str, float]]:
    """The global board through gunicorn with production settings and real device tokens;
    answers the timings and the CPU milliseconds gunicorn and PostgreSQL spent per request."""
    import http.client

    from machine import cpu_seconds

    from accounts.services import device_create

    tokens = [device_create(user=user, name="Bench", platform="linux")[1] for user in people]
    port = free_port()
    env = {
        **os.environ,
        **ENV,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "breathmaster.wsgi", "--bind", f"{HOST}:{port}",
         "--workers", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        _wait_up(port)
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        timings = []
        for n in range(samples + 50):
            if n == 50:
                before = cpu_seconds(os.getpgid(server.pid), DATABASE)
            period = PERIODS[n % len(PERIODS)]
            headers = {"Authorization": f"Bearer {tokens[n % len(tokens)]}"}
            started = time.perf_counter()
            connection.request("GET", f"/api/v1/leaderboards/global?period={period}", None, headers)
            answer = connection.getresponse()
            answer.read()
            elapsed = (time.perf_counter() - started) * 1000
            assert answer.status == 200, answer.status
            if n >= 50:
                timings.append(elapsed)
        after = cpu_seconds(os.getpgid(server.pid), DATABASE)
        per_request = {
            part: (after[part] - before[part]) * 1000 / samples for part in ("gunicorn", "postgres")
        }
        return timings, per_request
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


def _wait_up(port: int) -> None:
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def sync_cost(people: list, samples: int) -> dict[str, list[float]]:
    """What one sync's board updates add to the upload, and what the worker then does.

    `queued`: the `days_changed` receiver as an upload runs it (on commit: SADD the user and SET
    NX the drain marker, one pipelined round trip), the marker already held by a queued drain,
    as for every upload of a burst but its first. `first`: the marker free (the drain ran), so
    the upload also publishes the drain task, after its answer is sent (`first_after`: that
    publish, when the server closes the answer). `*_cpu`: the same, CPU of this process. Each
    runs as a request does, between Django's request_started and request_finished.
    """
    from django.core.signals import request_finished, request_started
    from django.db import transaction

    from social import receivers, services
    from social.leaderboards import store
    from social.leaderboards.windows import utc_today

    client = store.board_redis()
    found: dict[str, list[float]] = {
        name: []
        for name in ("queued", "queued_cpu", "first", "first_cpu", "first_after", "refreshed")
    }

    def upload(user, name: str) -> None:
        request_started.send(sender=None)
        started, cpu_started = time.perf_counter(), time.process_time()
        with transaction.atomic():
            receivers.on_days_changed(None, user_id=user.pk, dates=[utc_today()])
        answered = time.perf_counter()
        found[name].append((answered - started) * 1000)
        found[f"{name}_cpu"].append((time.process_time() - cpu_started) * 1000)
        request_finished.send(sender=None)  # the server closed the answer: after-response work
        if name == "first":
            found["first_after"].append((time.perf_counter() - answered) * 1000)

    with transaction.atomic():  # warm-up: the first publish opens the broker connection
        receivers.on_days_changed(None, user_id=people[0].pk, dates=[utc_today()])
    for n in range(samples):
        user = people[n % len(people)]
        upload(user, "queued")
        client.delete(store.pending_drain_key())  # the drain ran: the next upload publishes
        upload(user, "first")
        started = time.perf_counter()
        services.board_users_refresh(user_ids=[user.pk])
        found["refreshed"].append((time.perf_counter() - started) * 1000)
    # No worker runs here: drop the drains published and the users waiting for them.
    client.delete(store.pending_key())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()

    print(f"leaderboard bench: {args.users:,} users, database {DATABASE}, Redis {REDIS_URL}")
    database_create()
    django_setup()
    from celery import current_app

    from social.leaderboards import store

    if seeded_users() + COMPANY != args.users:
        seed(args.users)
    friends_seed()
    # Redis DB 9 is the bench's own; ASYNC: a million members take seconds to free.
    store.board_redis().flushdb(asynchronous=True)
    rebuild()
    people = viewers()

    print(f"  machine load before measuring: {load()}")
    floor_ms = floor(args.users, args.samples)
    print(f"  floor (bare ZSET, {args.users:,} members): {ms(floor_ms)}")
    timings, cpu = selector(people, max(100, args.samples // 4))
    for (scope, period), found in timings.items():
        print(f"  selector {scope:8} {period:5}: {ms(found)}; CPU {ms(cpu[(scope, period)])}")
    current_app.conf.task_always_eager = False
    sync = sync_cost(people, max(100, args.samples // 4))
    print(
        f"  one sync, added to the upload (SADD to the refresh set on commit, drain already "
        f"queued): {ms(sync['queued'])}; CPU {ms(sync['queued_cpu'])}"
    )
    print(
        f"  one sync, first of a burst (the drain task is published after the answer): "
        f"{ms(sync['first'])}; CPU {ms(sync['first_cpu'])}; "
        f"the publish, after the answer: {ms(sync['first_after'])}"
    )
    print(f"  one sync, the refresh in the worker (not on the upload): {ms(sync['refreshed'])}")
    http_ms, http_cpu = http(people, args.samples)
    print(
        f"  http GET /leaderboards/global (gunicorn, production settings): {ms(http_ms)}; "
        f"CPU per request: gunicorn {http_cpu['gunicorn']:.2f} ms, "
        f"postgres {http_cpu['postgres']:.2f} ms"
    )
    print(f"  machine load after measuring: {load()}")

    selector_p99 = percentile(
        [t for (s, _p), f in timings.items() if s == "global" for t in f], 0.99
    )
    floor_p99 = percentile(floor_ms, 0.99)
    print(
        f"leaderboard: selector p99 {selector_p99:.2f} ms, floor p99 {floor_p99:.2f} ms, "
        f"ratio {selector_p99 / floor_p99:.1f}, http p99 {percentile(http_ms, 0.99):.2f} ms"
    )


if __name__ == "__main__":
    main()
