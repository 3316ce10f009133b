import type mysql from 'mysql2/promise';
import { afterEach, describe, expect, it } from 'vitest';
import type { Topology } from '../../../../chaos/src/infra/index.js';
import { MemoryCheckpointBackend } from '../../../../engine/src/checkpoints/index.js';
import { isTidemarkError } from '../../../../engine/src/errors/index.js';
import { seededRandom } from '../../../../engine/src/util/backoff.js';
import { admin, cdcDsn, Run, startMariadb, until } from './harness.js';
import { deliveredHistory, dedupe, KeyedWriter } from './workload.js';

const topologies: Topology[] = [];
const connections: mysql.Connection[] = [];

afterEach(async () => {
  await Promise.allSettled(connections.splice(0).map((c) => c.end()));
  await Promise.allSettled(topologies.splice(0).map((t) => t.down()));
});

async function setup(): Promise<{ topo: Topology; primary: mysql.Connection; replica: mysql.Connection }> {
  const topo = await startMariadb(true);
  topologies.push(topo);
  const primary = await admin(topo, 'mysql');
  const replica = await admin(topo, 'mysql-b');
  connections.push(primary, replica);
  await primary.query('CREATE TABLE fo (id INT PRIMARY KEY, v INT NOT NULL)');
  await caughtUp(primary, replica);
  return { topo, primary, replica };
}

async function caughtUp(primary: mysql.Connection, replica: mysql.Connection): Promise<void> {
  const [[{ pos }]] = (await primary.query('SELECT @@GLOBAL.gtid_binlog_pos AS pos')) as unknown as [[{ pos: string }]];
  const [[{ r }]] = (await replica.query('SELECT MASTER_GTID_WAIT(?, 20) AS r', [pos])) as unknown as [[{ r: number }]];
  if (Number(r) !== 0) throw new Error(`replica did not catch up with ${pos}`);
}

/** Kills the primary, promotes the replica and points the `mysql` proxy (the source's address) at it. */
async function failOver(topo: Topology): Promise<void> {
  await topo.get('mysql').kill();
  await topo.get('mysql-b').promote();
  await topo.toxiproxy.switchUpstream('mysql', topo.get('mysql-b').direct);
}

const sorted = (m: Map<number, unknown>) => JSON.stringify([...m].sort((a, b) => a[0] - b[0]));

describe('mysql source failover (MariaDB primary + GTID replica)', () => {
  it('follows a promoted replica that holds its position, with no loss', async () => {
    const { topo, primary, replica } = await setup();
    let reconnects = 0;
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.fo'] }, metrics: { reconnected: () => void reconnects++ } });
    await run.start();
    try {
      const writer = new KeyedWriter(primary, 'fo', 30, seededRandom(11));
      for (let i = 0; i < 150; i++) await writer.transaction(3);
      await caughtUp(primary, replica);
      await until(() => run.events.length >= [...writer.history.values()].flat().length, 'events before the failover');
      await failOver(topo);
      // The new primary continues the same keys and versions.
      writer.db = replica;
      for (let i = 0; i < 150; i++) await writer.transaction(3);
      const after = writer;
      await until(() => sorted(deliveredHistory(dedupe(run.events))) === sorted(after.history), 'every change across the failover', 30_000).catch(() => {});
      expect(JSON.parse(sorted(deliveredHistory(dedupe(run.events))))).toEqual(JSON.parse(sorted(after.history)));
      expect(dedupe(run.events).length).toBe(run.events.length);
      expect(reconnects).toBeGreaterThanOrEqual(1);
      expect(await run.store.kv.get('mysql:src', 'identity')).toMatchObject({ serverId: 2, domainId: 0 });
      const last = run.events[run.events.length - 1]!;
      expect(last.tx.id).toMatch(/^0-2-\d+$/);
      expect(last.source.position).toMatchObject({ server_id: 2 });
    } finally {
      await run.stop();
    }
  }, 120_000);

  it('stops with position lost when the promoted replica lacks transactions already streamed', async () => {
    const { topo, primary, replica } = await setup();
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.fo'] } });
    await run.start();
    try {
      await replica.query('STOP SLAVE');
      await primary.query('INSERT INTO fo VALUES (1, 1), (2, 1)');
      await until(() => run.events.length >= 2, 'events the replica never got');
      await failOver(topo);
      await until(() => run.coordinator.state === 'failed', 'the pipeline to fail', 30_000);
      const failure = run.coordinator.failure;
      expect(isTidemarkError(failure) && failure.code).toBe('TIDEMARK_ERR_SOURCE_POSITION_LOST');
      expect(failure!.kind).toBe('fatal');
      expect(failure!.message).toMatch(/^position lost: .*Re-snapshot required\.$/);
    } finally {
      await run.stop();
    }
  }, 120_000);

  it('checks schema drift after a failover: halt stops, adapt registers a new version', async () => {
    const { topo, primary, replica } = await setup();
    const backends = { halt: new MemoryCheckpointBackend(), adapt: new MemoryCheckpointBackend() };
    for (const mode of ['halt', 'adapt'] as const) {
      const run = new Run({ config: { id: `drift-${mode}`, dsn: cdcDsn(topo), tables: ['tidemark.fo'], on_schema_drift: mode }, backend: backends[mode] });
      await run.start();
      await run.stop();
    }
    await primary.query('INSERT INTO fo VALUES (10, 1)');
    await caughtUp(primary, replica);
    // A change made on the replica alone, outside replication.
    await replica.query('SET SESSION sql_log_bin = 0; ALTER TABLE fo ADD COLUMN extra INT NULL; SET SESSION sql_log_bin = 1');
    await failOver(topo);
    await replica.query('INSERT INTO fo VALUES (11, 1, 5)');

    const halt = new Run({ config: { id: 'drift-halt', dsn: cdcDsn(topo), tables: ['tidemark.fo'], on_schema_drift: 'halt' }, backend: backends.halt });
    await halt.coordinator.start();
    expect(halt.coordinator.state).toBe('failed');
    expect(isTidemarkError(halt.coordinator.failure) && halt.coordinator.failure.code).toBe('TIDEMARK_ERR_SOURCE_SCHEMA_DRIFT');

    expect(halt.coordinator.failure!.message).toMatch(/tidemark\.fo/);
    // Resumes from where its first run stopped (before row 10), across the failover.
    const adapt = new Run({ config: { id: 'drift-adapt', dsn: cdcDsn(topo), tables: ['tidemark.fo'], on_schema_drift: 'adapt' }, backend: backends.adapt });
    await adapt.start();
    try {
      await replica.query('INSERT INTO fo VALUES (12, 1, 6)');
      await until(() => adapt.events.some((e) => e.after?.id === 12), 'a row after the failover');
      expect(adapt.events.map((e) => e.after!.id)).toEqual([10, 11, 12]);
      const event = adapt.events.find((e) => e.after?.id === 12)!;
      expect(event.after).toEqual({ id: 12, v: 1, extra: 6 });
      expect(event.schemaVersion).toBe(2);
    } finally {
      await adapt.stop();
    }
  }, 120_000);
});
