"""Benchmark of the web dashboard (`GET /dashboard/`) beside the state selector alone.

What it does, on this machine, in one run:
1. creates a throwaway PostgreSQL database (`test_bm_bench_dashboard`) and migrates it;
2. gives one user a year of practice: 365 days on each of three devices (synced through
   progression's own service), a few achievements and a premium plan's analytics when the
   plan allows it (so every section of the page is drawn);
3. renders the dashboard through Django's test client, signed in (middleware, session, view,
   selectors, templates: everything but the socket), after a warm-up, and counts its queries;
4. times `sync_state_for(user=...)` alone in the same run, so the page reads as a ratio of the
   state it is built on and nobody has to trust a clock;
5. times, in the same rounds, a signed-in page that draws nothing of its own (`base.html` with an
   empty content block, bench/floor_urls.py): what any signed-in page costs before its content;
   then, in a pass of its own, each of the page's statements at the cursor;
6. prints them against the targets and drops the database.

Targets (issue 13): page p50 < 50 ms, at most 10 queries, page p50 no more than 3x the selector's.
Exit status: 0 when all are met, 1 when one is missed. Run it with
`.venv/bin/python bench/dashboard.py` (`--rounds N` for more samples).
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "breathmaster.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bm_bench_dashboard")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("DJANGO_DEBUG", "false")  # templates as production renders them

P50_TARGET_MS = 50.0
QUERY_TARGET = 10
RATIO_TARGET = 3.0
DAYS = 365
DEVICES = 3


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def make_practitioner():
    """A user with `DAYS` days on each of `DEVICES` devices, as the extension would sync them."""
    from accounts.models import User
    from accounts.services import device_create
    from progression import services
    from progression.selectors import user_today

    user = User.objects.create_user(
        email="bench@example.com", password="bench-pass-42", display_name="Bench"
    )
    today = user_today(user=user)
    for index in range(DEVICES):
        device, _token = device_create(user=user, name=f"Machine {index + 1}")
        days = tuple(
            services.DayCounters(today - timedelta(days=offset), 40 + index, 2, 6 + offset % 20)
            for offset in range(DAYS)
            if (offset + index) % 6  # a rest day now and then, different on each machine
        )
        services.sync_apply(
            device=device,
            payload=services.SyncPayload(
                days=days,
                unlocks=(("achievement", "first-streak"), ("achievement", "week-warrior")),
            ),
        )
    return user


def timed(call) -> tuple[float, float]:
    """(wall ms, this process's CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def attribute_parts() -> dict[str, list[tuple[float, float]]]:
    """Time what the dashboard asks of other apps (billing's plan and offer, social's sections)
    and its template (with base.html and the bell), by wrapping the names it calls, so the
    report can say whose milliseconds are whose."""
    from progression import dashboard_sections, views
    from progression.selectors import dashboard

    spent: dict[str, list[tuple[float, float]]] = {
        "billing plan": [],
        "billing offer": [],
        "social": [],
        "template": [],
    }

    def wrap(function, bucket):
        def timed_call(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[bucket].append(
                    ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000)
                )

        return timed_call

    dashboard.entitlements_for = wrap(dashboard.entitlements_for, "billing plan")
    dashboard.offer_shown = wrap(dashboard.offer_shown, "billing offer")
    for key, provider in list(dashboard_sections._providers.items()):
        dashboard_sections._providers[key] = wrap(provider, "social")
    views.render = wrap(views.render, "template")
    return spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client, RequestFactory

    from progression.selectors import sync_state_for
    from progression.views import dashboard

    # Not setup_test_environment(): its instrumented template rendering would be measured too.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.ROOT_URLCONF = "floor_urls"  # the site's URLs and the empty page (bench/floor_urls.py)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        user = make_practitioner()
        client = Client()
        client.force_login(user)
        factory = RequestFactory()

        def page():  # the whole request: middleware, session, sign-in, view, template
            answer = client.get("/dashboard/")
            assert answer.status_code == 200, answer.status_code

        def view():  # the view alone, for a request already signed in
            request = factory.get("/dashboard/")
            request.user = user
            assert dashboard(request).status_code == 200

        def floor():  # a signed-in page that draws nothing of its own
            answer = client.get("/bench/floor/")
            assert answer.status_code == 200, answer.status_code

        measures = {
            "page": page,
            "view": view,
            "selector": lambda: sync_state_for(user=user),
            "floor": floor,
        }
        spent = attribute_parts()
        for call in measures.values():
            for _ in range(args.warmup):
                call()
        queries = []  # every statement the page sends, counted at the cursor (a request resets
        # connection.queries as it starts, so Django's own capture would see none)

        def count(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            floor()
        floor_queries, queries = set(queries), []
        with connection.execute_wrapper(count):
            page()
        size = len(client.get("/dashboard/").content)
        samples = {name: [] for name in measures}
        for bucket in spent.values():
            bucket.clear()
        for _ in range(args.rounds):  # interleaved: all four see the machine at the same moments
            for name, call in measures.items():
                samples[name].append(timed(call))
        # Then, apart from the rounds above (timing them adds its own cost), each statement's
        # wall time at the cursor: what the page waits for before drawing anything.
        statement_ms = [[] for _ in queries]
        waits = []  # one page's statements, in the order it sends them

        def clock(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                waits.append((time.perf_counter() - started) * 1000)

        for _ in range(max(args.rounds // 3, 1)):
            waits.clear()
            with connection.execute_wrapper(clock):
                page()
            for bucket, wait in zip(statement_ms, waits, strict=True):
                bucket.append(wait)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def figures(name: str) -> tuple[float, float, float]:
        walls = [wall for wall, _cpu in samples[name]]
        cpus = [cpu for _wall, cpu in samples[name]]
        return percentile(walls, 0.5), percentile(walls, 0.99), percentile(cpus, 0.5)

    p50, p99, cpu50 = figures("page")
    v50, v99, vcpu50 = figures("view")
    s50, s99, scpu50 = figures("selector")
    print(
        f"user: {DAYS} days on {DEVICES} devices; {args.rounds} rounds after {args.warmup} warm-up"
    )
    print(f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"page:     p50 {p50:.1f} ms, p99 {p99:.1f} ms, CPU p50 {cpu50:.1f} ms, {size // 1024} KiB"
    )
    print(f"view:     p50 {v50:.1f} ms, p99 {v99:.1f} ms, CPU p50 {vcpu50:.1f} ms (no middleware)")
    print(f"selector: p50 {s50:.1f} ms, p99 {s99:.1f} ms, CPU p50 {scpu50:.1f} ms (sync_state_for)")
    f50, _f99, fcpu50 = figures("floor")
    print(
        f"floor:    p50 {f50:.1f} ms, CPU p50 {fcpu50:.1f} ms (a signed-in page that draws "
        f"nothing: base.html), {f50 / s50:.1f}x the selector"
    )
    calls = 2 * args.rounds  # page and view each ask once per round
    shares = ", ".join(
        f"{name} {sum(wall for wall, _cpu in ms) / calls:.1f} ms "
        f"(CPU {sum(cpu for _wall, cpu in ms) / calls:.1f})"
        for name, ms in spent.items()
    )
    print(f"inside each dashboard, on average: {shares}")
    statements_p50 = [percentile(bucket, 0.5) for bucket in statement_ms]
    for number, (sql, wall) in enumerate(zip(queries, statements_p50, strict=True), 1):
        print(f"  query {number}: {wall:.2f} ms  {' '.join(sql.split())[:100]}")
    own = sum(
        wall for sql, wall in zip(queries, statements_p50, strict=True) if sql not in floor_queries
    )
    print(
        f"the page's statements, p50 of each at the cursor: {sum(statements_p50):.1f} ms in all, "
        f"{sum(statements_p50) / s50:.1f}x the selector; the floor and the dashboard's own "
        f"statements (those the floor does not send), one after another: {f50 + own:.1f} ms, "
        f"{(f50 + own) / s50:.1f}x the selector, before the dashboard draws anything"
    )
    ratio = p50 / s50
    checks = [
        (f"p50 {p50:.1f} ms < {P50_TARGET_MS:.0f} ms", p50 < P50_TARGET_MS),
        (f"queries {len(queries)} <= {QUERY_TARGET}", len(queries) <= QUERY_TARGET),
        (f"page/selector {ratio:.1f}x <= {RATIO_TARGET:.0f}x", ratio <= RATIO_TARGET),
    ]
    for text, met in checks:
        print(f"target {'met' if met else 'MISSED'}: {text}")
    print(
        f"dashboard: p50 {p50:.1f} ms, p99 {p99:.1f} ms, queries {len(queries)}, "
        f"selector p50 {s50:.1f} ms"
    )
    return 0 if all(met for _text, met in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
