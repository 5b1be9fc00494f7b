"""The bench's load generator: simulated devices and a lean HTTP/1.1 client (bench/sync.py).

The client is asyncio on raw sockets, one request in flight per connection, so the load
generator is not what limits the numbers it reports.
"""

import asyncio
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

HOST = "127.0.0.1"
SYNC_PATH = "/api/v1/sync"
REQUEST_TIMEOUT = 10.0  # seconds; a request slower than this counts as an error


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
