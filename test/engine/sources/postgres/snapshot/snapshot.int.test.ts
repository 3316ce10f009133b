import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend, sinkCheckpointKey } from '../../../../../engine/src/checkpoints/index.js';
import type { ChangeEvent } from '../../../../../engine/src/event/index.js';
import { MemorySink } from '../../../../../engine/src/testing/index.js';
import { cleanup, runPipeline, sourceConfig, startPostgres, uniqueName, waitFor, type PgFixture } from '../harness.js';

let pg0: PgFixture;
beforeAll(async () => {
  pg0 = await startPostgres();
});
afterAll(async () => {
  await pg0?.stop();
});

/** Applies events in order per key: the final image of every key, and a check that each key's version only grows. */
function replay(events: readonly ChangeEvent[], table: string): { state: Map<number, number>; regressions: string[]; duplicateReads: number[] } {
  const state = new Map<number, number>();
  const seenVersion = new Map<number, number>();
  const reads = new Map<number, number>();
  const regressions: string[] = [];
  for (const e of events) {
    if (e.source.table !== table) continue;
    const image = (e.op === 'd' ? e.before : e.after) as { id: number; v?: number };
    if (e.op === 'r') reads.set(image.id, (reads.get(image.id) ?? 0) + 1);
    if (e.op === 'd') {
      state.delete(image.id);
      continue;
    }
    const v = image.v!;
    const previous = seenVersion.get(image.id);
    if (previous !== undefined && v <= previous) regressions.push(`id ${image.id}: version ${v} after ${previous} (${e.op})`);
    seenVersion.set(image.id, v);
    state.set(image.id, v);
  }
  return { state, regressions, duplicateReads: [...reads].filter(([, n]) => n > 1).map(([id]) => id) };
}

async function tableState(fixture: PgFixture, table: string): Promise<Map<number, number>> {
  const rows = await fixture.sql(`SELECT id, v FROM ${table}`);
  return new Map(rows.map((r) => [r.id as number, r.v as number]));
}

