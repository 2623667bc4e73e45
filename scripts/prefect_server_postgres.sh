#!/usr/bin/env bash
# The Prefect server on PostgreSQL, every deployment of prefect.yaml, and a work pool with several
# process workers, in the foreground until Ctrl-C or SIGTERM (then all of it stops, PostgreSQL too).
#
#   scripts/prefect_server_postgres.sh [--workers 3] [--port 4200] [--host 0.0.0.0]   (options of `planwatch server`)
#
# Starts a PostgreSQL cluster of its own (created on first use) holding Prefect's database only,
# listening on 127.0.0.1. Settings, from the environment:
#   PLANWATCH_PREFECT_PG_DIR   the cluster's folder (default: <data dir>/prefect-postgres)
#   PLANWATCH_PREFECT_PG_PORT  its port (default 5433, beside a system PostgreSQL on 5432)
#   PLANWATCH_PREFECT_PG_BIN   folder of initdb, pg_ctl and postgres (default: PATH, then /usr/lib/postgresql/*/bin)
#   PLANWATCH_PREFECT_PG_OS_USER  the system user that runs PostgreSQL when this runs as root (PostgreSQL refuses
#                      root; default: postgres if it exists, else nobody)
# With PREFECT_API_DATABASE_CONNECTION_URL already set (an existing PostgreSQL), starts no cluster
# and runs `planwatch server` on that database.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PLANWATCH="${PLANWATCH:-$ROOT/.venv/bin/planwatch}"
[ -x "$PLANWATCH" ] || PLANWATCH="$(command -v planwatch)" || { echo "planwatch not found: run make setup" >&2; exit 2; }

if [ -n "${PREFECT_API_DATABASE_CONNECTION_URL:-}" ]; then
  exec "$PLANWATCH" server "$@"
fi

bin="${PLANWATCH_PREFECT_PG_BIN:-}"
if [ -z "$bin" ]; then
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then bin="$(dirname "$(command -v pg_ctl)")"
  else bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"; fi
fi
for tool in initdb pg_ctl postgres; do
  [ -x "$bin/$tool" ] || { echo "no PostgreSQL server binaries ($tool) in '${bin:-PATH}': apt-get install postgresql, or set PLANWATCH_PREFECT_PG_BIN" >&2; exit 2; }
done

data_dir="${PLANWATCH_DATA_DIR:-$ROOT/warehouse}"
pg_dir="${PLANWATCH_PREFECT_PG_DIR:-$data_dir/prefect-postgres}"
pg_port="${PLANWATCH_PREFECT_PG_PORT:-5433}"
mkdir -p "$pg_dir"
pg_dir="$(cd "$pg_dir" && pwd)"
run_as=()
if [ "$(id -u)" = 0 ]; then
  pg_user="${PLANWATCH_PREFECT_PG_OS_USER:-$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)}"
  chown "$pg_user" "$pg_dir"
  run_as=(runuser -u "$pg_user" --)
fi
chmod 700 "$pg_dir"
as_pg() { (cd / && "${run_as[@]}" "$@"); }  # from /: PostgreSQL's user may not enter the current folder

if [ ! -f "$pg_dir/PG_VERSION" ]; then
  # trust on 127.0.0.1 and the socket in the cluster's own folder: the server is reachable from this machine only
  as_pg "$bin/initdb" -D "$pg_dir" -U prefect --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$pg_dir/../initdb.log" 2>&1 \
    || { cat "$pg_dir/../initdb.log" >&2; exit 1; }
  echo "create database prefect" | as_pg "$bin/postgres" --single -D "$pg_dir" postgres >>"$pg_dir/../initdb.log" 2>&1
fi
as_pg "$bin/pg_ctl" -D "$pg_dir" -l "$pg_dir/postgres.log" -w -t 60 \
  -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $pg_dir" start >/dev/null \
  || { echo "PostgreSQL did not start on port $pg_port; see $pg_dir/postgres.log" >&2; tail -n 20 "$pg_dir/postgres.log" >&2; exit 1; }
stop_postgres() { as_pg "$bin/pg_ctl" -D "$pg_dir" -m fast -w stop >/dev/null 2>&1 || true; }
trap stop_postgres EXIT
echo "PostgreSQL on 127.0.0.1:$pg_port (cluster $pg_dir)"

export PREFECT_API_DATABASE_CONNECTION_URL="postgresql+asyncpg://prefect@127.0.0.1:$pg_port/prefect"
"$PLANWATCH" server "$@" &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' TERM INT  # the server stops its workers, then PostgreSQL stops
status=0
wait "$server" || status=$?
while kill -0 "$server" 2>/dev/null; do wait "$server" || status=$?; done  # a signal ends the first wait early
exit "$status"
