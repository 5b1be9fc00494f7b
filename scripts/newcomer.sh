#!/usr/bin/env bash
# Try the project the way a newcomer does: clone it into a temporary folder, `make run` there
# (which builds a fresh virtualenv from requirements.lock), open the sign-in page and the API
# docs, stop everything, and say PASS or FAIL.
#
#   scripts/newcomer.sh [repository]     (default: the repository this script lives in)
#
# Not part of the test suite: it reinstalls every package, so it needs the network and a few
# minutes. Like any newcomer's `make run`, it uses the local `breathmaster` database when
# PostgreSQL answers (migrations and demo data are safe to apply again), and embedded PostgreSQL
# and Redis (data in the clone's var/) when they do not.
set -uo pipefail

REPO="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
STARTUP_SECONDS="${STARTUP_SECONDS:-900}"
WORKDIR="$(mktemp -d -t breathmaster-newcomer-XXXXXX)"
LOG="$WORKDIR/make-run.log"
PGID=""

say() { printf '%s\n' "$*"; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

status_of() {
  curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' "$1" 2>/dev/null || true
}

stop_everything() {
  [ -n "$PGID" ] || return 0
  # SIGTERM to the whole group: run.sh's trap stops web, worker and beat; KILL what lingers.
  kill -TERM -- "-$PGID" 2>/dev/null || return 0
  for _ in $(seq 1 60); do
    kill -0 -- "-$PGID" 2>/dev/null || return 0
    sleep 0.5
  done
  say "Some processes ignored SIGTERM; killing them."
  kill -KILL -- "-$PGID" 2>/dev/null || true
}

finish() {
  local verdict=$1 reason=$2
  stop_everything
  if [ "$verdict" = PASS ]; then
    rm -rf "$WORKDIR"
    say "PASS: $reason"
    exit 0
  fi
  say "---- last lines of make run ----"
  tail -n 40 "$LOG" 2>/dev/null
  say "FAIL: $reason"
  say "(the clone and full log are kept in $WORKDIR)"
  exit 1
}
trap 'finish FAIL "interrupted"' INT TERM

say "Cloning $REPO into $WORKDIR/breathmaster ..."
git clone --quiet "$REPO" "$WORKDIR/breathmaster" || finish FAIL "git clone failed"
# The contract and fixtures live beside the repository, in ../shared.
if [ -d "$REPO/../shared" ]; then
  ln -s "$(cd "$REPO/../shared" && pwd)" "$WORKDIR/shared"
fi

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
say "Running 'make run' on port $PORT (installing packages first; this takes a while) ..."
cd "$WORKDIR/breathmaster" || finish FAIL "the clone is missing"
# A new session makes make's pid the group id, so one signal reaches everything it starts.
env -u DATABASE_URL -u REDIS_URL -u CACHE_URL -u MAKEFLAGS -u MAKELEVEL PORT="$PORT" \
  setsid make run >"$LOG" 2>&1 &
PGID=$!

deadline=$((SECONDS + STARTUP_SECONDS))
until [ "$(status_of "$BASE/accounts/login/")" = 200 ]; do
  kill -0 "$PGID" 2>/dev/null || finish FAIL "'make run' stopped before the site answered"
  [ "$SECONDS" -lt "$deadline" ] || finish FAIL "no answer from $BASE within ${STARTUP_SECONDS}s"
  sleep 1
done
say "Sign-in page answers: $BASE/accounts/login/"

docs="$(status_of "$BASE/api/docs/")"
[ "$docs" = 200 ] || finish FAIL "$BASE/api/docs/ answered $docs"
say "API docs answer: $BASE/api/docs/"

finish PASS "a fresh clone installs, migrates, loads demo data and serves the site"
