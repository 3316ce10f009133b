import type { ImageStore, SchemaChange, SourceHistory, SourceLog } from '../history/index.js';
import { runDdl, type DdlContext } from './ddl.js';
import { Gate, Pacer } from './pacing.js';
import type { Mix } from './planner.js';
import { HistoryRecorder, type WorkloadCounters } from './recorder.js';
import { SchemaModel, WORKLOAD_PRIMARY_KEYS, WORKLOAD_TABLES, type ColumnDef, type TableDef } from './schema.js';
import { BULK, tablesFor } from './tables.js';
import { parseSettings, type WorkloadSettings } from './settings.js';
import { checkIdentifier, dialectFor, type SourceKind } from './sql/dialect.js';
import { connectSession, type ConnectionOptions } from './sql/session.js';
import { Writer, type WriterContext } from './writer.js';

export interface WorkloadTarget {
  readonly source: SourceKind;
  /** A DIRECT connection (never through Toxiproxy): e.g. `mysqlOptions(service, 'direct')`. */
  readonly connection: ConnectionOptions;
  /** MySQL database / Postgres schema the workload owns; one per scenario keeps them isolated. */
  readonly database: string;
}

export interface WorkloadOptions extends WorkloadTarget, WorkloadSettings {
  /** Drop and recreate the database/schema and tables first (default true). */
  readonly prepare?: boolean;
  /** Where the history's row images go (default: memory); runs at scale pass a FileImageStore. */
  readonly images?: ImageStore;
}

export interface WorkloadHandle {
  readonly source: SourceKind;
  readonly database: string;
  /** Tables in their current shape (after any DDL). */
  tables(): TableDef[];
  readonly primaryKeys: Readonly<Record<string, readonly string[]>>;
  counters(): WorkloadCounters;
  /** Snapshot of the history so far (completed txns only), as a plain history: small runs and tests. */
  history(): SourceHistory;
  /** The history being recorded, compact (grows while the workload runs). */
  log(): SourceLog;
  /** Each writer's current server session id (for tests that kill sessions). */
  sessions(): { writer: number; sessionId: number | null }[];
  /** Adds a nullable column under load; later txns write it. */
  addColumn(table: string, column: ColumnDef): Promise<SchemaChange>;
  /** Drops a non-key column under load; later txns lack it. */
  dropColumn(table: string, column: string): Promise<SchemaChange>;
  /** Writers, rate and mix in force now. */
  live(): LiveSettings;
  /**
   * Changes a running workload (the playground's sliders), from each writer's next txn on. More
   * writers start with fresh ids (and key spaces); fewer retire the newest ones for good.
   */
  adjust(change: Partial<LiveSettings>): LiveSettings;
  /** Lets running txns finish and holds new ones (a consistent cut for a check); resume() goes on. */
  pause(): Promise<void>;
  resume(): void;
  /** Resolves with the final history once the workload has stopped (duration or stop()). */
  done(): Promise<SourceHistory>;
  /** Like done(), with the compact history (no images read back). */
  finished(): Promise<SourceLog>;
  /** Stops issuing txns, lets running ones finish (bounded), closes sessions. Idempotent. */
  stop(): Promise<SourceHistory>;
}

/** What a free-running workload can change while it runs. */
export interface LiveSettings {
  readonly writers: number;
  readonly rate: number;
  readonly mix: Mix;
}

/** Drops and recreates the workload's database/schema with its tables. */
export async function prepareSchema(target: WorkloadTarget, tables: readonly TableDef[] = WORKLOAD_TABLES): Promise<void> {
  const dialect = dialectFor(target.source);
  const session = await connectSession(target.source, target.connection, { label: 'tidemark-workload-setup', statementTimeoutMs: 60_000 });
  try {
    for (const sql of dialect.createSchema(checkIdentifier(target.database, 'workload database'), tables)) await session.execute(sql);
  } finally {
    await session.close();
  }
}

/**
 * Starts N writers against the source; see docs/workload.md.
 *
 *     const w = await startWorkload({ source: 'mysql', connection: mysqlOptions(svc, 'direct'), database: 'scn1', writers: 4, rate: 100, durationS: 10, seed: 7 });
 *     const history = await w.done();
 */
