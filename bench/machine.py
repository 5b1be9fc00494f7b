"""CPU accounting for the bench (bench/sync.py): who used the cores, and whether others did."""

import os
import resource
import time

QUIET_CORES = 0.3  # other work above this would share the cores with the server


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
