# Breath Master Cloud: `make run` to try it, `make test` to check it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install services tools lint format bench screenshots clean

run: install
	@scripts/run.sh

# Lint, then the suite on this machine's PostgreSQL and Redis when they answer, else on embedded
# ones (as `make run`).
test: install services tools lint
	@PYTEST_ARGS="$(PYTEST_ARGS)" scripts/test.sh

install: $(STAMP)

# Production's pins and the development tools (requirements-dev.lock includes requirements.lock).
$(STAMP): requirements.lock requirements-dev.lock
	@test -x $(PY) || { command -v $(PYTHON) >/dev/null && $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.lock
	@touch $(STAMP)

# Start this machine's PostgreSQL and Redis when they are installed here but not running.
services:
	@scripts/services.sh

# Debian's Chromium drives the browser tests (never a downloaded browser build), and Debian's
# docker-compose validates docker-compose.yml (no Docker engine runs here).
tools:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v docker-compose >/dev/null || missing="$$missing docker-compose"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian's$$missing for the tests..."; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install services
	$(PY) bench/sync.py

# Every page as a visitor and a member sees it (light, dark, phone), for review: var/screenshots/.
screenshots: install services tools
	$(VENV)/bin/pytest -p no:xdist -q tests/test_pages_screenshots.py

clean:
	rm -rf $(VENV) staticfiles var
