"""docker-compose.yml holds together, as far as a machine without a Docker engine can tell."""

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose_config() -> dict:
    """docker-compose.yml as Debian's docker-compose resolves it (anchors, merges, variables)."""
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "SECRET_KEY": "k" * 60},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid_and_runs_the_whole_stack():
    config = compose_config()
    assert set(config["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    assert config["services"]["worker"]["command"].startswith("celery -A breathmaster worker")
    assert config["services"]["beat"]["command"].startswith("celery -A breathmaster beat")
    web = config["services"]["web"]
    assert web["environment"]["DJANGO_ENV"] == "production"
    assert web["environment"]["SECRET_KEY"] == "k" * 60
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")


def test_the_web_service_trusts_exactly_one_proxy_for_client_addresses():
    """Throttles per address need the client's address, which sits behind one reverse proxy."""
    config = compose_config()
    web = config["services"]["web"]
    assert web["environment"]["NUM_PROXIES"] == "1"
    # Only that proxy, on the host, reaches gunicorn: a client connecting straight to it could
    # write its own X-Forwarded-For and pick its throttle bucket.
    assert [published(port) for port in web["ports"]] == ["127.0.0.1:8000:8000"]
    assert "NUM_PROXIES" not in config["services"]["worker"]["environment"]


def published(port) -> str:
    """host_ip:published:target, from either form docker-compose prints."""
    if isinstance(port, dict):
        return f"{port.get('host_ip', '0.0.0.0')}:{port['published']}:{port['target']}"
    return port.removesuffix("/tcp")
