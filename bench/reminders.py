"""Benchmark of reminder planning and sending, on this machine, in one run.

1. Makes its own PostgreSQL database (`bench_reminders`) and uses its own Redis database (3)
   and Celery queue; migrates; seeds `--users` people (default 1,000,000) in bulk with SQL,
   spread over 24 timezones and every quarter hour of the day, email reminders on.
2. Brings everyone to the state of a pass that ran at T0 (today's due users planned), then
   times ONE planning pass at T1 = T0 + 1 hour: the project's own `reminders_plan_and_queue`
   (one statement claims the hour's due users and inserts their rows; sends queued to Redis).
3. Beside it, on a copy of the same data in the same state: the floor, one conditional
   `UPDATE ... RETURNING` claiming the hour's due users, their ids pushed to Redis.
4. Sends `--send` reminders (default 2,000) through a real Celery worker (prefork,
   `--concurrency` processes, default 2: one per core here) to a local aiosmtpd server
   and prints mails per second, with the CPU each mail cost: the worker's processes, the
   PostgreSQL backends serving them, and the aiosmtpd server's thread, read from /proc,
   so the figure means something on a machine others share.
Targets (issue 12): plan <= 5x the floor; send >= 200 mails/s; seeding in minutes.
The last line reads `reminders: plan <s> s, floor <s> s, ratio <x>, send <n> mails/s`.
"""

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "bench_reminders"
REDIS_DB = 3
QUEUE = "bench-reminders"
ZONES = [
    "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver",
    "America/Chicago", "America/New_York", "America/Sao_Paulo", "Atlantic/Azores", "UTC",
    "Europe/London", "Europe/Berlin", "Europe/Helsinki", "Europe/Moscow", "Asia/Dubai",
    "Asia/Karachi", "Asia/Kolkata", "Asia/Kathmandu", "Asia/Dhaka", "Asia/Bangkok",
    "Asia/Shanghai", "Asia/Tokyo", "Australia/Adelaide", "Australia/Sydney", "Pacific/Auckland",
]  # fmt: skip


class Mailbox:
    """aiosmtpd handler that only counts what it accepts."""

    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def step(label: str, started: float) -> None:
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)


def make_database() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {DATABASE}")


def configure(smtp_port: int) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="breathmaster.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        CACHE_KEY_PREFIX="bench-reminders",
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        EMAIL_ENABLED="true",
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        LOG_LEVEL="WARNING",
    )
    os.environ.setdefault("DJANGO_DEBUG", "false")  # as production runs (no query log)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def user_columns() -> str:
    """An expression per accounts_user column for row `i` (unique ones derived from i)."""
    from django.db import connection

    special = {
        "id": "md5('bench' || i)::uuid",
        "email": "'u' || i || '@bench.test'",
        "password": "'!'",
        "timezone": "z.name",
        "friend_code": "lpad(to_hex(i), 10, '0')",
        "data_retention_days": "365",
        "leaderboard_global": "'hidden'",
        "is_active": "true",
        "date_joined": "now()",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_name = 'accounts_user' ORDER BY ordinal_position"
        )
        columns = cursor.fetchall()
    by_type = {"boolean": "false", "integer": "0", "smallint": "0", "bigint": "0"}
    names, values = [], []
    for name, data_type, nullable in columns:
        names.append(name)
        if name in special:
            values.append(special[name])
        elif nullable == "YES":
            values.append("NULL")
        else:
            values.append(by_type.get(data_type, "''"))
    return ", ".join(names), ", ".join(values)


