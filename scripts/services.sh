#!/usr/bin/env bash
# Start this machine's PostgreSQL and Redis if they are installed but not answering. Whatever
# still does not answer, scripts/test.sh replaces with an embedded server.
set -uo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }

started=0
if ! pg_up && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null; then
  echo "Starting this machine's PostgreSQL..."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start && started=1
fi
if ! redis_up && command -v redis-server >/dev/null; then
  echo "Starting this machine's Redis..."
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no && started=1
fi
if [ "$started" = 1 ]; then
  for _ in $(seq 1 30); do
    pg_up && redis_up && break
    sleep 0.5
  done
fi
exit 0
