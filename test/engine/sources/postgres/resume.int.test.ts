import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend, sinkCheckpointKey } from '../../../../engine/src/checkpoints/index.js';
import { MemorySink } from '../../../../engine/src/testing/index.js';
import { onReceiveFlush } from '../../../../engine/src/testing/on-receive-flush.js';
import { cleanup, runPipeline, slotRow, sourceConfig, startPostgres, statusReplies, uniqueName, waitFor, type PgFixture } from './harness.js';

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const ids = (events: Array<{ after: Record<string, unknown> | null }>) => events.map((e) => e.after!.id as number);

describe('postgres source: resume', () => {
  it('resumes inside a transaction from a mid-transaction checkpoint, skipping exactly what was delivered', async () => {
    const t = uniqueName('midtx');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const config = sourceConfig(pg, { tables: [t] });
    const backend = new MemoryCheckpointBackend();
    const sink = new MemorySink('mem');
    const first = await runPipeline(config, { backend, sink, maxEvents: 7, respectSourceTx: false });
    let crashed = false;
    sink.beforeDeliver = (batch) => {
      if (batch.seq < 4) return;
      if (!crashed) setImmediate(() => first.coordinator.crash());
      crashed = true;
      return 'drop';
    };
    await pg.sql(`INSERT INTO ${t} SELECT generate_series(1, 40)`);
    await waitFor(() => crashed);
    await first.source.stop();
    const saved = await backend.forPipeline('pgtest').load(sinkCheckpointKey(config.id, 'mem'));
    const through = (saved!.position as { i: number }).i;
    expect(through).toBeGreaterThanOrEqual(6);
    expect(through).toBeLessThan(39);

    const second = await runPipeline(config, { backend, maxEvents: 7, respectSourceTx: false });
    try {
      const events = await second.until((e) => e.length >= 39 - through);
      expect(events.map((e) => e.tx.index)).toEqual(Array.from({ length: 39 - through }, (_, k) => through + 1 + k));
      expect(ids(events)).toEqual(Array.from({ length: 39 - through }, (_, k) => through + 2 + k));
      expect(events.at(-1)!.tx.end).toBe(true);
    } finally {
      await second.stop();
      await cleanup(pg, config);
    }
  });

  it('reconnects with backoff after the network drops the stream, and delivers every change once, in order', async () => {
    const t = uniqueName('flaky');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const config = sourceConfig(pg, { tables: [t] });
    const run = await runPipeline(config, { maxEvents: 50 });
    try {
      for (let round = 0; round < 3; round++) {
        await pg.sql(`INSERT INTO ${t} SELECT generate_series(${round * 1000 + 1}, ${round * 1000 + 1000})`);
        await run.until((e) => e.length >= round * 1000 + 200);
        await pg.topology.toxiproxy.down('postgres');
        await new Promise((r) => setTimeout(r, 300));
        await pg.topology.toxiproxy.up('postgres');
      }
      const events = await run.until((e) => e.length >= 3000, 60_000);
      expect(ids(events)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
      expect(run.coordinator.state).toBe('running');
    } finally {
      await pg.topology.toxiproxy.up('postgres').catch(() => {});
      await run.stop();
      await cleanup(pg, config);
    }
  }, 120_000);

  it('confirms to the slot only what the checkpoint covers while a batch is received but not stored; on-receive acknowledgement does not', async () => {
    await pg.sql(`ALTER SYSTEM SET wal_sender_timeout = '2s'`);
    await pg.sql('SELECT pg_reload_conf()');
    try {
      const safe = await heldBatch('checkpoint');
      expect(safe.replies).toBeGreaterThanOrEqual(2);
      expect(safe.after).toBe(safe.before);
      const unsafe = await heldBatch('on-receive');
      expect(unsafe.after).not.toBe(unsafe.before);
    } finally {
      await pg.sql('ALTER SYSTEM RESET wal_sender_timeout');
      await pg.sql('SELECT pg_reload_conf()');
    }
  });
});

/**
 * Streams one insert into a sink that never finishes storing it, lets several status-update
 * rounds pass (wal_sender_timeout is 2 s, so at least one a second), and reads the slot's
 * confirmed_flush_lsn before and after.
 */
async function heldBatch(ackMode: 'checkpoint' | 'on-receive'): Promise<{ before: string; after: string; replies: number }> {
  const t = uniqueName('held');
  await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
  const config = sourceConfig(pg, { tables: [t], status_interval_secs: 60 });
  const sink = new MemorySink('mem');
  const received: number[] = [];
  sink.deliver = (batch) => {
    received.push(batch.events.length);
    return new Promise(() => {});
  };
  const run = await runPipeline(config, { sink, options: ackMode === 'on-receive' ? { flushPolicy: onReceiveFlush } : {} });
  try {
    const before = (await slotRow(pg, config.slot))!.confirmed_flush_lsn;
    await pg.sql(`INSERT INTO ${t} VALUES (1)`);
    await waitFor(() => (received.length > 0 ? true : undefined));
    const replies = await statusReplies(pg, `tidemark:${config.id}`, 3);
    return { before, after: (await slotRow(pg, config.slot))!.confirmed_flush_lsn, replies };
  } finally {
    run.coordinator.crash();
    await run.source.stop();
    await waitFor(async () => ((await slotRow(pg, config.slot))?.active === false ? true : undefined));
    await cleanup(pg, config);
  }
}
