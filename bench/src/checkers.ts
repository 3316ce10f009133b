import { CHECKER_NAMES, createCheckers, type RunFacts } from '@tidemark/chaos/checkers/index';
import { canonicalKey, type RowVersion, type SinkHistory, type SinkRecord, type SourceHistory, type SourceTxn } from '@tidemark/chaos/history/index';
import { withPeakRss, type BenchResult } from './report.js';

/**
 * Every checker over one source history and one sink history of `events` records (default
 * 100,000): transactions of 5 row versions over 10,000 keys, delivered in order with the last
 * 5% replayed, the way a crash leaves an at-least-once sink. Histories are built before timing.
 */
export async function benchCheckers(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 100_000;
  const { source, sink } = histories(total);
  const facts: RunFacts = {
    workloadStartedAt: 0,
    workloadEndedAt: 1,
    catchUpFrom: 1,
    deadlineMs: 60_000,
    checkedAt: 2,
    engine: { health: 200, pipelines: [{ name: 'bench', status: 'running' }] },
    sinks: { redis: { caughtUpAt: 1 } },
  };
  const checker = createCheckers(CHECKER_NAMES);
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const { value: verdicts, peakRssMb } = await withPeakRss(async () => checker.check({ source, sinks: [sink], faults: [], facts }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // CPU time too: on a shared, loaded machine wall time overstates the cost.
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const invalid = verdicts.filter((v) => v.validity !== 'valid').map((v) => v.checker);
  if (invalid.length > 0) throw new Error(`bench history should be valid, but ${invalid.join(', ')} said otherwise`);
  return [{ name: `all checkers, ${sink.records.length.toLocaleString('en-US')} sink records`, events: sink.records.length, seconds, peakRssMb, notes: `cpu ${cpuSeconds.toFixed(2)} s` }];
}

function histories(total: number): { source: SourceHistory; sink: SinkHistory } {
  const keys = 10_000;
  const versionOf = new Array<number>(keys).fill(0);
  const rowOf = new Array<Record<string, unknown> | null>(keys).fill(null);
  const txns: SourceTxn[] = [];
  const records: SinkRecord[] = [];
  for (let t = 0; records.length < total; t++) {
    const versions: RowVersion[] = [];
    for (let i = 0; i < 5; i++) {
      const id = (t * 7 + i * 1_999) % keys;
      const before = rowOf[id] ?? null;
      const version = ++versionOf[id]!;
      const after = { id, writer: 1, version, amount: `${version}.25`, doc: { n: version, tags: ['a', 'b'] }, at: '2024-01-02T03:04:05.123456Z' };
      rowOf[id] = after;
      const v: RowVersion = { table: 'accounts', key: canonicalKey(['id'], { id }), version, op: before ? 'u' : 'c', writer: 1, before, after };
      versions.push(v);
      // Readers decode their own copies of the images: no shared objects to compare by reference.
      records.push({ seq: records.length, stream: 'accounts', table: v.table, key: v.key, op: v.op, version, writer: 1, before: structuredClone(before), after: structuredClone(after), idempotencyKey: `t|db.accounts|${t}|${i}`, txId: String(t), txIndex: i, txEnd: i === 4, position: `accounts@${records.length}`, sinkTxn: null });
    }
    txns.push({ id: t, writer: 1, versions, outcome: 'ok', invokedAt: t, completedAt: t });
  }
  const replay = records.slice(Math.floor(records.length * 0.95)).map((r, i) => ({ ...r, seq: records.length + i }));
  return {
    source: { source: 'mysql', txns, primaryKeys: { accounts: ['id'] } },
    sink: { sink: 'redis', kind: 'redis', exactlyOnce: false, records: [...records, ...replay] },
  };
}
