import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../../../chaos/src/infra/index.js';
import { MemoryCheckpointBackend } from '../../../../../engine/src/checkpoints/index.js';
import type { ChangeEvent } from '../../../../../engine/src/event/index.js';
import { MemorySink } from '../../../../../engine/src/testing/index.js';
import { seededRandom } from '../../../../../engine/src/util/backoff.js';
import { admin, cdcDsn, Run, startMariadb, until } from '../harness.js';
import { dedupe, KeyedWriter, type Change } from '../workload.js';

let topo: Topology;
let db: mysql.Connection;
let writerDb: mysql.Connection;
let writerDb2: mysql.Connection;

beforeAll(async () => {
  topo = await startMariadb();
  db = await admin(topo);
  writerDb = await admin(topo);
  writerDb2 = await admin(topo);
});

afterAll(async () => {
  await Promise.all([db?.end(), writerDb?.end(), writerDb2?.end()]);
  await topo?.down();
});

/** The table as a map id → v. */
async function tableState(table: string, key = 'id'): Promise<Map<string, number>> {
  const [rows] = await db.query(`SELECT ${key} AS k, v FROM ${table}`);
  return new Map((rows as Array<{ k: unknown; v: number }>).map((r) => [String(r.k), Number(r.v)]));
}

/** What a consumer applying the events in order ends up with: id → v. */
function replay(events: readonly ChangeEvent[], key = 'id'): Map<string, number> {
  const state = new Map<string, number>();
  for (const e of events) {
    if (e.op === 'd') state.delete(String(e.before![key]));
    else if (e.op === 't') state.clear();
    else state.set(String(e.after![key]), Number(e.after!.v));
  }
  return state;
}

/**
 * Per key: the events delivered must be the key's row as of the snapshot (`r`) followed by
 * exactly the changes written after it, or, for keys created later, exactly their changes.
 */