def seed(users: int) -> None:
    from django.db import connection

    names, values = user_columns()
    zones = ", ".join(f"({n}, '{zone}')" for n, zone in enumerate(ZONES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE zones (n int, name text); INSERT INTO zones VALUES {zones}"
        )
        cursor.execute(
            f"INSERT INTO accounts_user ({names}) SELECT {values} "
            f"FROM generate_series(1, %s) AS i JOIN zones z ON z.n = i %% {len(ZONES)}",
            [users],
        )
        # Every quarter hour of the day, spread evenly; email on, daily.
        cursor.execute(
            """
            INSERT INTO notifications_notificationpreference
                (user_id, email_enabled, frequency, time_of_day, timezone, streak_reminder,
                 challenge_deadline, weekly_progress, friend_activity, level_up_celebration,
                 in_app_celebrate_achievements, in_app_show_daily_progress,
                 in_app_highlight_new_features, in_app_friend_activity, updated_at)
            SELECT id, true, 'daily', make_time(q / 4, q % 4 * 15, 0),
                   timezone, true, true, true, false, true, true, true, false, true, now()
            FROM (SELECT id, timezone, ((row_number() OVER () * 7) % 96)::int AS q
                  FROM accounts_user) AS u
            """
        )


def bring_to(at: datetime) -> None:
    """The state a pass at `at` leaves: everyone due today already planned (marked only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE notifications_notificationpreference SET last_planned_on = CASE
                WHEN (%(at)s::timestamptz AT TIME ZONE timezone)::time >= time_of_day
                THEN (%(at)s::timestamptz AT TIME ZONE timezone)::date
                ELSE (%(at)s::timestamptz AT TIME ZONE timezone)::date - 1 END
            """,
            {"at": at},
        )
        cursor.execute(
            "CREATE TABLE bench_floor AS SELECT user_id, timezone, time_of_day, last_planned_on "
            "FROM notifications_notificationpreference"
        )
        cursor.execute("ALTER TABLE bench_floor ADD PRIMARY KEY (user_id)")
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE notifications_notificationpreference")
        cursor.execute("VACUUM ANALYZE bench_floor")


FLOOR_SQL = """
    UPDATE bench_floor SET last_planned_on = (%(at)s::timestamptz AT TIME ZONE timezone)::date
    WHERE (%(at)s::timestamptz AT TIME ZONE timezone)::time >= time_of_day
      AND last_planned_on < (%(at)s::timestamptz AT TIME ZONE timezone)::date
    RETURNING user_id
"""


def floor_pass(at: datetime) -> tuple[float, int]:
    import redis
    from django.db import connection, transaction

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete("bench-floor")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, {"at": at})
        ids = [str(row[0]) for row in cursor.fetchall()]
    pipe = client.pipeline(transaction=False)
    for start in range(0, len(ids), 1000):
        pipe.rpush("bench-floor", *ids[start : start + 1000])
    pipe.execute()
    elapsed = time.perf_counter() - started
    client.delete("bench-floor")
    return elapsed, len(ids)


def plan_pass(at: datetime) -> tuple[float, int]:
    from django.db import transaction

    from notifications.tasks import reminders_plan_and_queue

    started = time.perf_counter()
    with transaction.atomic():
        planned, _ = reminders_plan_and_queue(at=at)
    return time.perf_counter() - started, planned


def purge_queue() -> None:
    from breathmaster.celery import app

    app.control.purge()


