import type { ImageStore, RowVersion, SourceLog } from '../history/index.js';
import { canonicalKey } from '../history/index.js';
import { executeTxn } from './executor.js';
import { HistoryRecorder } from './recorder.js';
import { Rng } from './rng.js';
import { keyColumns, SchemaModel, WORKLOAD_PRIMARY_KEYS, type TableDef } from './schema.js';
import { dialectFor } from './sql/dialect.js';
import { connectSession } from './sql/session.js';
import { rowImage } from './values.js';
import type { WorkloadTarget } from './workload.js';

export interface BacklogOptions extends WorkloadTarget {
  /** The table the rows go into (already created). */
  readonly table: TableDef;
  readonly rows: number;
  readonly writers: number;
  readonly rowsPerTx: number;
  readonly seed: number;
  readonly images?: ImageStore;
  /** Called about every second with the rows committed so far. */
  readonly progress?: (rows: number) => void;
  readonly signal?: AbortSignal;
}

export interface Backlog {
  readonly log: SourceLog;
  readonly seconds: number;
  readonly rows: number;
}

/**
 * Writes a backlog as fast as the server takes it: `rows` new rows in transactions of
 * `rowsPerTx` (one multi-row INSERT each) over `writers` connections, each in its own key range,
 * recorded like any workload (ok / fail / info; a statement that fails is not retried here: the
 * backlog is written while nothing is faulted).
 */
export async function writeBacklog(o: BacklogOptions): Promise<Backlog> {
  const dialect = dialectFor(o.source);
  const recorder = new HistoryRecorder(o.source, o.database, WORKLOAD_PRIMARY_KEYS, { [o.table.name]: o.table.columns.map((c) => c.name) }, o.images);
  const schema = new SchemaModel([o.table]);
  const started = Date.now();
  let committed = 0;
  const timer = setInterval(() => o.progress?.(committed), 1000);
  const perWriter = Math.ceil(o.rows / o.writers);
  try {
    await Promise.all(
      Array.from({ length: o.writers }, async (_, w) => {
        const writer = w + 1;
        const rng = Rng.forWriter(o.seed, writer);
        const session = await connectSession(o.source, o.connection, { label: `tidemark-backlog-w${writer}`, statementTimeoutMs: 120_000 });
        try {
          const last = Math.min(o.rows, (w + 1) * perWriter) - w * perWriter;
          for (let slot = 1; slot <= last; slot += o.rowsPerTx) {
            o.signal?.throwIfAborted();
            const versions: RowVersion[] = [];
            for (let s = slot; s < Math.min(slot + o.rowsPerTx, last + 1); s++) {
              const after = rowImage(o.table, writer, s, 1, rng);
              versions.push({ table: o.table.name, key: canonicalKey(o.table.primaryKey, keyColumns(o.table, writer, s)), version: 1, op: 'c', writer, before: null, after });
            }
            const id = recorder.invoke(writer, versions);
            const result = await executeTxn(session, dialect, schema, o.database, [{ slot, version: versions[0]! }], insertMany(dialect, o.database, o.table, versions));
            recorder.complete(id, result);
            if (result.outcome === 'ok') committed += versions.length;
            else throw new Error(`backlog insert of ${versions.length} rows failed (${result.outcome}): ${result.error}`);
          }
        } finally {
          await session.close();
        }
      }),
    );
  } finally {
    clearInterval(timer);
  }
  o.progress?.(committed);
  return { log: recorder.log, seconds: (Date.now() - started) / 1000, rows: committed };
}

/** One multi-row INSERT of every version's after image. */
function insertMany(d: ReturnType<typeof dialectFor>, database: string, table: TableDef, versions: readonly RowVersion[]): { sql: string; params: unknown[]; affected: number } {
  const cols = table.columns;
  const params: unknown[] = [];
  const rows = versions.map((v) => `(${cols.map((c) => { params.push(d.encode(c, v.after![c.name])); return d.param(params.length); }).join(', ')})`);
  return { sql: `INSERT INTO ${d.ident(database)}.${d.ident(table.name)} (${cols.map((c) => d.ident(c.name)).join(', ')}) VALUES ${rows.join(', ')}`, params, affected: versions.length };
}
