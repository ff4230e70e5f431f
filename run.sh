#!/usr/bin/env bash
# Sets up and runs subguard on this machine: a private PostgreSQL and Redis (data under .run/), one
# ingest, one verifier, one sender and the admin API, and, without SUBGUARD_BOT_TOKEN, the bundled
# Telegram sandbox with the quick-start story played in it.
#
#   ./run.sh          run, play the story, keep serving until Ctrl-C
#   ./run.sh --once   run, play the story, stop; exit 0 only if every step happened
#
# With SUBGUARD_BOT_TOKEN set, the same stack serves a real bot by long polling against
# SUBGUARD_TELEGRAM_API_URL (default https://api.telegram.org) until stopped.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

ONCE=0
for arg in "$@"; do
  case "$arg" in
    --once) ONCE=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

source .ci/deps.sh
subguard_install_deps
subguard_build build >/dev/null
BIN="$ROOT/build/bin"

RUN_DIR="$ROOT/.run"
LOG_DIR="$RUN_DIR/logs"
mkdir -p "$LOG_DIR"
PG_PORT=${SUBGUARD_RUN_PG_PORT:-55432}
REDIS_PORT=${SUBGUARD_RUN_REDIS_PORT:-56379}
SANDBOX_PORT=${SUBGUARD_RUN_SANDBOX_PORT:-58081}
GRPC_PORT=${SUBGUARD_RUN_GRPC_PORT:-57070}
ADMIN_PORT=${SUBGUARD_RUN_ADMIN_PORT:-57080}
STATUS_BASE=${SUBGUARD_RUN_STATUS_PORT_BASE:-59090}

say() { printf '[run] %s\n' "$*"; }

PIDS=()
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_DATA="$RUN_DIR/pg"
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  trap - EXIT INT TERM
  say "stopping"
  # One at a time, in reverse start order: the ingest releases its leases while Redis is still up.
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    kill -TERM "${PIDS[i]}" 2>/dev/null || true
    wait "${PIDS[i]}" 2>/dev/null || true
  done
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres() {
  if [ ! -e "$PG_DATA" ]; then
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$RUN_DIR"; then
      # PostgreSQL runs as the postgres user, who cannot reach this checkout (a 0700 home, say):
      # keep the data where it can, linked from .run/pg.
      local real
      real=$(mktemp -d /tmp/subguard-pg-XXXXXX)
      chown postgres: "$real"
      ln -s "$real" "$PG_DATA"
    else
      mkdir -p "$PG_DATA"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DATA"
    fi
    chmod 0700 "$PG_DATA/"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA/" -U postgres --auth=trust -E UTF8 >"$LOG_DIR/initdb.log" 2>&1
  fi
  # A run killed without its cleanup leaves the server up: reuse it.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA/" status >/dev/null 2>&1 ||
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA/" -l "$PG_DATA/postgres.log" -w \
      -o "-p $PG_PORT -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres subguard 2>/dev/null || true
  say "PostgreSQL on 127.0.0.1:$PG_PORT (data in .run/pg)"
}

start_redis() {
  if [ "$SANDBOX" -eq 1 ]; then
    # The sandbox forgets its world when it stops, so what Redis mirrors of that world (the journal,
    # membership cache, prompt slots, seen update ids) goes too. PostgreSQL keeps the configuration.
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >"$LOG_DIR/redis.log" 2>&1 &
    PIDS+=($!)
    say "Redis on 127.0.0.1:$REDIS_PORT (in memory, as the sandbox's world is)"
  else
    mkdir -p "$RUN_DIR/redis"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$RUN_DIR/redis" --appendonly yes \
      >"$LOG_DIR/redis.log" 2>&1 &
    PIDS+=($!)
    say "Redis on 127.0.0.1:$REDIS_PORT (data in .run/redis)"
  fi
  for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
}

# start NAME ARGS...: runs build/bin/subguard-NAME in the background, its JSON log in .run/logs/NAME.log.
start() {
  local name=$1; shift
  "$BIN/subguard-$name" "$@" >"$LOG_DIR/$name.log" 2>&1 &
  PIDS+=($!)
}

