import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../../chaos/src/infra/index.js';
import { MemoryCheckpointBackend } from '../../../../engine/src/checkpoints/index.js';
import { isTidemarkError, type TidemarkError } from '../../../../engine/src/errors/index.js';
import { MemorySink } from '../../../../engine/src/testing/index.js';
import { admin, cdcDsn, Run, startMariadb, until } from './harness.js';

let topo: Topology;
let db: mysql.Connection;

beforeAll(async () => {
  topo = await startMariadb();
  db = await admin(topo);
});

afterAll(async () => {
  await db?.end();
  await topo?.down();
});

function expectPositionLost(failure: TidemarkError | null): void {
  expect(isTidemarkError(failure) && failure.code).toBe('TIDEMARK_ERR_SOURCE_POSITION_LOST');
  expect(failure!.kind).toBe('fatal');
  expect(failure!.remedy).toBe('resnapshot');
  expect(failure!.message).toMatch(/^position lost: .+\. Re-snapshot required\.$/);
}

/**
 * Rotates and purges every binlog but the new one. MariaDB keeps a file until its binlog
 * checkpoint (crash recovery) has moved on, which happens shortly after the rotation: retry.
 */
async function purgeAllButCurrent(): Promise<void> {
  await db.query('FLUSH BINARY LOGS');
  const [[{ File }]] = (await db.query('SHOW MASTER STATUS')) as unknown as [[{ File: string }]];
  await until(async () => {
    await db.query(`PURGE BINARY LOGS TO '${File}'`);
    const [logs] = (await db.query('SHOW BINARY LOGS')) as unknown as [Array<{ Log_name: string }>];
    return logs.length === 1;
  }, 'the old binlogs to be purged');
}

/** Streams a few rows, stops with a checkpoint, writes more while stopped. */
async function checkpointThenWriteMore(table: string, backend: MemoryCheckpointBackend): Promise<void> {
  await db.query(`CREATE TABLE ${table} (id INT PRIMARY KEY)`);
  const run = new Run({ config: { dsn: cdcDsn(topo), tables: [`tidemark.${table}`] }, backend });
  await run.start();
  await db.query(`INSERT INTO ${table} VALUES (1), (2)`);
  await until(() => run.events.length >= 2, 'first rows');
  await run.stop();
  for (let i = 3; i < 10; i++) await db.query(`INSERT INTO ${table} VALUES (${i})`);
}

describe('mysql source position loss (MariaDB)', () => {
  it('reports binlogs purged past the checkpoint as position lost', async () => {
    const backend = new MemoryCheckpointBackend();
    await checkpointThenWriteMore('purged', backend);
    await purgeAllButCurrent();
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.purged'] }, backend });
    await run.coordinator.start();
    expect(run.coordinator.state).toBe('failed');
    expectPositionLost(run.coordinator.failure);
    expect(run.events).toEqual([]);
  });

  it('reports RESET MASTER as position lost', async () => {
    const backend = new MemoryCheckpointBackend();
    await checkpointThenWriteMore('reset', backend);
    await db.query('RESET MASTER');
    await db.query('INSERT INTO reset VALUES (100)');
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.reset'] }, backend });
    await run.coordinator.start();
    expect(run.coordinator.state).toBe('failed');
    expectPositionLost(run.coordinator.failure);
    expect(run.coordinator.failure!.message).toMatch(/does not hold the checkpoint's transactions/);
  });

  it('cancels a snapshot whose hand-over binlog is purged while it runs', async () => {
    await db.query('CREATE TABLE slow_snap (id INT PRIMARY KEY, v INT); INSERT INTO slow_snap SELECT seq, 0 FROM seq_1_to_20000');
    const sink = new MemorySink('sink');
    // ~10 s of snapshot (100 batches, one in flight): room for the purge (which MariaDB may refuse
    // for a moment after the rotation) to land while the snapshot still runs on a slow machine.
    sink.delayMs = 100;
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.slow_snap'], snapshot: { mode: 'initial', max_parallel_tables: 1, chunk_size: 500 } }, sink, batch: { max_events: 200, max_inflight: 1 } });
    await run.start();
    await until(() => sink.events.length > 0, 'snapshot rows flowing');
    await db.query('INSERT INTO slow_snap VALUES (20001, 1)');
    await purgeAllButCurrent();
    await until(() => run.coordinator.state === 'failed', 'the snapshot to be cancelled', 20_000);
    expectPositionLost(run.coordinator.failure);
    expect(run.coordinator.failure!.message).toMatch(/purged during the snapshot/);
    expect(sink.events.length).toBeLessThan(20_000);
    await run.stop();
  });
});
