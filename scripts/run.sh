#!/usr/bin/env bash
# `make run`: migrate, load demo data, and serve web, Celery worker and beat together.
# With no PostgreSQL or Redis reachable, fall back to SQLite and in-process tasks, and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PORT="${PORT:-8000}"
ADDRESS="127.0.0.1:${PORT}"

if [ -z "${DATABASE_URL:-}" ]; then
  if $PY scripts/reachable.py postgres; then
    $PY scripts/reachable.py create-database breathmaster
  else
    echo "PostgreSQL is not reachable on ${BM_PROBE_POSTGRES:-127.0.0.1:5432}: using an embedded SQLite database (db.sqlite3)."
    export DATABASE_URL="sqlite:///$(pwd)/db.sqlite3"
  fi
fi
EMBEDDED_TASKS=0
if [ -z "${REDIS_URL:-}" ] && ! $PY scripts/reachable.py redis; then
  echo "Redis is not reachable on ${BM_PROBE_REDIS:-127.0.0.1:6379}: tasks run in-process and the cache is in memory."
  export CELERY_TASK_ALWAYS_EAGER=true CACHE_URL=locmem://
  EMBEDDED_TASKS=1
fi

$PY manage.py migrate --noinput
$PY manage.py load_demo
$PY manage.py load_social_demo

pids=()
# Ctrl+C stops everything: a polite TERM, then KILL for whatever has not stopped in 10 s
# (celery beat interrupted while it sets up its schedule can hang on a closed connection).
cleanup() {
  trap - EXIT INT TERM
  kill "${pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 50); do
    running=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
    [ "$running" = 0 ] && break
    sleep 0.2
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

if [ "$EMBEDDED_TASKS" = 0 ]; then
  .venv/bin/celery -A breathmaster worker --loglevel=INFO --concurrency=2 & pids+=($!)
  .venv/bin/celery -A breathmaster beat --loglevel=INFO & pids+=($!)
fi
$PY manage.py runserver --noreload "$ADDRESS" & pids+=($!)

echo
echo "Breath Master Cloud is running at http://${ADDRESS}/"
echo "  API docs:  http://${ADDRESS}/api/docs/   admin: http://${ADDRESS}/admin/"
echo "  Demo sign-in: maya@example.com / breathe-in-breathe-out  (staff: admin@example.com, same password)"
echo "Press Ctrl+C to stop."
wait -n "${pids[@]}"
