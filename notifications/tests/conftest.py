"""A real SMTP server (aiosmtpd) started by the test, and Celery workers that send to it."""

import email
import os
import signal
import socket
import subprocess
import sys
import threading
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings

from breathmaster.celery import app
from breathmaster.testing.worker import ROOT, _database_url, _wait_until_ready


class Inbox:
    """What the SMTP server accepted; `hold_next` makes RCPT wait (a send caught mid-way),
    after `hold_after` more recipients pass, and `refusals` answers DATA with a temporary
    failure a number of times."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.hold_next = threading.Event()
        self.hold_after = 0
        self.holding = threading.Event()
        self.release = threading.Event()
        self.refusals: dict[str, int] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_next.is_set() and self.hold_after > 0:
            self.hold_after -= 1
        elif self.hold_next.is_set():
            self.hold_next.clear()
            self.holding.set()
            while not self.release.is_set():
                await __import__("asyncio").sleep(0.05)
            return "451 4.3.0 held by the test"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        recipient = envelope.rcpt_tos[0]
        with self.lock:
            if self.refusals.get(recipient, 0) > 0:
                self.refusals[recipient] -= 1
                return "451 4.3.0 Please try again later"
            message = email.message_from_bytes(envelope.content, policy=default_policy)
            self.messages.append(message)
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        inbox.release.set()
        controller.stop()


def worker_env(smtp: Inbox, site_url: str) -> dict[str, str]:
    return {
        "EMAIL_ENABLED": "true",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "SITE_URL": site_url,
        "NOTIFICATIONS_RETRY_BASE_SECONDS": "1",
    }


def start_worker(tmp_path, name: str) -> subprocess.Popen:
    """Another worker on this run's queue (the `celery_worker` fixture starts the first)."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_DEFAULT_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CACHE_URL": settings.CACHES["default"]["LOCATION"],
        "CACHE_KEY_PREFIX": settings.CACHES["default"].get("KEY_PREFIX", ""),
    }
    command = [
        sys.executable, "-m", "celery", "-A", "breathmaster", "worker", "--pool=solo",
        "--concurrency=1", "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-heartbeat",
        "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{name}@%h",
    ]  # fmt: skip
    log = tmp_path / f"{name}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    _wait_until_ready(process, log)
    return process


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def mail_worker(request, smtp_server, live_server, monkeypatch, settings):
    """A real worker sending through the test's SMTP server, its links pointing at the live
    server; this process writes the same links."""
    for name, value in worker_env(smtp_server, live_server.url).items():
        monkeypatch.setenv(name, value)
    settings.SITE_URL = live_server.url
    worker = request.getfixturevalue("celery_worker")
    app.conf.task_always_eager = False
    return worker
