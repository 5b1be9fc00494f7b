#!/usr/bin/env bash
# `make test` after scripts/services.sh and the lint: the migrations check and the whole suite,
# on this machine's PostgreSQL and Redis when they answer, else on embedded ones
# (scripts/engines.sh), stopped again when the run ends. PYTEST_ARGS adds pytest arguments.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
source scripts/engines.sh
trap engines_stop EXIT INT TERM HUP

engines_start var/test --throwaway

$PY manage.py makemigrations --check --dry-run
# shellcheck disable=SC2086
.venv/bin/pytest -n 2 --dist loadgroup ${PYTEST_ARGS:-}