wait_ready() {
  local name=$1 port=$2
  for _ in $(seq 300); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && { say "$name ready (status port $port)"; return 0; }
    sleep 0.1
  done
  say "$name did not become ready; see .run/logs/$name.log"
  return 1
}

SANDBOX=0
[ -z "${SUBGUARD_BOT_TOKEN:-}" ] && SANDBOX=1
start_postgres
start_redis

if [ "$SANDBOX" -eq 1 ]; then
  export SUBGUARD_BOT_TOKEN="424242:sandbox-token"
  export SUBGUARD_TELEGRAM_API_URL="http://127.0.0.1:$SANDBOX_PORT"
  start sandbox --port "$SANDBOX_PORT" --bot_token "$SUBGUARD_BOT_TOKEN"
  say "no SUBGUARD_BOT_TOKEN: using the Telegram sandbox at $SUBGUARD_TELEGRAM_API_URL"
else
  export SUBGUARD_TELEGRAM_API_URL="${SUBGUARD_TELEGRAM_API_URL:-https://api.telegram.org}"
  say "serving the bot from SUBGUARD_BOT_TOKEN via $SUBGUARD_TELEGRAM_API_URL (long polling)"
fi

# The admin API's operator token: SUBGUARD_ADMIN_TOKEN(_FILE) when given, else one made once and kept.
if [ -z "${SUBGUARD_ADMIN_TOKEN:-}" ] && [ -z "${SUBGUARD_ADMIN_TOKEN_FILE:-}" ]; then
  [ -s "$RUN_DIR/admin_token" ] || (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$RUN_DIR/admin_token")
  export SUBGUARD_ADMIN_TOKEN_FILE="$RUN_DIR/admin_token"
fi

COMMON=(--redis_address "127.0.0.1:$REDIS_PORT")
POSTGRES="host=127.0.0.1 port=$PG_PORT user=postgres dbname=subguard"
start ingest "${COMMON[@]}" --grpc_address "127.0.0.1:$GRPC_PORT" --status_port "$STATUS_BASE" --mode polling
start verifier "${COMMON[@]}" --ingest_addresses "127.0.0.1:$GRPC_PORT" --status_port "$((STATUS_BASE + 1))" \
  --postgres "$POSTGRES"
start sender "${COMMON[@]}" --ingest_addresses "127.0.0.1:$GRPC_PORT" --status_port "$((STATUS_BASE + 2))"
start admin "${COMMON[@]}" --postgres "$POSTGRES" --admin_address "127.0.0.1:$ADMIN_PORT" \
  --status_port "$((STATUS_BASE + 3))"
wait_ready ingest "$STATUS_BASE"
wait_ready verifier "$((STATUS_BASE + 1))"
wait_ready sender "$((STATUS_BASE + 2))"
wait_ready admin "$((STATUS_BASE + 3))"
say "metrics: http://127.0.0.1:{$STATUS_BASE..$((STATUS_BASE + 3))}/metrics; logs in .run/logs/"
say "admin API (docs/api.md): 127.0.0.1:$ADMIN_PORT, operator token in ${SUBGUARD_ADMIN_TOKEN_FILE:-SUBGUARD_ADMIN_TOKEN}"

STATUS=0
if [ "$SANDBOX" -eq 1 ]; then
  say "playing the quick-start story in the sandbox"
  "$BIN/subguard-story" --sandbox_url "$SUBGUARD_TELEGRAM_API_URL" --bot_token "$SUBGUARD_BOT_TOKEN" || STATUS=$?
  [ "$STATUS" -eq 0 ] && say "story complete: every step happened" || say "story FAILED (exit $STATUS)"
fi

if [ "$ONCE" -eq 1 ]; then exit "$STATUS"; fi
say "serving; Ctrl-C stops everything"
wait -n "${PIDS[@]}" || true
say "a process exited; see .run/logs/"
exit 1
