#!/usr/bin/env bash
# `make run`: migrate, load demo data, and serve web, Celery worker and beat together, on
# PostgreSQL and Redis: this machine's when they answer, else embedded ones (scripts/engines.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
ADDRESS="127.0.0.1:${PORT}"
source scripts/engines.sh

pids=()
# Ctrl+C stops everything: a polite TERM, then KILL for whatever has not stopped in 10 s
# (celery beat interrupted while it sets up its schedule can hang on a closed connection);
# the embedded engines last, once nothing uses them.
cleanup() {
  trap - EXIT INT TERM HUP
  if [ "${#pids[@]}" -gt 0 ]; then
    kill "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 50); do
      running=0
      for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
      [ "$running" = 0 ] && break
      sleep 0.2
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  engines_stop
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM HUP

engines_start var

$PY manage.py migrate --noinput
$PY manage.py load_demo
$PY manage.py load_social_demo

.venv/bin/celery -A breathmaster worker --loglevel=INFO --concurrency=2 & pids+=($!)
.venv/bin/celery -A breathmaster beat --loglevel=INFO & pids+=($!)
$PY manage.py runserver --noreload "$ADDRESS" & pids+=($!)

echo
echo "Breath Master Cloud is running at http://${ADDRESS}/"
echo "  API docs:  http://${ADDRESS}/api/docs/   admin: http://${ADDRESS}/admin/"
echo "  Demo sign-in: maya@example.com / breathe-in-breathe-out  (staff: admin@example.com, same password)"
echo "Press Ctrl+C to stop."
wait -n "${pids[@]}"
