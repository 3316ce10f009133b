import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection } from 'mysql2/promise';
import { startTopology, type Endpoint, type Topology } from '../../../chaos/src/infra/index.js';
import { eventually } from '../../support/infra.js';
import { ProcessLedger } from '../../support/processes.js';
import { TEST_PROVIDER, leftovers, recordServers } from '../../support/provider.js';
import { mysqlQuery, pgQuery } from './clients.js';

/** An insert as a non-root user (root may write despite read_only). */
async function appInsert(endpoint: Endpoint, id: number): Promise<void> {
  const connection = await createConnection({ ...endpoint, user: 'app', password: 'apppw', database: 'tidemark' });
  try {
    await connection.query('INSERT INTO orders VALUES (?, ?)', [id, 'app']);
  } finally {
    connection.destroy();
  }
}

/** Failover building blocks: a MariaDB GTID replica and a Postgres streaming standby, both promotable. */
describe(`replicas and promotion (${TEST_PROVIDER})`, () => {
  let topology: Topology;
  const ledger = new ProcessLedger();

  beforeAll(async () => {
    topology = await startTopology(['mysql-b', 'postgres-b'], { provider: TEST_PROVIDER });
    recordServers(ledger, topology);
  }, 180_000);
  afterAll(async () => {
    await topology?.down();
  }, 120_000);

  it('starts each replica together with its primary', () => {
    expect(topology.names).toEqual(['mysql', 'mysql-b', 'postgres', 'postgres-b']);
    expect(topology.get('mysql-b').replicaOf).toBe('mysql');
    expect(topology.get('postgres-b').replicaOf).toBe('postgres');
  });

  it('MariaDB: the replica follows by GTID, is read-only, and once promoted accepts writes with the primary GTIDs present', async () => {
    const primary = topology.get('mysql').info();
    const replica = topology.get('mysql-b');
    await mysqlQuery(primary, 'direct', 'CREATE TABLE tidemark.orders (id INT PRIMARY KEY, note VARCHAR(20))');
    await mysqlQuery(primary, 'direct', "INSERT INTO tidemark.orders VALUES (1, 'from primary'), (2, 'from primary')");
    await mysqlQuery(primary, 'direct', "CREATE USER 'app'@'%' IDENTIFIED BY 'apppw'");
    await mysqlQuery(primary, 'direct', "GRANT ALL ON tidemark.* TO 'app'@'%'");
    const [{ pos }] = (await mysqlQuery(primary, 'direct', 'SELECT @@gtid_binlog_pos AS pos')) as [{ pos: string }];
    expect(pos).toMatch(/^0-1-\d+$/);

    const [{ waited }] = (await mysqlQuery(replica.info(), 'direct', `SELECT MASTER_GTID_WAIT('${pos}', 20) AS waited`)) as [{ waited: number }];
    expect(waited).toBe(0);
    expect(await mysqlQuery(replica.info(), 'direct', 'SELECT id FROM tidemark.orders ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    // root bypasses read_only in MariaDB, so check the flag itself and a non-root writer.
    expect((await mysqlQuery(replica.info(), 'direct', 'SELECT @@read_only AS ro'))[0]?.ro).toBe(1);
    await expect(appInsert(replica.direct, 10)).rejects.toThrow(/read-only/);

    await replica.promote();

    expect(await mysqlQuery(replica.info(), 'direct', 'SHOW SLAVE STATUS')).toEqual([]);
    expect((await mysqlQuery(replica.info(), 'direct', 'SELECT @@read_only AS ro'))[0]?.ro).toBe(0);
    await appInsert(replica.direct, 3);
    const [{ state }] = (await mysqlQuery(replica.info(), 'direct', 'SELECT @@gtid_binlog_state AS state')) as [{ state: string }];
    const primarySeq = Number(pos.split('-')[2]);
    expect(state.split(',')).toEqual(expect.arrayContaining([pos, `0-2-${primarySeq + 1}`]));
    expect(await mysqlQuery(replica.info(), 'direct', 'SELECT id FROM tidemark.orders ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
  }, 60_000);

  it('switching the mysql proxy upstream to the promoted replica moves proxied clients over', async () => {
    const replica = topology.get('mysql-b');
    await topology.toxiproxy.switchUpstream('mysql', replica.direct);
    const [{ id }] = (await mysqlQuery(topology.get('mysql').info(), 'proxy', 'SELECT @@server_id AS id')) as [{ id: number }];
    expect(id).toBe(2);
    expect((await topology.toxiproxy.proxy('mysql')).upstream).toBe(`${replica.direct.host}:${replica.direct.port}`);
  });

  it('a promoted MariaDB replica stays a writable primary across a SIGKILL and restart', async () => {
    const replica = topology.get('mysql-b');
    await replica.kill();
    await replica.start();
    recordServers(ledger, topology);
    expect((await mysqlQuery(replica.info(), 'direct', 'SELECT @@read_only AS ro'))[0]?.ro).toBe(0);
    await appInsert(replica.direct, 4);
    expect(await mysqlQuery(replica.info(), 'direct', 'SHOW SLAVE STATUS')).toEqual([]);
  }, 60_000);

  it('Postgres: the standby streams and refuses writes; promoted, it leaves recovery and accepts writes', async () => {
    const primary = topology.get('postgres').info();
    const standby = topology.get('postgres-b');
    await pgQuery(primary, 'direct', 'CREATE TABLE accounts (id INT PRIMARY KEY, note TEXT)');
    await pgQuery(primary, 'direct', "INSERT INTO accounts VALUES (1, 'from primary')");
    await eventually(async () => {
      expect(await pgQuery(standby.info(), 'direct', 'SELECT id FROM accounts')).toEqual([{ id: 1 }]);
    });
    expect((await pgQuery(standby.info(), 'direct', 'SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(true);
    await expect(pgQuery(standby.info(), 'direct', "INSERT INTO accounts VALUES (2, 'too early')")).rejects.toThrow(/read-only transaction/);

    await standby.promote();

    expect((await pgQuery(standby.info(), 'direct', 'SELECT pg_is_in_recovery() AS r'))[0]?.r).toBe(false);
    await pgQuery(standby.info(), 'direct', "INSERT INTO accounts VALUES (2, 'after promote')");
    expect(await pgQuery(standby.info(), 'direct', 'SELECT id FROM accounts ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
    // A CDC source needs a new logical slot on the new primary; that must work right away.
    const [slot] = await pgQuery(standby.info(), 'direct', "SELECT slot_name FROM pg_create_logical_replication_slot('after_failover', 'pgoutput')");
    expect(slot).toEqual({ slot_name: 'after_failover' });
  }, 60_000);

  it('leaves nothing running after down()', async () => {
    recordServers(ledger, topology);
    await topology.down();
    expect(await leftovers(ledger, topology)).toEqual([]);
  }, 60_000);
});
