import { describe, expect, it } from 'vitest';
import { mariadbArgs } from '../../../../chaos/src/infra/native/mariadb.js';
import { MARIADB_PROMOTE_SQL, MARIADB_TEMPLATE_SQL, mariadbFollowSql } from '../../../../chaos/src/infra/native/mariadb-sql.js';
import { natsArgs } from '../../../../chaos/src/infra/native/nats.js';
import { postgresArgs } from '../../../../chaos/src/infra/native/postgres.js';
import { redisArgs } from '../../../../chaos/src/infra/native/redis.js';
import { setprivArgs } from '../../../../chaos/src/infra/process/managed-process.js';

describe('native server command lines', () => {
  it('MariaDB ignores /etc/mysql and is a GTID/ROW/FULL binlog source with utf8mb4', () => {
    const args = mariadbArgs({ dir: '/r/mysql', port: 21000, serverId: 1, readOnly: false });
    expect(args[0]).toBe('--no-defaults');
    expect(args).toEqual(
      expect.arrayContaining([
        '--port=21000', '--bind-address=127.0.0.1', '--server-id=1', '--log-bin=mysql-bin', '--binlog-format=ROW',
        '--binlog-row-image=FULL', '--gtid-strict-mode=1', '--log-slave-updates=1', '--character-set-server=utf8mb4',
        '--innodb-flush-log-at-trx-commit=2', '--sync-binlog=0', '--datadir=/r/mysql/data',
      ]),
    );
    expect(args).not.toContain('--read-only=1');
    expect(mariadbArgs({ dir: '/r/b', port: 1, serverId: 2, readOnly: true })).toContain('--read-only=1');
  });

  it('MariaDB replica follows by GTID and promotion clears replication and read_only', () => {
    const [change, readOnly, start] = mariadbFollowSql({ host: '127.0.0.1', port: 21000 });
    expect(change).toMatch(/MASTER_HOST='127\.0\.0\.1', MASTER_PORT=21000.*MASTER_USE_GTID=slave_pos/);
    expect([readOnly, start]).toEqual(['SET GLOBAL read_only=1', 'START SLAVE']);
    expect(MARIADB_PROMOTE_SQL).toEqual(['STOP SLAVE', 'RESET SLAVE ALL', 'SET GLOBAL read_only=0']);
    expect(MARIADB_TEMPLATE_SQL.join(';')).toMatch(/GRANT REPLICATION SLAVE, REPLICATION CLIENT, SELECT.* TO 'cdc'/);
  });

  it('Postgres has logical WAL, replication room and listens on loopback only', () => {
    const args = postgresArgs('/r/pg/data', '/r/pg', 22000);
    expect(args.slice(0, 4)).toEqual(['-D', '/r/pg/data', '-p', '22000']);
    const settings = args.filter((_, i) => args[i - 1] === '-c');
    expect(settings).toEqual(expect.arrayContaining(['listen_addresses=127.0.0.1', 'wal_level=logical', 'max_replication_slots=20', 'max_wal_senders=20', 'hot_standby=on']));
  });

  it('Redis keeps an append-only file; NATS runs JetStream with a store dir', () => {
    const redis = redisArgs('/r/redis', 23000);
    expect(redis[redis.indexOf('--appendonly') + 1]).toBe('yes');
    expect(redis[redis.indexOf('--appendfsync') + 1]).toBe('always');
    expect(redis[redis.indexOf('--bind') + 1]).toBe('127.0.0.1');
    expect(natsArgs('/r/nats', 24000)).toEqual(['-a', '127.0.0.1', '-p', '24000', '-js', '-sd', '/r/nats/js', '-n', 'tidemark-24000']);
  });

  it('every server is exec()ed by setpriv with a parent-death SIGKILL, optionally as another user', () => {
    expect(setprivArgs({ command: '/usr/bin/redis-server', args: ['--port', '1'] })).toEqual(['--pdeathsig', 'KILL', '--', '/usr/bin/redis-server', '--port', '1']);
    expect(setprivArgs({ command: 'postgres', args: [], runAs: { uid: 101, gid: 104 } })).toEqual([
      '--pdeathsig', 'KILL', '--reuid=101', '--regid=104', '--init-groups', '--', 'postgres',
    ]);
  });
});
