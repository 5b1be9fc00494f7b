"""Stripe for the billing tests: localstripe in its own process on 127.0.0.1, our double in front.

`stripe_on` switches billing on with test keys and points the real SDK at the double's port;
nothing ever leaves the machine, and no live key exists anywhere in the tests.
"""

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from billing.testing.stripe_double import LIFETIME_PRICE, PREMIUM_PRICE, StripeDouble

ROOT = Path(__file__).resolve().parents[2]
TEST_SECRET_KEY = "sk_test_breathmaster"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"localstripe stopped: {log.read_text()[-2000:]}")
        try:
            requests.get(f"{url}/v1/customers", auth=(TEST_SECRET_KEY, ""), timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError("localstripe did not answer within 20 s")


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """localstripe on a free loopback port, its state in this run's own temporary file."""
    folder = tmp_path_factory.mktemp("localstripe")
    port = _free_port()
    log = folder / "localstripe.log"
    command = [
        sys.executable, "-m", "billing.testing.localstripe_server",
        "--port", str(port), "--state", str(folder / "state.pickle"),
    ]  # fmt: skip
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def stripe_double(localstripe):
    double = StripeDouble(localstripe_url=localstripe, secret_key=TEST_SECRET_KEY).start()
    yield double
    double.stop()


@pytest.fixture
def stripe_on(stripe_double, settings, monkeypatch):
    """Billing switched on against the double (also for a worker process started after this)."""
    values = {
        "STRIPE_ENABLED": True,
        "STRIPE_SECRET_KEY": TEST_SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": stripe_double.webhook_secret,
        "STRIPE_API_BASE": stripe_double.url,
        "STRIPE_PRICE_PREMIUM": PREMIUM_PRICE,
        "STRIPE_PRICE_LIFETIME": LIFETIME_PRICE,
    }
    for name, value in values.items():
        setattr(settings, name, value)
        monkeypatch.setenv(name, str(value).lower() if isinstance(value, bool) else value)
    stripe_double.webhook_url = None
    yield stripe_double
    stripe_double.webhook_url = None
