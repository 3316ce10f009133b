import { describe, expect, it } from 'vitest';
import { phantomChecker } from '../../../chaos/src/checkers/index.js';
import type { SinkRecord } from '../../../chaos/src/history/index.js';
import { healthyFacts, recordOf, recordsOf, resequence, sinkHistory, World } from './world.js';

function world(): World {
  const w = new World();
  w.txn('ok', (t) => t.insert('accounts', 1, { doc: { tags: ['a'], n: 1 } }));
  w.txn('ok', (t) => t.update('accounts', 1));
  w.txn('ok', (t) => t.delete('accounts', 1));
  return w;
}

function check(w: World, records: readonly SinkRecord[]) {
  return phantomChecker.check({ source: w.history(), sinks: [sinkHistory(resequence(records))], faults: [], facts: healthyFacts(['redis']) })[0]!;
}

describe('phantom', () => {
  it('is valid when every record is a version the source wrote', () => {
    const w = world();
    expect(check(w, recordsOf(w.happened))).toMatchObject({ validity: 'valid', counts: { records: 3, wrongImage: 0 } });
  });

  it('accepts equally faithful encodings (numeric strings, JSON key order, timestamps)', () => {
    const w = world();
    const records = recordsOf(w.happened).map((r) => (r.op === 'c' ? { ...r, after: { ...r.after!, id: '1', amount: 1.5, doc: '{"n":1,"tags":["a"]}' } } : r));
    expect(check(w, records).validity).toBe('valid');
  });

  it('catches a wrong after image and names the column', () => {
    const w = world();
    const records = recordsOf(w.happened).map((r) => (r.op === 'u' ? { ...r, after: { ...r.after!, amount: '2.49' } } : r));
    const v = check(w, records);
    expect(v).toMatchObject({ validity: 'invalid', counts: { wrongImage: 1 } });
    expect(v.examples[0]).toMatchObject({ problem: 'image differs from what the source wrote', column: 'after.amount', expected: '2.50', actual: '2.49', version: 2, sourceTxn: 2 });
  });

  it('catches a wrong before image of an update or delete', () => {
    const w = world();
    const records = recordsOf(w.happened).map((r) => (r.op === 'd' ? { ...r, before: { ...r.before!, note: 'v1' } } : r));
    expect(check(w, records).examples[0]).toMatchObject({ column: 'before.note', op: 'd' });
  });

  it('catches an insert that carries a before image, and a delete that carries an after image', () => {
    const w = world();
    const base = recordsOf(w.happened);
    expect(check(w, [{ ...base[0]!, before: { id: 1 } }, base[1]!, base[2]!]).examples[0]).toMatchObject({ column: 'before.(image)' });
    expect(check(w, [base[0]!, base[1]!, { ...base[2]!, after: { id: 1 } }]).examples[0]).toMatchObject({ column: 'after.(image)' });
  });

  it('catches a record no source version has, and one without a version', () => {
    const w = world();
    const base = recordsOf(w.happened);
    const v = check(w, [...base, { ...base[0]!, key: '{"id":99}' }, { ...base[1]!, version: 7 }, { ...base[1]!, version: null }]);
    expect(v.counts).toMatchObject({ notWritten: 2, unversioned: 1 });
  });

  it('catches the version of a failed transaction', () => {
    const w = world();
    const failed = w.txn('fail', (t) => t.insert('accounts', 5));
    const v = check(w, [...recordsOf(w.happened), recordOf(failed, failed.versions[0]!, 0, 0, null)]);
    expect(v).toMatchObject({ validity: 'invalid', counts: { failedVersion: 1 } });
    expect(v.examples[0]).toMatchObject({ problem: 'version of a failed transaction', sourceTxn: 4, error: 'rolled back' });
  });

  it('catches an info version the workload resolved as rolled back', () => {
    const w = world();
    const rolledBack = w.txn('info', (t) => t.insert('accounts', 5), { resolution: 'rolled-back', happened: false });
    const v = check(w, [...recordsOf(w.happened), recordOf(rolledBack, rolledBack.versions[0]!, 0, 0, null)]);
    expect(v.examples[0]).toMatchObject({ problem: 'version of an indeterminate transaction a later read showed rolled back', sourceTxn: 4 });
  });

  it('accepts an info version that arrived', () => {
    const w = world();
    w.txn('info', (t) => t.insert('accounts', 5));
    expect(check(w, recordsOf(w.happened)).validity).toBe('valid');
  });

  it('matches a snapshot read against the write it shows, and ignores truncates', () => {
    const w = world();
    const [c] = recordsOf(w.happened);
    const read = { ...c!, op: 'r' as const };
    expect(check(w, [read, { ...c!, op: 't' as const, version: null }]).validity).toBe('valid');
    expect(check(w, [{ ...read, after: { ...read.after!, note: 'x' } }]).validity).toBe('invalid');
  });
});
