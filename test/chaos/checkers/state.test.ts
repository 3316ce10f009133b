import { describe, expect, it } from 'vitest';
import { stateChecker, type FinalSource } from '../../../chaos/src/checkers/index.js';
import type { RowImage, SinkRecord } from '../../../chaos/src/history/index.js';
import { healthyFacts, recordsOf, resequence, sinkHistory, World } from './world.js';

/** What the source tables hold after the transactions that took effect. */
function finalOf(w: World, uncertain: string[] = []): FinalSource {
  const tables = new Map<string, Map<string, RowImage>>();
  for (const t of w.happened) {
    for (const v of t.versions) {
      const rows = tables.get(v.table) ?? new Map<string, RowImage>();
      tables.set(v.table, rows);
      if (v.after) rows.set(v.key, v.after);
      else rows.delete(v.key);
    }
  }
  return { tables, uncertain: new Set(uncertain) };
}

function world(): World {
  const w = new World();
  w.txn('ok', (t) => { t.insert('accounts', 1, { doc: { a: 1 } }); t.insert('accounts', 2); t.insert('orders', 1); });
  w.txn('ok', (t) => t.update('accounts', 1));
  w.txn('ok', (t) => t.delete('accounts', 2));
  w.txn('ok', (t) => t.update('orders', 1));
  return w;
}

function check(w: World, records: readonly SinkRecord[], final: FinalSource | null = finalOf(w)) {
  return stateChecker.check({ source: w.history(), sinks: [sinkHistory(resequence(records))], faults: [], facts: healthyFacts(['redis']), ...(final ? { finalSource: final } : {}) })[0]!;
}

describe('state', () => {
  it('is valid when applying the stream in order reproduces every row, every column', () => {
    const w = world();
    expect(check(w, recordsOf(w.happened))).toMatchObject({ validity: 'valid', counts: { rows: 2, missing: 0, extra: 0, differing: 0 } });
  });

  it('accepts a replayed suffix (order kept) and faithful re-encodings', () => {
    const w = world();
    const records = recordsOf(w.happened);
    const encoded = records.map((r) => (r.after ? { ...r, after: { ...r.after, amount: Number(r.after.amount), id: String(r.after.id) } } : r));
    expect(check(w, [...encoded, ...encoded.slice(2)]).validity).toBe('valid');
  });

  it('catches a lost update (the row keeps an old value) and names the column', () => {
    const w = world();
    const records = recordsOf(w.happened).filter((r) => !(r.table === 'orders' && r.op === 'u'));
    const v = check(w, records);
    expect(v).toMatchObject({ validity: 'invalid', counts: { differing: 1 } });
    expect(v.examples[0]).toMatchObject({ problem: 'column differs', table: 'orders', key: '{"id":1}', column: 'version', source: 2 });
  });

  it('catches a lost delete (a row the source does not hold) and a lost insert', () => {
    const w = world();
    const noDelete = recordsOf(w.happened).filter((r) => r.op !== 'd');
    expect(check(w, noDelete)).toMatchObject({ validity: 'invalid', counts: { extra: 1 } });
    const noInsert = recordsOf(w.happened).filter((r) => !(r.table === 'orders'));
    expect(check(w, noInsert)).toMatchObject({ validity: 'invalid', counts: { missing: 1 } });
  });

  it('catches the same versions applied out of order', () => {
    const w = world();
    const records = recordsOf(w.happened);
    const i = records.findIndex((r) => r.table === 'accounts' && r.op === 'u');
    const swapped = [...records];
    const insert = swapped.findIndex((r) => r.table === 'accounts' && r.key === records[i]!.key && r.op === 'c');
    [swapped[insert], swapped[i]] = [swapped[i]!, swapped[insert]!];
    expect(check(w, swapped).validity).toBe('invalid');
  });

  it('keeps the previous value for an unchanged-TOAST marker, and fails when there is none', () => {
    const w = world();
    const records = recordsOf(w.happened);
    const marked = records.map((r) => (r.table === 'accounts' && r.op === 'u' ? { ...r, after: { ...r.after!, doc: '__tidemark_unchanged_toast__' } } : r));
    expect(check(w, marked).validity).toBe('valid');
    const orphan = marked.filter((r) => !(r.table === 'accounts' && r.op === 'c'));
    expect(check(w, orphan).validity).toBe('invalid');
  });

  it('skips rows an unresolved indeterminate transaction touched, and is unknown without the final state', () => {
    const w = world();
    const records = recordsOf(w.happened).filter((r) => !(r.table === 'orders' && r.op === 'u'));
    expect(check(w, records, finalOf(w, ['orders {"id":1}'])).validity).toBe('valid');
    expect(check(w, records, null)).toMatchObject({ validity: 'unknown' });
  });
});