function checkExactlyOnce(events: readonly ChangeEvent[], history: ReadonlyMap<number, Change[]>, preloaded: (key: number) => boolean): string[] {
  const problems: string[] = [];
  const byKey = new Map<number, ChangeEvent[]>();
  for (const e of events) {
    const id = Number((e.op === 'd' ? e.before : e.after)!.id);
    byKey.set(id, [...(byKey.get(id) ?? []), e]);
  }
  const keys = new Set([...byKey.keys(), ...history.keys()]);
  for (const key of keys) {
    const full: Change[] = [...(preloaded(key) ? [{ op: 'c' as const, v: 0 }] : []), ...(history.get(key) ?? [])];
    const got = (byKey.get(key) ?? []).map((e) => ({ op: e.op, v: Number((e.op === 'd' ? e.before : e.after)!.v) }));
    let expected: Array<{ op: string; v: number }>;
    if (got[0]?.op === 'r') {
      // The snapshot saw the state after some change j; everything after j must follow, once.
      const j = full.findIndex((c) => c.op !== 'd' && c.v === got[0]!.v && full.indexOf(c) === full.map((x) => x.op !== 'd' && x.v === got[0]!.v).lastIndexOf(true));
      expected = j < 0 ? [{ op: '?', v: -1 }] : [got[0]!, ...full.slice(j + 1)];
    } else {
      // Absent when the snapshot ran: its changes from the last (re)creation before the first delivered one.
      const start = got.length === 0 ? full.length : full.findIndex((c, i) => c.op === 'c' && c.v === got[0]!.v && (i === 0 || full[i - 1]!.op === 'd'));
      expected = start < 0 ? [{ op: '?', v: -1 }] : full.slice(start);
      if (got.length === 0 && full.length > 0 && full[full.length - 1]!.op !== 'd') expected = full;
    }
    if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`key ${key}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
  }
  return problems;
}

describe('mysql snapshot (MariaDB)', () => {
  it('snapshots 100k rows while writers run: every row exactly once across r and streamed events', async () => {
    await db.query(`
      CREATE TABLE big (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(32));
      INSERT INTO big SELECT seq, 0, 'padding-padding-padding' FROM seq_1_to_100000;
      CREATE TABLE side (id INT PRIMARY KEY, v INT NOT NULL);
      INSERT INTO side SELECT seq, 0 FROM seq_1_to_20000;
      CREATE TABLE textkey (k VARCHAR(12) PRIMARY KEY, v INT NOT NULL);
      INSERT INTO textkey SELECT CONCAT('k', seq), 0 FROM seq_1_to_3000;
    `);
    const bigWriter = new KeyedWriter(writerDb, 'big', 100_500, seededRandom(1));
    bigWriter.preload(Array.from({ length: 100_000 }, (_, i) => i + 1));
    const sideWriter = new KeyedWriter(writerDb2, 'side', 20_100, seededRandom(2));
    sideWriter.preload(Array.from({ length: 20_000 }, (_, i) => i + 1));
    bigWriter.start(0);
    sideWriter.start(0);
    await new Promise((r) => setTimeout(r, 200));

    const run = new Run({
      config: { dsn: cdcDsn(topo), tables: ['tidemark.big', 'tidemark.side', 'tidemark.textkey'], snapshot: { mode: 'initial', max_parallel_tables: 3, chunk_size: 4000 } },
      batch: { max_events: 2000 },
    });
    await run.start();
    try {
      // Streaming has taken over once the source emits its first non-snapshot event.
      await until(() => run.emitted.some((e) => e.op !== 'r'), 'the end of the snapshot', 120_000);
      console.log('snapshot rows', run.emitted.filter((e) => e.op === 'r').length);
      await new Promise((r) => setTimeout(r, 300));
      await Promise.all([bigWriter.stop(), sideWriter.stop()]);
      await db.query("UPDATE textkey SET v = 1 WHERE k = 'k7'");
      const wanted = await tableState('big');
      await until(() => sameMap(replay(run.events.filter((e) => e.source.table === 'big')), wanted), 'stream caught up', 60_000).catch(() => {});
      await until(() => run.events.some((e) => e.source.table === 'textkey' && e.op === 'u'), 'textkey update', 10_000);
    } finally {
      await run.stop();
    }
    const events = run.events;
    expect(dedupe(events).length).toBe(events.length);
    const of = (t: string) => events.filter((e) => e.source.table === t);
    expect(of('big').filter((e) => e.op === 'r').length).toBeLessThanOrEqual(100_500);
    expect(bigWriter.transactions + sideWriter.transactions).toBeGreaterThan(200);
    // Final state per key equals the table, for every table.
    expect(sameMap(replay(of('big')), await tableState('big'))).toBe(true);
    expect(sameMap(replay(of('side')), await tableState('side'))).toBe(true);
    expect(sameMap(replay(of('textkey'), 'k'), await tableState('textkey', 'k'))).toBe(true);
    // And per key, exactly the snapshot row plus the changes after it, once each.
    expect(checkExactlyOnce(of('big'), bigWriter.history, (k) => k <= 100_000).slice(0, 5)).toEqual([]);
    expect(checkExactlyOnce(of('side'), sideWriter.history, (k) => k <= 20_000).slice(0, 5)).toEqual([]);
    // Snapshot rows come first, each its own transaction with a deterministic id.
    const reads = events.filter((e) => e.op === 'r');
    expect(reads.every((e) => e.tx.index === 0 && e.tx.end && /^snapshot:1:tidemark\.\w+:\{"(id|k)":/.test(e.tx.id))).toBe(true);
    const firstStream = events.findIndex((e) => e.op !== 'r');
    expect(events.slice(firstStream).every((e) => e.op !== 'r')).toBe(true);
    for (let i = 1; i < events.length; i++) if (run.source.comparePositions(events[i - 1]!.source.position, events[i]!.source.position) >= 0) throw new Error(`positions not increasing at ${i}`);
  }, 240_000);

  it('resumes an interrupted snapshot at table granularity without losing a row', async () => {
    await db.query(`
      CREATE TABLE r1 (id INT PRIMARY KEY, v INT NOT NULL); INSERT INTO r1 SELECT seq, 0 FROM seq_1_to_30000;
      CREATE TABLE r2 (id INT PRIMARY KEY, v INT NOT NULL); INSERT INTO r2 SELECT seq, 0 FROM seq_1_to_30000;
    `);
    const writer = new KeyedWriter(writerDb, 'r2', 30_100, seededRandom(3));
    writer.preload(Array.from({ length: 30_000 }, (_, i) => i + 1));
    writer.start(0);
    const backend = new MemoryCheckpointBackend();
    const sink = new MemorySink('sink');
    const config = { dsn: cdcDsn(topo), tables: ['tidemark.r1', 'tidemark.r2'], snapshot: { mode: 'initial' as const, max_parallel_tables: 2, chunk_size: 1000 } };
    const first = new Run({ config, backend, sink, batch: { max_events: 500, max_inflight: 1 } });
    sink.delayMs = 2;
    await first.start();
    await until(() => sink.events.some((e) => e.source.table === 'r2'), 'rows of the second table');
    await first.crash();
    sink.delayMs = 0;
    const second = new Run({ config, backend, sink });
    await second.start();
    try {
      await until(() => second.events.length > 0 && second.emitted.some((e) => e.op !== 'r'), 'streaming after the resumed snapshot', 60_000);
      await writer.stop();
      const wanted = await tableState('r2');
      await until(() => sameMap(replay(sink.events.filter((e) => e.source.table === 'r2')), wanted), 'r2 caught up', 30_000).catch(() => {});
    } finally {
      await writer.stop();
      await second.stop();
    }
    // The second run re-read only the table that was cut off, whole.
    expect(second.emitted.filter((e) => e.op === 'r' && e.source.table === 'r1').length).toBe(0);
    expect(second.emitted.filter((e) => e.op === 'r' && e.source.table === 'r2').length).toBeGreaterThan(29_000);
    expect(sameMap(replay(sink.events.filter((e) => e.source.table === 'r1')), await tableState('r1'))).toBe(true);
    expect(sameMap(replay(sink.events.filter((e) => e.source.table === 'r2')), await tableState('r2'))).toBe(true);
  }, 180_000);
});

function sameMap(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}
