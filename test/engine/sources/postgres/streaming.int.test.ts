import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNCHANGED_TOAST_VALUE, unchangedToastColumns } from '../../../../engine/src/sources/postgres/index.js';
import { cleanup, inTransaction, runPipeline, sourceConfig, startPostgres, uniqueName, type PgFixture } from './harness.js';

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe('postgres source: streaming', () => {
  it('delivers a multi-table transaction contiguous, with one tx id, indexes 0..n-1 and end on the last change', async () => {
    const a = uniqueName('orders');
    const b = uniqueName('lines');
    await pg.sql(`CREATE TABLE ${a} (id int PRIMARY KEY, total numeric(10,2)); CREATE TABLE ${b} (id int PRIMARY KEY, order_id int, sku text)`);
    const config = sourceConfig(pg, { tables: [`public.${a}`, `public.${b}`] });
    const run = await runPipeline(config);
    try {
      await pg.sql(`INSERT INTO ${a} VALUES (99, 1)`);
      const xid = await inTransaction(pg, [
        `INSERT INTO ${a} VALUES (1, 10.50)`,
        `INSERT INTO ${b} VALUES (1, 1, 'x')`,
        `INSERT INTO ${b} VALUES (2, 1, 'y')`,
        `UPDATE ${a} SET total = 11 WHERE id = 1`,
        `DELETE FROM ${b} WHERE id = 2`,
      ]);
      const events = await run.until((e) => e.length >= 6);
      const tx = events.slice(1);
      expect(tx.map((e) => [e.source.table, e.op])).toEqual([
        [a, 'c'],
        [b, 'c'],
        [b, 'c'],
        [a, 'u'],
        [b, 'd'],
      ]);
      expect(new Set(tx.map((e) => e.tx.id))).toEqual(new Set([String(xid)]));
      expect(tx.map((e) => e.tx.index)).toEqual([0, 1, 2, 3, 4]);
      expect(tx.map((e) => e.tx.end)).toEqual([false, false, false, false, true]);
      expect(events[0]!.tx).toMatchObject({ index: 0, end: true });
      expect(tx[0]!.after).toEqual({ id: 1, total: '10.50' });
      expect(tx[4]!.before).toEqual({ id: 2 });
      expect(tx[0]!.source).toMatchObject({ connector: 'postgres', db: 'tidemark', table: a, position: { schema: 'public', xid } });
      expect(tx[4]!.source.position).toHaveProperty('end');
      expect(tx[3]!.source.position).not.toHaveProperty('end');
    } finally {
      await run.stop();
      await cleanup(pg, config);
    }
  });

  it('gives before images per replica identity: keys with DEFAULT, whole rows with FULL', async () => {
    const d = uniqueName('ident_default');
    const f = uniqueName('ident_full');
    await pg.sql(`CREATE TABLE ${d} (id int PRIMARY KEY, v text); CREATE TABLE ${f} (id int PRIMARY KEY, v text); ALTER TABLE ${f} REPLICA IDENTITY FULL`);
    await pg.sql(`INSERT INTO ${d} VALUES (1, 'a'), (2, 'b'); INSERT INTO ${f} VALUES (1, 'a'), (2, 'b')`);
    const config = sourceConfig(pg, { tables: [d, f] });
    const run = await runPipeline(config);
    try {
      for (const t of [d, f]) await pg.sql(`UPDATE ${t} SET v = 'a2' WHERE id = 1; UPDATE ${t} SET id = 3 WHERE id = 2; DELETE FROM ${t} WHERE id = 1`);
      const events = await run.until((e) => e.length >= 6);
      const byTable = (t: string) => events.filter((e) => e.source.table === t).map((e) => [e.op, e.before, e.after]);
      expect(byTable(d)).toEqual([
        ['u', { id: 1 }, { id: 1, v: 'a2' }],
        ['u', { id: 2 }, { id: 3, v: 'b' }],
        ['d', { id: 1 }, null],
      ]);
      expect(byTable(f)).toEqual([
        ['u', { id: 1, v: 'a' }, { id: 1, v: 'a2' }],
        ['u', { id: 2, v: 'b' }, { id: 3, v: 'b' }],
        ['d', { id: 1, v: 'a2' }, null],
      ]);
      expect(events.every((e) => e.primaryKey.join() === 'id')).toBe(true);
    } finally {
      await run.stop();
      await cleanup(pg, config);
    }
  });

  it('marks unchanged TOAST values instead of inventing them, and takes them from a FULL before image', async () => {
    const d = uniqueName('toast_default');
    const f = uniqueName('toast_full');
    for (const t of [d, f]) {
      await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY, big text, n int); ALTER TABLE ${t} ALTER COLUMN big SET STORAGE EXTERNAL`);
      await pg.sql(`INSERT INTO ${t} VALUES (1, repeat('x', 10000), 0)`);
    }
    await pg.sql(`ALTER TABLE ${f} REPLICA IDENTITY FULL`);
    const config = sourceConfig(pg, { tables: [d, f] });
    const run = await runPipeline(config);
    try {
      await pg.sql(`UPDATE ${d} SET n = 1; UPDATE ${f} SET n = 1`);
      const events = await run.until((e) => e.length >= 2);
      const [ud, uf] = [events.find((e) => e.source.table === d)!, events.find((e) => e.source.table === f)!];
      expect(ud.after).toEqual({ id: 1, big: UNCHANGED_TOAST_VALUE, n: 1 });
      expect(unchangedToastColumns(ud.after)).toEqual(['big']);
      expect(uf.before).toEqual({ id: 1, big: 'x'.repeat(10000), n: 0 });
      expect(uf.after).toEqual({ id: 1, big: 'x'.repeat(10000), n: 1 });
    } finally {
      await run.stop();
      await cleanup(pg, config);
    }
  });

  it('turns logical messages with a configured prefix into outbox events, inside their transaction', async () => {
    const t = uniqueName('outboxed');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const config = sourceConfig(pg, { tables: [t], outbox: { prefixes: ['outbox%'] } });
    const run = await runPipeline(config);
    try {
      const xid = await inTransaction(pg, [
        `INSERT INTO ${t} VALUES (1)`,
        `SELECT pg_logical_emit_message(true, 'ignored', 'x')`,
        `SELECT pg_logical_emit_message(true, 'outbox.orders', '{"aggregate_id": "42", "event_type": "OrderCreated"}')`,
      ]);
      await pg.sql(`SELECT pg_logical_emit_message(false, 'outbox_nt', 'plain text')`);
      const events = await run.until((e) => e.length >= 3);
      expect(events.map((e) => [e.source.table, e.tx.id === String(xid), e.tx.index, e.tx.end, e.outbox?.match ?? null])).toEqual([
        [t, true, 0, false, null],
        ['outbox.orders', true, 2, true, 'outbox.orders'],
        ['outbox_nt', false, 0, true, 'outbox_nt'],
      ]);
      expect(events[1]!.after).toEqual({ aggregate_id: '42', event_type: 'OrderCreated' });
      expect(events[2]!.after).toEqual({ payload: 'plain text' });
      expect(events[2]!.tx.id).toMatch(/^msg:/);
    } finally {
      await run.stop();
      await cleanup(pg, config);
    }
  });

  it('emits truncates per relation and bumps the schema version when a column is added', async () => {
    const t = uniqueName('evolving');
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY)`);
    const config = sourceConfig(pg, { tables: [t] });
    const run = await runPipeline(config);
    try {
      await pg.sql(`INSERT INTO ${t} VALUES (1)`);
      // A type the source has never seen: the stream waits for its pg_type lookup.
      await pg.sql(`CREATE TYPE ${t}_state AS ENUM ('new', 'done'); ALTER TABLE ${t} ADD COLUMN note text DEFAULT 'n', ADD COLUMN states ${t}_state[] DEFAULT '{new,done}'`);
      await pg.sql(`INSERT INTO ${t} VALUES (2)`);
      await pg.sql(`TRUNCATE ${t}`);
      const events = await run.until((e) => e.length >= 3);
      expect(events.map((e) => [e.op, e.after])).toEqual([
        ['c', { id: 1 }],
        ['c', { id: 2, note: 'n', states: ['new', 'done'] }],
        ['t', null],
      ]);
      expect(events[1]!.schemaVersion).toBe(events[0]!.schemaVersion! + 1);
      const stored = await run.backend.forPipeline('pgtest').kv.get<{ version: number; columns: unknown[] }>(`postgres:${config.id}:schemas`, `public.${t}`);
      expect(stored).toMatchObject({ version: events[1]!.schemaVersion, columns: [{ name: 'id', type: 'int4' }, { name: 'note', type: 'text' }, { name: 'states', type: `_${t}_state` }] });
    } finally {
      await run.stop();
      await cleanup(pg, config);
    }
  });
});
