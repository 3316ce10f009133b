/**
 * The realism tables on the real servers: every column type round-trips through the driver to
 * the JSON form the history records (what the source must report), large values stay large,
 * updates leave some of them alone, a table without a primary key takes updates and deletes, and
 * multi-thousand-row transactions commit whole.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { mysqlOptions, pgOptions } from '../../../chaos/src/infra/index.js';
import { expectedState, readSourceState, startWorkload, type ConnectionOptions, type SourceKind } from '../../../chaos/src/workload/index.js';
import { UNCHANGED_TOAST } from '../../../chaos/src/workload/planner.js';
import { useTopology } from '../../support/infra.js';

const infra = useTopology(['mysql', 'postgres']);

function connectionFor(source: SourceKind): ConnectionOptions {
  return source === 'mysql' ? mysqlOptions(infra().get('mysql'), 'direct') : pgOptions(infra().get('postgres'), 'direct');
}

describe.each(['mysql', 'postgres'] as const)('realism tables on %s', (source) => {
  it('every value reads back as the history recorded it; large transactions commit whole', async () => {
    const database = 'wl_realism';
    const handle = await startWorkload({
      source, connection: connectionFor(source), database, writers: 3, rate: 200, durationS: 6, seed: 5,
      tables: ['realism'], largeTx: { probability: 0.05, rows: [1500, 2500] }, keysPerTable: 6,
    });
    const history = await handle.done();
    expect(handle.counters()).toMatchObject({ fail: 0, info: 0 });
    const tables = new Set(history.txns.flatMap((t) => t.versions.map((v) => v.table)));
    expect([...tables].sort()).toEqual(['chaos_accounts', 'chaos_bulk', 'chaos_docs', 'chaos_docs_full', 'chaos_events', 'chaos_nopk', 'chaos_orders', 'chaos_types', 'chaos_wide']);
    expect(Math.max(...history.txns.map((t) => t.versions.length))).toBeGreaterThanOrEqual(1500);

    const versions = history.txns.flatMap((t) => t.versions);
    // Large values both ways: TOAST-sized ones, and updates that left one alone.
    expect(versions.some((v) => v.table === 'chaos_docs_full' && typeof v.after?.body === 'string' && v.after.body.length >= 8000)).toBe(true);
    const markers = versions.filter((v) => v.op === 'u' && v.after && Object.values(v.after).includes(UNCHANGED_TOAST));
    if (source === 'postgres') {
      expect(markers.length).toBeGreaterThan(0);
      expect(markers.every((v) => v.table === 'chaos_docs')).toBe(true);
      // Default identity: the source reports the key alone as the before image.
      expect(versions.find((v) => v.table === 'chaos_docs' && v.op === 'u')?.before).toEqual({ id: expect.any(Number) });
    } else expect(markers).toEqual([]);
    expect(versions.some((v) => v.table === 'chaos_nopk' && v.op === 'd')).toBe(true);

    const expected = expectedState(history);
    const actual = await readSourceState({ source, connection: connectionFor(source), database }, handle.tables());
    for (const table of handle.tables()) expect(actual.get(table.name), table.name).toEqual(expected.rows.get(table.name) ?? new Map());

    if (source === 'postgres') {
      // The large columns really are stored out of line: their TOAST table holds data.
      const c = new pg.Client(connectionFor(source));
      await c.connect();
      const { rows } = await c.query("SELECT pg_relation_size(reltoastrelid) AS toast FROM pg_class WHERE relname = 'chaos_docs' AND relnamespace = 'wl_realism'::regnamespace");
      await c.end();
      expect(Number(rows[0]!.toast)).toBeGreaterThan(0);
    }
  }, 120_000);
});
