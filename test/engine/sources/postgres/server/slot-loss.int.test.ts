import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend } from '../../../../../engine/src/checkpoints/index.js';
import type { TidemarkError } from '../../../../../engine/src/errors/index.js';
import { cleanup, runPipeline, slotRow, sourceConfig, startPostgres, uniqueName, waitFor, type PgFixture } from '../harness.js';

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

async function startError(config: Parameters<typeof runPipeline>[0], backend: MemoryCheckpointBackend): Promise<TidemarkError> {
  try {
    const run = await runPipeline(config, { backend });
    await run.stop();
  } catch (e) {
    return e as TidemarkError;
  }
  throw new Error('the pipeline started');
}

describe('postgres source: lost slots', () => {
  it('stops with a clear position-lost error when the slot was dropped while it was away', async () => {
    const t = uniqueName('dropped');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const config = sourceConfig(pg, { tables: [t] });
    const backend = new MemoryCheckpointBackend();
    const run = await runPipeline(config, { backend });
    await pg.sql(`INSERT INTO ${t} VALUES (1)`);
    await run.until((e) => e.length >= 1);
    await run.stop();
    await waitFor(async () => ((await slotRow(pg, config.slot))?.active === false ? true : undefined));
    await pg.sql('SELECT pg_drop_replication_slot($1)', [config.slot]);
    const error = await startError(config, backend);
    expect(error.code).toBe('TIDEMARK_ERR_SOURCE_POSITION_LOST');
    expect(error.kind).toBe('fatal');
    expect(error.message).toMatch(/^position lost: replication slot "slot_\w+" no longer exists \(it was dropped\)\. Changes after LSN [0-9A-F]+\/[0-9A-F]+ cannot be read .* Re-snapshot required/);
    // Nothing was created behind the operator's back.
    expect(await slotRow(pg, config.slot)).toBeUndefined();
    await cleanup(pg, config);
  });

  it('fails the running pipeline when the slot is dropped under it, and recreates it only when told to', async () => {
    const t = uniqueName('dropped_live');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const halt = sourceConfig(pg, { tables: [t] });
    const recreate = sourceConfig(pg, { tables: [t], on_slot_lost: 'recreate' });
    const [a, b] = [await runPipeline(halt), await runPipeline(recreate)];
    try {
      await pg.sql(`INSERT INTO ${t} VALUES (1)`);
      await Promise.all([a.until((e) => e.length >= 1), b.until((e) => e.length >= 1)]);
      // Cut the engine off (Toxiproxy drops its connections), drop both slots, let it back in.
      await pg.topology.toxiproxy.down('postgres');
      for (const slot of [halt.slot, recreate.slot]) {
        await waitFor(async () => ((await slotRow(pg, slot))?.active === false ? true : undefined));
        await pg.sql('SELECT pg_drop_replication_slot($1)', [slot]);
      }
      await pg.sql(`INSERT INTO ${t} VALUES (2)`);
      await pg.topology.toxiproxy.up('postgres');
      await waitFor(() => (a.coordinator.state === 'failed' ? true : undefined));
      expect(a.coordinator.failure!.code).toBe('TIDEMARK_ERR_SOURCE_POSITION_LOST');
      expect(a.coordinator.failure!.message).toMatch(/position lost: replication slot .* no longer exists \(it was dropped\)/);

      // The recreated slot starts after row 2 (lost: it was written while no slot existed) and streams on.
      await waitFor(async () => ((await slotRow(pg, recreate.slot))?.active ? true : undefined));
      await pg.sql(`INSERT INTO ${t} VALUES (3)`);
      const events = await b.until((e) => e.length >= 2);
      expect(events.map((e) => (e.after as { id: number }).id)).toEqual([1, 3]);
      expect(events[1]!.source.position).toMatchObject({ g: 1 });
      expect(b.source.comparePositions(events[1]!.source.position, events[0]!.source.position)).toBeGreaterThan(0);
      expect(b.coordinator.state).toBe('running');
    } finally {
      await pg.topology.toxiproxy.up('postgres').catch(() => {});
      await a.stop();
      await b.stop();
      await cleanup(pg, halt);
      await cleanup(pg, recreate);
    }
  });

  it('recognises a slot invalidated by max_slot_wal_keep_size (wal_status lost)', async () => {
    const t = uniqueName('walloss');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY); CREATE TABLE ${t}_filler (pad text)`);
    const config = sourceConfig(pg, { tables: [t] });
    const backend = new MemoryCheckpointBackend();
    const run = await runPipeline(config, { backend });
    await pg.sql(`INSERT INTO ${t} VALUES (1)`);
    await run.until((e) => e.length >= 1);
    await run.stop();
    try {
      await pg.sql(`ALTER SYSTEM SET wal_keep_size = 0`);
      await pg.sql(`ALTER SYSTEM SET max_slot_wal_keep_size = '16MB'`);
      await pg.sql('SELECT pg_reload_conf()');
      // Push well over 16 MB of WAL past the slot, switching segments, then checkpoint so it is removed.
      await waitFor(async () => {
        await pg.sql(`INSERT INTO ${t}_filler SELECT repeat(md5(g::text), 60) FROM generate_series(1, 10000) g`);
        await pg.sql('SELECT pg_switch_wal()');
        await pg.sql('CHECKPOINT');
        return (await slotRow(pg, config.slot))?.wal_status === 'lost' ? true : undefined;
      }, 60_000);
      const error = await startError(config, backend);
      expect(error.code).toBe('TIDEMARK_ERR_SOURCE_POSITION_LOST');
      expect(error.message).toMatch(/position lost: replication slot "\w+" was invalidated \(wal_status = lost\).*max_slot_wal_keep_size.*Re-snapshot required/);
    } finally {
      await pg.sql('ALTER SYSTEM RESET wal_keep_size');
      await pg.sql('ALTER SYSTEM RESET max_slot_wal_keep_size');
      await pg.sql('SELECT pg_reload_conf()');
      await cleanup(pg, config);
    }
  }, 120_000);
});
