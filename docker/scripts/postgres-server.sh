#!/bin/sh
# Entry point of the PostgreSQL containers (testcontainers provider and docker-compose.chaos.yml),
# run as user postgres. Works with the official postgres images and the local one: a primary is
# initialised once (trust auth incl. replication from the network, a `tidemark` database); a
# standby (PRIMARY_HOST set) clones its primary with pg_basebackup -R. Server settings come as
# arguments (-c name=value ...).
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  if [ -n "${PRIMARY_HOST:-}" ]; then
    rm -rf "${PGDATA:?}"/*
    until pg_basebackup -h "$PRIMARY_HOST" -p "${PRIMARY_PORT:-5432}" -U postgres -D "$PGDATA" -R -X stream -c fast; do sleep 1; done
  else
    initdb -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/tmp/initdb.log 2>&1 || { cat /tmp/initdb.log; exit 1; }
    printf 'host all all all trust\nhost replication all all trust\n' >> "$PGDATA/pg_hba.conf"
    echo "CREATE DATABASE ${POSTGRES_DB:-tidemark}" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  chmod 0700 "$PGDATA"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
