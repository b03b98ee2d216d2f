#!/usr/bin/env bash
# Makes sure a local PostgreSQL server answers on 127.0.0.1:${FANOUT_PG_PORT:-5433} for the PostgreSQL tests.
#   1. one already listening there is used as it is;
#   2. else, as root with apt: Debian's postgresql is installed if missing, and a private cluster is created in
#      ${FANOUT_PG_DATA:-/var/tmp/fanout-postgres-PORT} (owned by the postgres user, trust auth on loopback only)
#      and started; the system's own cluster on 5432 is left alone;
#   3. else it fails and says how to provide one.
# With --drop-test-databases, first drops the databases earlier test runs left (named <purpose>_<32 hex digits>).
# Prints the Npgsql connection string of the server (no database named) on its last line.
set -euo pipefail

drop_test_databases() {
  local psql=(psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres)
  "${psql[@]}" -Atc "SELECT datname FROM pg_database WHERE datname ~ '_[0-9a-f]{32}$'" | while read -r db; do
    "${psql[@]}" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >&2
  done
}

PORT="${FANOUT_PG_PORT:-5433}"
DATA="${FANOUT_PG_DATA:-/var/tmp/fanout-postgres-$PORT}"
CONNECTION="Host=127.0.0.1;Port=$PORT;Username=postgres;Password=postgres"

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if listening "$PORT"; then
  [ "${1:-}" = --drop-test-databases ] && drop_test_databases
  echo "$CONNECTION"
  exit 0
fi

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  cat >&2 <<MSG
ensure-postgres: no PostgreSQL answers on 127.0.0.1:$PORT and none can be started here (needs root and apt).
Start one (any version from 13 on) and point the tests at it:
  export FANOUT_PG_PORT=<port>   # a server on 127.0.0.1 where user postgres may create databases
MSG
  exit 1
fi

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }
if [ -z "$(bin_dir)" ]; then
  echo "ensure-postgres: installing Debian's postgresql" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
BIN="$(bin_dir)"

as_postgres() { su postgres -s /bin/bash -c "$*"; }

if [ ! -s "$DATA/PG_VERSION" ]; then
  echo "ensure-postgres: creating a cluster in $DATA" >&2
  mkdir -p "$DATA"
  chown postgres:postgres "$DATA"
  chmod 700 "$DATA"
  as_postgres "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >&2
fi

# Several orchestrators, FIFO registries and test hosts each keep a connection pool.
as_postgres "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/server.log' -w -t 60 start \
  -o \"-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=/tmp -c max_connections=400\"" >&2
echo "ensure-postgres: started PostgreSQL ($BIN) on 127.0.0.1:$PORT, data in $DATA" >&2
[ "${1:-}" = --drop-test-databases ] && drop_test_databases
echo "$CONNECTION"
