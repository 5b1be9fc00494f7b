"""docker-compose.yml holds together, as far as a machine without a Docker engine can tell."""

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_is_valid_and_runs_the_whole_stack():
    result = subprocess.run(
        ["docker-compose", "-f", "docker-compose.yml", "config"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", "SECRET_KEY": "k" * 60},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert set(config["services"]) == {"web", "worker", "beat", "postgres", "redis"}
    assert config["services"]["worker"]["command"].startswith("celery -A breathmaster worker")
    assert config["services"]["beat"]["command"].startswith("celery -A breathmaster beat")
    web = config["services"]["web"]
    assert web["environment"]["DJANGO_ENV"] == "production"
    assert web["environment"]["SECRET_KEY"] == "k" * 60
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
