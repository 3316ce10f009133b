import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../../chaos/src/workload/recorder.js';
import { Gate } from '../../../chaos/src/workload/pacing.js';
import { Rng } from '../../../chaos/src/workload/rng.js';
import { ACCOUNTS, ORDERS, SchemaModel } from '../../../chaos/src/workload/schema.js';
import { parseSettings } from '../../../chaos/src/workload/settings.js';
import { decimalString, rowImage } from '../../../chaos/src/workload/values.js';

describe('values', () => {
  it('writes decimals with exactly the column scale, within its precision', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 18 }), fc.integer({ min: 0, max: 6 }), (seed, precision, scaleSeed) => {
        const scale = Math.min(scaleSeed, precision - 1);
        const s = decimalString([precision, scale], new Rng(seed));
        expect(s).toMatch(scale === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${scale}}$`));
        expect(s.replace(/^-/, '').split('.')[0]!.replace(/^0+(?=\d)/, '').length).toBeLessThanOrEqual(precision - scale);
        expect(s).not.toMatch(/^-0(\.0*)?$/);
      }),
    );
  });

  it('builds a full row: key, writer and version columns, every other column filled from the seed', () => {
    const a = rowImage(ORDERS, 3, 7, 12, new Rng(1));
    expect(a).toMatchObject({ writer: 3, seq: 7, version: 12 });
    expect(Object.keys(a)).toEqual(ORDERS.columns.map((c) => c.name));
    expect(rowImage(ORDERS, 3, 7, 12, new Rng(1))).toEqual(a);
    expect(rowImage(ACCOUNTS, 2, 1, 1, new Rng(1))).toMatchObject({ id: 200_001, doc: { w: 2, k: 1, v: 1 } });
  });
});

describe('SchemaModel', () => {
  it('conforms stored rows to the current shape and protects key and bookkeeping columns', () => {
    const schema = new SchemaModel();
    schema.addColumn('chaos_orders', { name: 'extra', kind: 'int' });
    schema.dropColumn('chaos_orders', 'status');
    expect(schema.conform('chaos_orders', { writer: 1, seq: 2, version: 3, amount: '1.00', status: 'new' })).toEqual({ writer: 1, seq: 2, version: 3, amount: '1.00', extra: null });
    expect(() => schema.dropColumn('chaos_orders', 'version')).toThrow(/cannot drop chaos_orders.version/);
    expect(() => schema.dropColumn('chaos_orders', 'nope')).toThrow(/has no column "nope"/);
    expect(() => schema.addColumn('chaos_orders', { name: 'extra', kind: 'int' })).toThrow(/already has/);
    expect(() => schema.table('other')).toThrow(/unknown workload table "other"/);
  });
});

describe('Gate', () => {
  it('close() waits for running txns; enter() waits while closed', async () => {
    const gate = new Gate();
    const order: string[] = [];
    await gate.enter();
    const closing = gate.close().then(() => order.push('closed'));
    const entering = gate.enter().then(() => order.push('entered'));
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]);
    gate.leave();
    await closing;
    expect(order).toEqual(['closed']);
    await expect(gate.close()).rejects.toThrow(/already paused/);
    gate.open();
    await entering;
    expect(order).toEqual(['closed', 'entered']);
  });
});

describe('settings', () => {
  it('fills defaults and names bad fields', () => {
    expect(parseSettings({})).toMatchObject({ writers: 4, rate: 50, seed: 1, rowsPerTx: [1, 4], keysPerTable: 16, mix: { insert: 3, update: 5, delete: 2 } });
    expect(() => parseSettings({ rowsPerTx: [3, 1] })).toThrow(/rowsPerTx: rowsPerTx must be \[min, max\]/);
    expect(() => parseSettings({ writers: 0, mix: { insert: 0 } })).toThrow(/writers: .*; mix: mix.insert must be positive/);
    expect(() => parseSettings({ rate: 5, speed: 3 } as never)).toThrow(/speed/);
  });
});

describe('HistoryRecorder', () => {
  it('keeps txns in invocation order with live counters', () => {
    const r = new HistoryRecorder('postgres', 's1', { t: ['id'] }, { t: ['id'] });
    const v = { table: 't', key: '{"id":1}', version: 1, op: 'c' as const, writer: 1, before: null, after: { id: 1 } };
    const a = r.invoke(1, [v, v]);
    const b = r.invoke(2, [v]);
    expect(r.counters()).toMatchObject({ inFlight: 2, ok: 0 });
    r.complete(b, { outcome: 'info', error: 'connection lost' });
    r.complete(a, { outcome: 'ok' });
    r.resolve(b, 'committed');
    expect(r.counters()).toMatchObject({ ok: 1, info: 1, fail: 0, rowsWritten: 2, inFlight: 0, lastError: 'connection lost' });
    expect(r.history().txns.map((t) => [t.id, t.outcome, t.resolution])).toEqual([[a, 'ok', undefined], [b, 'info', 'committed']]);
    expect(() => r.complete(a, { outcome: 'ok' })).toThrow(/completed twice/);
  });
});
