#!/bin/sh
# docker-compose.chaos.yml's one-shot `mysql-b-follow`: points the replica at its primary by GTID,
# in the dialect of whichever server runs (the testcontainers provider does the same from
# chaos/src/infra/testcontainers/mysql-family.ts). env: REPLICA_HOST, PRIMARY_HOST.
set -eu
CLIENT=$(command -v mariadb || command -v mysql)
q() { "$CLIENT" -h "$REPLICA_HOST" -uroot -N -e "$1"; }
until q 'SELECT 1' >/dev/null 2>&1; do sleep 1; done
if q 'SELECT VERSION()' | grep -qi mariadb; then
  q "CHANGE MASTER TO MASTER_HOST='$PRIMARY_HOST', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='replpw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE"
else
  q "CHANGE REPLICATION SOURCE TO SOURCE_HOST='$PRIMARY_HOST', SOURCE_PORT=3306, SOURCE_USER='repl', SOURCE_PASSWORD='replpw', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1; START REPLICA"
fi
echo "$REPLICA_HOST follows $PRIMARY_HOST"