describe('postgres source: snapshot', () => {
  it('snapshots 100k rows under concurrent writes: each row once, and per key the final state equals the table', async () => {
    const t = uniqueName('snap100k');
    await pg0.sql(`CREATE TABLE ${t} (id int PRIMARY KEY, v int NOT NULL, pad text)`);
    await pg0.sql(`INSERT INTO ${t} SELECT g, 1, repeat('p', 40) FROM generate_series(1, 100000) g`);
    const config = sourceConfig(pg0, { tables: [t], snapshot: { mode: 'initial', chunk_size: 5000, max_parallel_tables: 4 } });

    // Writers keep changing the table (v = per-key version) from before the slot exists until well after the snapshot.
    let writing = true;
    let nextId = 100001;
    const writer = new pg.Client({ connectionString: pg0.directDsn });
    await writer.connect();
    const writes = (async () => {
      while (writing) {
        const id = 1 + Math.floor(Math.random() * 100000);
        await writer.query(`BEGIN`);
        await writer.query(`UPDATE ${t} SET v = v + 1 WHERE id = $1`, [id]);
        await writer.query(`INSERT INTO ${t} VALUES ($1, 1, 'new')`, [nextId++]);
        if (Math.random() < 0.2) await writer.query(`DELETE FROM ${t} WHERE id = $1`, [1 + Math.floor(Math.random() * 100000)]);
        await writer.query(`COMMIT`);
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const run = await runPipeline(config, { maxEvents: 2000 });
    try {
      await run.until((e) => e.filter((x) => x.op === 'r').length >= 90_000, 120_000);
      await new Promise((r) => setTimeout(r, 500));
      writing = false;
      await writes;
      await pg0.sql(`UPDATE ${t} SET v = v + 1 WHERE id = (SELECT max(id) FROM ${t})`);
      const expected = await tableState(pg0, t);
      const maxId = Math.max(...expected.keys());
      await run.until((e) => e.some((x) => x.op === 'u' && (x.after as { id: number }).id === maxId && (x.after as { v: number }).v === expected.get(maxId)), 60_000);
      const events = run.events();
      const { state, regressions, duplicateReads } = replay(events, t);
      expect(duplicateReads).toEqual([]);
      expect(regressions.slice(0, 5)).toEqual([]);
      expect(state.size).toBe(expected.size);
      expect([...state].filter(([id, v]) => expected.get(id) !== v).slice(0, 5)).toEqual([]);
      const reads = events.filter((e) => e.op === 'r');
      expect(reads.length).toBeGreaterThan(90_000);
      // Snapshot rows come first, then the stream; positions never go backwards.
      expect(events.findIndex((e) => e.op !== 'r')).toBe(reads.length);
      for (let i = 1; i < events.length; i++) expect(run.source.comparePositions(events[i - 1]!.source.position, events[i]!.source.position)).toBeLessThan(0);
    } finally {
      writing = false;
      await writes.catch(() => {});
      await writer.end();
      await run.stop();
      await cleanup(pg0, config);
    }
  }, 240_000);

  it('resumes an interrupted snapshot per table: finished tables are not read again', async () => {
    const names = [uniqueName('snap_a'), uniqueName('snap_b'), uniqueName('snap_c')];
    for (const [k, n] of names.entries()) {
      await pg0.sql(`CREATE TABLE ${n} (id int PRIMARY KEY, v int NOT NULL)`);
      await pg0.sql(`INSERT INTO ${n} SELECT g, 1 FROM generate_series(1, ${1000 * (k + 1)}) g`);
    }
    const config = sourceConfig(pg0, { tables: names, snapshot: { mode: 'initial', chunk_size: 500, max_parallel_tables: 1 } });
    const backend = new MemoryCheckpointBackend();
    const sink = new MemorySink('mem');
    sink.beforeDeliver = (batch) => (batch.events.some((e) => e.source.table === names[1]) ? 'drop' : undefined);
    const first = await runPipeline(config, { backend, sink, maxEvents: 250 });
    const key = sinkCheckpointKey(config.id, 'mem');
    // The first table is durable (checkpointed through its last row, sn 1000); the second never gets stored.
    await waitFor(async () => (((await backend.forPipeline('pgtest').load(key))?.position as { sn?: number } | undefined)?.sn === 1000 ? true : undefined));
    first.coordinator.crash();
    await first.source.stop();
    await pg0.sql(`UPDATE ${names[0]} SET v = 2 WHERE id = 1; UPDATE ${names[2]} SET v = 2 WHERE id = 1`);

    const second = await runPipeline(config, { backend });
    try {
      const events = await second.until((e) => e.filter((x) => x.op === 'r').length >= 5000 && e.filter((x) => x.op === 'u').length >= 1);
      const readsOf = (n: string) => events.filter((e) => e.op === 'r' && e.source.table === n).length;
      expect([readsOf(names[0]!), readsOf(names[1]!), readsOf(names[2]!)]).toEqual([0, 2000, 3000]);
      // The update of the re-read table is in its snapshot; the finished table's comes from the stream.
      const updates = events.filter((e) => e.op === 'u');
      expect(updates.map((e) => e.source.table)).toEqual([names[0]]);
      expect(events.find((e) => e.op === 'r' && e.source.table === names[2] && (e.after as { id: number }).id === 1)!.after).toEqual({ id: 1, v: 2 });
      expect((events[0]!.source.position as { se: number }).se).toBe(2);
    } finally {
      await second.stop();
      await cleanup(pg0, config);
    }
  }, 120_000);

  it('re-snapshots on every start with mode always, after what was already delivered', async () => {
    const t = uniqueName('snap_always');
    await pg0.sql(`CREATE TABLE ${t} (id int PRIMARY KEY, v int NOT NULL); INSERT INTO ${t} SELECT g, 1 FROM generate_series(1, 10) g`);
    const config = sourceConfig(pg0, { tables: [t], snapshot: { mode: 'always' } });
    const backend = new MemoryCheckpointBackend();
    const first = await runPipeline(config, { backend });
    await first.until((e) => e.length >= 10);
    await pg0.sql(`INSERT INTO ${t} VALUES (11, 1)`);
    await first.until((e) => e.length >= 11);
    await first.stop();
    const second = await runPipeline(config, { backend });
    try {
      const events = await second.until((e) => e.length >= 11);
      expect(events.map((e) => e.op)).toEqual(Array(11).fill('r'));
      const last = first.events().at(-1)!.source.position;
      expect(second.source.comparePositions(events[0]!.source.position, last)).toBeGreaterThan(0);
    } finally {
      await second.stop();
      await cleanup(pg0, config);
    }
  });
});
