import type { ImageStore, SourceLog } from '../../history/index.js';
import { Pacer } from '../pacing.js';
import { HistoryRecorder } from '../recorder.js';
import { Rng } from '../rng.js';
import type { TableDef } from '../schema.js';
import { dialectFor } from '../sql/dialect.js';
import { connectSession, type ConnectionOptions } from '../sql/session.js';
import { VersionedTxn } from './rows.js';
import { population } from './population.js';
import { TPCC_PRIMARY_KEYS, TPCC_TABLES } from './tables.js';
import { Terminal, type TerminalContext } from './terminal.js';
import type { TpccScale, TxnKind } from './transactions.js';

export { TPCC_TABLES, TPCC_PRIMARY_KEYS } from './tables.js';
export type { TpccScale, TxnKind } from './transactions.js';

export interface TpccOptions {
  readonly source: 'mysql' | 'postgres';
  /** A DIRECT connection. */
  readonly connection: ConnectionOptions;
  /** The MySQL database / Postgres schema the tables exist in (created beforehand). */
  readonly database: string;
  readonly scale: TpccScale;
  readonly terminals: number;
  /** Transactions per second over all terminals. */
  readonly rate: number;
  readonly durationS: number;
  readonly seed: number;
  readonly images?: ImageStore;
}

export interface TpccHandle {
  log(): SourceLog;
  tables(): TableDef[];
  /** Per kind of transaction: how many committed, failed, were indeterminate. */
  counts(): Record<TxnKind, Record<'ok' | 'fail' | 'info', number>>;
  finished(): Promise<SourceLog>;
  stop(): Promise<SourceLog>;
}

const KINDS: TxnKind[] = ['new-order', 'payment', 'delivery', 'order-status', 'stock-level'];

/**
 * A TPC-C-style run: the population loaded in recorded transactions of up to 500 rows (the
 * pipeline captures them like any write), then `terminals` terminals run the mix for
 * `durationS` seconds. Every row write is a versioned row of the history, so every checker
 * judges TPC-C as it judges the row workload, and the state checker compares every table.
 */
export async function startTpcc(o: TpccOptions): Promise<TpccHandle> {
  const dialect = dialectFor(o.source);
  const recorder = new HistoryRecorder(o.source, o.database, TPCC_PRIMARY_KEYS, Object.fromEntries(TPCC_TABLES.map((t) => [t.name, t.columns.map((c) => c.name)])), o.images);
  await load(o, recorder);
  const stopping = new AbortController();
  const counts = Object.fromEntries(KINDS.map((k) => [k, { ok: 0, fail: 0, info: 0 }])) as TerminalContext['counts'];
  const ctx: TerminalContext = { connection: o.connection, dialect, database: o.database, recorder, scale: o.scale, seed: o.seed, stopping: stopping.signal, counts };
  const interval = o.rate > 0 ? (1000 * o.terminals) / o.rate : 0;
  const terminals = Array.from({ length: o.terminals }, (_, i) => new Terminal(i + 1, ctx, new Pacer(interval, (interval * i) / o.terminals)));
  const running = Promise.all(terminals.map((t) => t.run()));
  const timer = setTimeout(() => stopping.abort(), o.durationS * 1000);
  const stop = async () => {
    clearTimeout(timer);
    stopping.abort();
    await running;
    return recorder.log;
  };
  let finished: Promise<SourceLog> | undefined;
  return {
    log: () => recorder.log,
    tables: () => [...TPCC_TABLES],
    counts: () => counts,
    finished: () => (finished ??= running.then(stop)),
    stop: () => (finished ??= stop()),
  };
}

async function load(o: TpccOptions, recorder: HistoryRecorder): Promise<void> {
  const session = await connectSession(o.source, o.connection, { label: 'tidemark-workload-tpcc-load', statementTimeoutMs: 120_000 });
  const dialect = dialectFor(o.source);
  try {
    for (const { table, rows } of population(o.scale, new Rng(o.seed))) {
      for (let i = 0; i < rows.length; i += 500) {
        const t = new VersionedTxn(session, dialect, o.database, 0);
        await session.execute(dialect.begin);
        await t.insert(table, rows.slice(i, i + 500));
        const id = recorder.invoke(0, t.versions);
        await session.execute(dialect.commit);
        recorder.complete(id, { outcome: 'ok' });
      }
    }
  } finally {
    await session.close();
  }
}
