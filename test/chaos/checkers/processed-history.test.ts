import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { processedHistory } from '../../../chaos/src/checkers/processed-history.js';
import type { RowVersion, SourceHistory, SourceTxn } from '../../../chaos/src/history/index.js';

/** The processors of the `processors` chaos scenario, as its pipeline template declares them. */
const scenarioPipeline = parse(readFileSync('scenarios/pipelines/processors.yaml', 'utf8')) as Record<string, unknown>;

const version = (table: string, key: number, v: number, op: RowVersion['op'], after: Record<string, unknown> | null, before: Record<string, unknown> | null = null): RowVersion => ({
  table, key: `{"id":${key}}`, version: v, op, writer: 1, after, before,
});
const txn = (id: number, versions: RowVersion[], outcome: SourceTxn['outcome'] = 'ok'): SourceTxn => ({ id, writer: 1, versions, outcome, invokedAt: id, completedAt: id + 1 });

const history: SourceHistory = {
  source: 'mysql',
  database: 'chaos_db',
  primaryKeys: { chaos_accounts: ['id'], chaos_orders: ['writer', 'seq'], chaos_events: ['id'] },
  txns: [
    txn(1, [
      version('chaos_accounts', 1, 1, 'c', { id: 1, writer: 1, version: 1, note: 'wave 🌊 w1k1v1' }),
      version('chaos_orders', 2, 1, 'c', { writer: 1, seq: 2, version: 1, status: 'new' }),
    ]),
    txn(2, [
      version('chaos_orders', 2, 2, 'u', { writer: 1, seq: 2, version: 2, status: 'cancelled' }, { writer: 1, seq: 2, version: 1, status: 'new' }),
      version('chaos_accounts', 1, 2, 'u', { id: 1, writer: 1, version: 2, note: null }, { id: 1, writer: 1, version: 1, note: 'wave 🌊 w1k1v1' }),
    ]),
    txn(3, [version('chaos_events', 3, 1, 'd', null, { id: 3, writer: 1, version: 1 })], 'fail'),
    txn(4, [version('chaos_events', 4, 1, 'c', { id: 4, writer: 1, version: 1, payload: { a: 1 } })]),
  ],
};

describe('processedHistory (the expectation of the processors scenario)', () => {
  it('applies the scenario\'s filter and script to every version, failed transactions included', async () => {
    const out = await processedHistory(history, scenarioPipeline);
    expect(out.txns.map((t) => t.id)).toEqual([1, 2, 3, 4]);
    const [t1, t2, t3, t4] = out.txns;
    // Redacted in both images; the emoji counts as two UTF-16 units, as in the engine's isolate.
    expect(t1!.versions.map((v) => v.after)).toEqual([{ id: 1, writer: 1, version: 1, note: 'redacted:14' }, { writer: 1, seq: 2, version: 1, status: 'new' }]);
    // The cancelled order version is gone; the account update keeps its (redacted) before image.
    expect(t2!.versions).toEqual([version('chaos_accounts', 1, 2, 'u', { id: 1, writer: 1, version: 2, note: null }, { id: 1, writer: 1, version: 1, note: 'redacted:14' })]);
    // The script drops deletes of chaos_events, in failed transactions too.
    expect(t3!.versions).toEqual([]);
    expect(t3!.outcome).toBe('fail');
    expect(t4!.versions).toEqual(history.txns[3]!.versions);
  });

  it('returns the history itself when the pipeline has no processors', async () => {
    expect(await processedHistory(history, { spec: { processors: [] } })).toBe(history);
    expect(await processedHistory(history, { spec: {} })).toBe(history);
  });

  it('refuses a processor that splits versions (one version is one identity for the checkers)', async () => {
    const split = { spec: { processors: [{ type: 'javascript', id: 'twice', inline: 'function processEvent(e) { return [e, { ...e }]; }' }] } };
    await expect(processedHistory(history, split)).rejects.toThrow(/splits version/);
  });
});
