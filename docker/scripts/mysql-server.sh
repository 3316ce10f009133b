#!/bin/sh
# Entry point of the MySQL-family containers, for the testcontainers provider and
# docker-compose.chaos.yml alike. Works with MariaDB images (mariadbd: the local images) and
# MySQL 8 ones (mysqld: the official mysql:8.4): initialises the data dir once, with the users and
# database of mysql-init.sql applied while the binlog is off (so a replica can replay its primary
# from the first GTID), then runs the server as a CDC source needs it: GTIDs, ROW/FULL binlog.
#
# env: SERVER_ID (1 primary, 2 replica), TIDEMARK_REPLICA=1 for a replica: read-only until promoted
# (promotion drops read_only and touches $DATADIR/.tidemark-promoted, so a restart keeps it writable).
set -eu
DATADIR=/var/lib/mysql
INIT_SQL=${INIT_SQL:-/tidemark/mysql-init.sql}

if command -v mariadbd >/dev/null 2>&1; then
  SERVER=mariadbd CLIENT=mariadb
  # The same flags as the native provider's (chaos/src/infra/native/mariadb.ts).
  FLAVOUR_FLAGS="--gtid-domain-id=0 --gtid-strict-mode=1 --log-slave-updates=1 --innodb-buffer-pool-size=64M --innodb-log-file-size=48M --performance-schema=OFF"
  READ_ONLY_FLAGS="--read-only=1"
else
  SERVER=mysqld CLIENT=mysql
  FLAVOUR_FLAGS="--gtid-mode=ON --enforce-gtid-consistency=ON --log-replica-updates=ON --mysqlx=OFF"
  READ_ONLY_FLAGS="--read-only=ON --super-read-only=ON"
fi

if [ ! -d "$DATADIR/mysql" ]; then
  mkdir -p "$DATADIR"
  chown mysql:mysql "$DATADIR"
  if [ "$SERVER" = mariadbd ]; then
    mariadb-install-db --user=mysql --datadir="$DATADIR" --auth-root-authentication-method=normal \
      --skip-test-db --skip-name-resolve >/tmp/install-db.log 2>&1 || { cat /tmp/install-db.log; exit 1; }
  else
    mysqld --initialize-insecure --user=mysql --datadir="$DATADIR"
  fi
  "$SERVER" --user=mysql --datadir="$DATADIR" --skip-networking --skip-log-bin --socket=/tmp/init.sock &
  init_pid=$!
  tries=0
  until "$CLIENT" --socket=/tmp/init.sock -uroot -e 'SELECT 1' >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 300 ] || ! kill -0 "$init_pid" 2>/dev/null; then echo "init server did not start" >&2; exit 1; fi
    sleep 0.2
  done
  "$CLIENT" --socket=/tmp/init.sock -uroot < "$INIT_SQL"
  kill "$init_pid"
  wait "$init_pid" || true
fi

READ_ONLY=
if [ "${TIDEMARK_REPLICA:-0}" = 1 ] && [ ! -e "$DATADIR/.tidemark-promoted" ]; then READ_ONLY=$READ_ONLY_FLAGS; fi

# shellcheck disable=SC2086 # the flag lists are meant to split
exec "$SERVER" --user=mysql --datadir="$DATADIR" --port=3306 --bind-address=0.0.0.0 \
  --server-id="${SERVER_ID:-1}" --log-bin=mysql-bin --relay-log=relay-bin --binlog-format=ROW \
  --binlog-row-image=FULL --binlog-row-metadata=FULL --character-set-server=utf8mb4 \
  --collation-server=utf8mb4_unicode_ci --skip-name-resolve --innodb-flush-log-at-trx-commit=2 \
  --sync-binlog=0 $FLAVOUR_FLAGS $READ_ONLY "$@"