export async function startWorkload(options: WorkloadOptions): Promise<WorkloadHandle> {
  const { source, connection, prepare = true } = options;
  const database = checkIdentifier(options.database, 'workload database');
  const settings = parseSettings(stripTarget(options));
  if (prepare) await prepareSchema({ source, connection, database }, workloadTables(source, settings.tables, settings.largeTx !== undefined));

  const dialect = dialectFor(source);
  const tables = workloadTables(source, settings.tables, settings.largeTx !== undefined);
  const schema = new SchemaModel(tables);
  const columns = Object.fromEntries(tables.map((t) => [t.name, t.columns.map((c) => c.name)]));
  const recorder = new HistoryRecorder(source, database, WORKLOAD_PRIMARY_KEYS, columns, options.images);
  const gate = new Gate();
  const stopping = new AbortController();
  const halted = new AbortController();
  const ctx: WriterContext = {
    connection, database, dialect, schema, recorder, gate, seed: settings.seed,
    plan: { mix: settings.mix, rowsPerTx: settings.rowsPerTx, keysPerTable: settings.keysPerTable, ...(settings.largeTx ? { largeTx: settings.largeTx } : {}) },
    statementTimeoutMs: settings.statementTimeoutMs,
    recoveryTimeoutMs: settings.recoveryTimeoutMs,
    stopping: stopping.signal,
    halted: halted.signal,
  };
  let live: LiveSettings = { writers: settings.writers, rate: settings.rate, mix: settings.mix };
  const interval = (): number => (live.rate > 0 ? (1000 * live.writers) / live.rate : 0);
  const writers: Writer[] = [];
  const pacers: Pacer[] = [];
  // A writer that throws has a bug; the others go on, and stop()/done() report it after cleanup.
  const crashes: string[] = [];
  const runs: Promise<void>[] = [];
  const launch = (index: number): void => {
    const pacer = new Pacer(interval(), (interval() * index) / live.writers);
    const w = new Writer(writers.length + 1, ctx, pacer);
    writers.push(w);
    pacers.push(pacer);
    runs.push(
      w.run().catch((err: unknown) => {
        crashes.push(`writer ${w.id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        recorder.error(`writer ${w.id} crashed: ${String(err)}`);
      }),
    );
  };
  for (let i = 0; i < settings.writers; i++) launch(i);
  let active = writers.slice();
  // Writers launched later join `runs`; this settles once every writer ever launched has ended.
  const allEnded = async (): Promise<void> => {
    for (let seen = 0; seen < runs.length; seen = runs.length) await Promise.all(runs);
  };
  const running = allEnded();
  const ddl: DdlContext = { connection, database, dialect, schema, recorder, gate, statementTimeoutMs: settings.statementTimeoutMs };

  let stopped: Promise<SourceLog> | undefined;
  const halt = (): Promise<SourceLog> => {
    stopped ??= (async () => {
      clearTimeout(timer);
      stopping.abort();
      let expire: NodeJS.Timeout | undefined;
      const graceful = await Promise.race([allEnded().then(() => true), new Promise<false>((r) => (expire = setTimeout(() => r(false), settings.stopTimeoutMs)))]);
      clearTimeout(expire);
      if (!graceful) {
        halted.abort();
        for (const w of writers) w.destroy();
        await allEnded();
      }
      halted.abort();
      if (crashes.length > 0) throw new Error(`workload writers crashed (a harness bug):\n${crashes.join('\n')}`);
      return recorder.log;
    })();
    return stopped;
  };
  const stop = (): Promise<SourceHistory> => halt().then(() => recorder.history());
  const timer = settings.durationS === undefined ? undefined : setTimeout(() => halt().catch(() => undefined), settings.durationS * 1000);
  let finished: Promise<SourceLog> | undefined;

  return {
    source,
    database,
    primaryKeys: WORKLOAD_PRIMARY_KEYS,
    tables: () => schema.all,
    counters: () => recorder.counters(),
    history: () => recorder.history(),
    log: () => recorder.log,
    sessions: () => writers.map((w) => ({ writer: w.id, sessionId: w.sessionId })),
    addColumn: (table, column) => runDdl(ddl, { table, change: 'add', column }),
    dropColumn: (table, column) => runDdl(ddl, { table, change: 'drop', column }),
    live: () => live,
    adjust(change) {
      const mix = change.mix ?? live.mix;
      if (!((mix.insert ?? 0) > 0)) throw new Error('mix.insert must be positive: without inserts nothing exists to update or delete');
      const want = Math.max(0, Math.floor(change.writers ?? live.writers));
      for (const w of active.slice(want)) w.retire();
      active = active.slice(0, want);
      live = { writers: want, rate: Math.max(0, change.rate ?? live.rate), mix };
      ctx.plan = { ...ctx.plan, mix };
      if (!stopping.signal.aborted) while (active.length < want) {
        launch(active.length);
        active.push(writers.at(-1)!);
      }
      for (const p of pacers) p.setInterval(interval());
      return live;
    },
    pause: () => gate.close(),
    resume: () => gate.open(),
    done: () => (finished ??= running.then(() => halt())).then(() => recorder.history()),
    finished: () => (finished ??= running.then(() => halt())),
    stop,
  };
}

/** The tables a workload writes, in the source's shape; the bulk table joins when large transactions are on. */
export function workloadTables(source: 'mysql' | 'postgres', names: readonly string[] | undefined, largeTx: boolean): TableDef[] {
  const tables = tablesFor(source, names);
  return largeTx && !tables.some((t) => t.name === BULK.name) ? [...tables, BULK] : tables;
}

function stripTarget(options: WorkloadOptions): WorkloadSettings {
  const { source: _s, connection: _c, database: _d, prepare: _p, images: _i, ...settings } = options;
  return settings;
}