def send_rows(count: int) -> list[int]:
    """`count` people with verified addresses, each with a planned reminder on a Monday (the
    weekly summary is always due then, so every row becomes an email)."""
    from django.db import connection

    monday = datetime(2026, 1, 5).date()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH chosen AS (SELECT id, email FROM accounts_user ORDER BY id LIMIT %(n)s),
            addresses AS (
                INSERT INTO account_emailaddress (user_id, email, verified, "primary")
                SELECT id, email, true, true FROM chosen
            )
            INSERT INTO notifications_reminder
                (user_id, local_date, event_key, kind, status, payload, attempts, last_error,
                 created_at)
            SELECT id, %(day)s, '', '', 'planned', '{}', 0, '', now() FROM chosen
            RETURNING id
            """,
            {"n": count, "day": monday},
        )
        return [row[0] for row in cursor.fetchall()]


def start_worker(log: Path, concurrency: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "breathmaster", "worker", "--pool=prefork",
        f"--concurrency={concurrency}", "-Q", QUEUE, "--without-heartbeat", "--without-gossip",
        "--without-mingle", "--loglevel=INFO", "-n", "bench-reminders@%h",
    ]  # fmt: skip
    output = log.open("w")
    process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and " ready." not in log.read_text():
        if process.poll() is not None:
            raise SystemExit("The worker did not start:\n" + log.read_text()[-3000:])
        time.sleep(0.2)
    return process


def cpu_seconds(stat: str) -> float:
    """User + system CPU so far of the process or thread whose /proc stat file this is."""
    try:
        fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_processes(worker: subprocess.Popen) -> list[str]:
    """The stat files of the worker and its pool processes."""
    stats = [f"/proc/{worker.pid}/stat"]
    for entry in Path("/proc").iterdir():
        try:
            parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
        if entry.name.isdigit() and parent == str(worker.pid):
            stats.append(f"/proc/{entry.name}/stat")
    return stats


class DatabaseCpu(threading.Thread):
    """CPU of the PostgreSQL backends serving the bench database. The worker closes its
    connection after each task, so backends come and go: each is read every 20 ms while it
    lives and counted at its last reading (a few ms of each connection's end are missed)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as db:
            while not self.done.is_set():
                rows = db.execute(
                    "SELECT pid FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend'",
                    [DATABASE],
                ).fetchall()
                for (pid,) in rows:
                    used = cpu_seconds(f"/proc/{pid}/stat")
                    self.first.setdefault(pid, used)
                    self.last[pid] = max(used, self.last.get(pid, 0.0))
                time.sleep(0.02)

    def stop(self) -> float:
        """Seconds of CPU used since each backend was first seen (new ones count from 0)."""
        self.done.set()
        self.join()
        return sum(self.last.values()) - sum(self.first.values())


def send_rate(count: int, mailbox: Mailbox, smtp_thread: str, log: Path, concurrency: int):
    """Mails a second through the worker; prints the CPU each mail cost, process by process.
    The worker's processes are warmed by a first few single-mail tasks, not counted."""
    from django.db import connection

    from notifications.tasks import send_reminders

    warmup = 2 * concurrency
    ids = send_rows(count + warmup)
    connection.close()
    worker = start_worker(log, concurrency)
    database = DatabaseCpu()
    try:
        for reminder_id in ids[:warmup]:
            send_reminders.delay([reminder_id])
        while mailbox.count < warmup:
            time.sleep(0.05)
        ids, mailbox.count = ids[warmup:], 0
        processes = worker_processes(worker)
        database.start()
        before = [cpu_seconds(stat) for stat in [*processes, smtp_thread]]
        started = time.perf_counter()
        for start in range(0, len(ids), 100):
            send_reminders.delay(ids[start : start + 100])
        deadline = time.monotonic() + 600
        while mailbox.count < count and time.monotonic() < deadline:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        after = [cpu_seconds(stat) for stat in [*processes, smtp_thread]]
    finally:
        database_cpu = database.stop()
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    if mailbox.count < count:
        print(f"  only {mailbox.count} of {count} mails arrived; see {log}")
    sent = max(mailbox.count, 1)
    used = [b - a for a, b in zip(before, after, strict=True)]
    print(
        f"  send: {mailbox.count:,} mails in {elapsed:.2f} s; CPU per mail: worker "
        f"{1000 * sum(used[:-1]) / sent:.2f} ms, PostgreSQL {1000 * database_cpu / sent:.2f} ms, "
        f"aiosmtpd {1000 * used[-1] / sent:.2f} ms"
    )
    return mailbox.count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--send", type=int, default=2_000, help="mails for the send rate")
    parser.add_argument(
        "--concurrency", type=int, default=2, help="worker processes (default: one per core)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    make_database()
    configure(smtp.port)
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    step("migrate", started)
    started = time.perf_counter()
    seed(args.users)
    step(f"seed {args.users:,} users with preferences", started)
    t0 = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=6)
    t1 = t0 + timedelta(hours=1)
    started = time.perf_counter()
    bring_to(t0)
    step("state of a pass an hour earlier, floor copy", started)

    floor, floor_claimed = floor_pass(t1)
    plan, planned = plan_pass(t1)
    purge_queue()
    print(f"  floor claimed {floor_claimed:,} users in {floor:.3f} s")
    print(f"  plan claimed {planned:,} reminders in {plan:.3f} s")
    if planned != floor_claimed:
        print("  warning: the plan and the floor claimed different numbers of users")

    log = ROOT / "var" / "bench-reminders.log"
    smtp_thread = f"/proc/self/task/{smtp._thread.native_id}/stat"
    rate = send_rate(min(args.send, args.users), mailbox, smtp_thread, log, args.concurrency)
    smtp.stop()
    if not args.keep:
        from django.db import connections

        connections.close_all()
        make_database_drop()
    ok = plan <= 5 * floor and rate >= 200
    print(f"  targets: plan <= 5x floor, send >= 200 mails/s: {'met' if ok else 'missed'}")
    print(f"reminders: plan {plan:.3f} s, floor {floor:.3f} s, ratio {plan / floor:.2f}, "
          f"send {rate:.0f} mails/s")  # fmt: skip


def make_database_drop() -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
