import type { PostgresSourceConfig } from '../../config/index.js';
import type { Position } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../util/backoff.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { Retrier } from '../../util/retry/index.js';
import type { Source, SourceContext } from '../source.js';
import { parseDsn, type ParsedDsn } from './dsn.js';
import { classifyPgError } from './pg-errors.js';
import { comparePgPositions } from './position.js';
import { connectPlan, type Captured, type OpenedGeneration, type SourceEnv } from './server/connect-plan.js';
import { IdentityStore } from './server/identity.js';
import type { TableSchema } from './schema-registry.js';
import { PauseGate } from './snapshot/pause-gate.js';
import { openTemporaryExport, runSnapshotPhase, type Exporter } from './snapshot/snapshot-phase.js';
import { SnapshotStore, type SnapshotDecision } from './snapshot/snapshot-state.js';
import { SqlConnection } from './sql-connection.js';
import { Capture } from './stream/capture.js';
import { EventCounter } from './stream/event-counter.js';
import { checkpointFlush, type FlushPolicyFactory } from './stream/flush-tracker.js';
import { StreamingLoop } from './stream/streaming-loop.js';

/** Seams for tests, not pipeline settings. */
export interface PostgresSourceOptions {
  /** What the slot is told is flushed (default: what the checkpoints cover; see stream/flush-tracker.ts). */
  readonly flushPolicy?: FlushPolicyFactory;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly random?: () => number;
}

/**
 * PostgreSQL logical replication (pgoutput) as a Source, in the MySQL source's shape: a
 * connect plan (server/connect-plan.ts) that checks the server, reconciles identity and slot
 * (server/reconcile.ts, shared with every reconnect) and decides where to start; an optional
 * snapshot; then the streaming loop (stream/streaming-loop.ts). Owns the protocol: our
 * decoder, our standby status updates (flush = what the coordinator acknowledged), our socket
 * pausing. See docs/sources/postgres.md for the design.
 */
export class PostgresSource implements Source {
  readonly id: string;
  private readonly dsn: ParsedDsn;
  private readonly appName: string;
  private readonly options: PostgresSourceOptions;
  private ctx!: SourceContext;
  private env!: SourceEnv;
  private capture: Capture | null = null;
  private loop: StreamingLoop | null = null;
  private readonly gate = new PauseGate();
  private paused = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private counter: EventCounter | null = null;
  private captured: Captured | null = null;

  constructor(private readonly config: PostgresSourceConfig, options: PostgresSourceOptions = {}) {
    this.id = config.id;
    this.dsn = parseDsn(config.dsn, config.id);
    this.appName = `tidemark:${config.id}`.slice(0, 63);
    this.options = options;
  }

  async start(ctx: SourceContext): Promise<Position> {
    this.ctx = ctx;
    const ns = `postgres:${this.id}`;
    const sql = new SqlConnection(this.dsn.settings, this.appName);
    this.env = { config: this.config, dsn: this.dsn, appName: this.appName, sql, kv: ctx.kv, identities: new IdentityStore(ctx.kv, ns), snapshots: new SnapshotStore(ctx.kv, ns), logger: ctx.logger };
    ctx.logger.info({ dsn: this.dsn.display, slot: this.config.slot, publication: this.config.publication, resumeFrom: ctx.resumeFrom }, 'postgres source starting');
    try {
      const plan = await this.retrier('connecting').run(() => connectPlan(this.env, ctx.resumeFrom), { signal: this.abort.signal });
      const counter = new EventCounter(ctx.metrics);
      this.counter = counter;
      this.captured = plan;
      this.capture = new Capture({
        sourceId: this.id,
        database: this.dsn.settings.database,
        schemas: plan.schemas,
        outboxPrefixes: this.config.outbox?.prefixes ?? [],
        flushPolicy: this.options.flushPolicy ?? checkpointFlush,
        emit: (event) => {
          counter.count(event);
          ctx.emit(event);
        },
      });
      this.loop = new StreamingLoop({
        env: this.env,
        captured: plan,
        capture: this.capture,
        identity: plan.identity,
        reconnects: this.retrier('replication stream', { slot: this.config.slot }),
        signal: this.abort.signal,
        isPaused: () => this.paused,
        onReconnect: () => ctx.metrics.reconnected(),
      });
      this.running = this.run(plan).catch((e) => this.failed(e));
      return plan.startedAfter;
    } catch (e) {
      await sql.close();
      throw e;
    }
  }

  pause(): void {
    this.paused = true;
    this.gate.pause();
    this.loop?.pause();
  }

  resume(): void {
    this.paused = false;
    this.gate.resume();
    this.loop?.resume();
  }

  acknowledge(position: Position): void {
    if (this.capture?.acknowledge(position)) this.loop?.reportFlush();
  }

  comparePositions(a: Position, b: Position): number {
    return comparePgPositions(a, b);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.gate.resume();
    await this.loop?.stop();
    await this.running;
    this.counter?.close();
    await this.captured?.schemas.flush();
    await this.env?.sql.close();
  }

  /** Each slot generation: its snapshot (when decided), then streaming until stopped or the slot is recreated. */
  private async run(first: OpenedGeneration): Promise<void> {
    let next: OpenedGeneration | null = first;
    while (next && !this.stopped) {
      this.capture!.begin(next);
      this.capture!.applyRecord(next.record);
      if (next.snapshot.run) await this.snapshot(next.snapshot, next.exporter);
      else await next.exporter?.connection.close();
      if (this.stopped) return;
      next = await this.loop!.run();
    }
  }

  private async snapshot(d: Extract<SnapshotDecision, { run: true }>, exporter: Exporter | null): Promise<void> {
    const c = this.config;
    const { tables, schemas } = this.captured!;
    const capture = this.capture!;
    this.ctx.logger.info({ epoch: d.epoch, tables: d.read, kept: Object.keys(d.keep), resumed: d.resumed }, d.resumed ? 'resuming the interrupted snapshot' : 'snapshot starting');
    const schemaCache = new Map<number, TableSchema>();
    await runSnapshotPhase({
      epoch: d.epoch,
      anchor: d.anchor,
      read: d.read,
      keep: d.keep,
      exporter,
      openExporter: () => openTemporaryExport(this.dsn.settings, this.appName, c.slot),
      tables,
      store: this.env.snapshots,
      onRecord: (r) => capture.applyRecord(r),
      retrier: this.retrier('snapshot', { slot: c.slot }),
      settings: this.dsn.settings,
      applicationName: this.appName,
      chunkSize: c.snapshot.chunk_size,
      parallelism: c.snapshot.max_parallel_tables,
      gate: this.gate,
      signal: this.abort.signal,
      sourceId: this.id,
      database: this.dsn.settings.database,
      schemaOf: (t) => schemaCache.get(t.oid) ?? schemaCache.set(t.oid, schemas.forTable(t)).get(t.oid)!,
      emit: capture.emit,
      logger: this.ctx.logger,
    });
  }

  /** The source's one way of retrying `what`: classified by the SQLSTATE table, on its clock. */
  private retrier(what: string, context: Record<string, string> = {}): Retrier {
    return new Retrier({
      what: `postgres source ${what}`,
      classify: (e) => classifyPgError(e, what, { source: this.id, ...context }),
      policy: this.options.backoff ?? DEFAULT_BACKOFF,
      clock: this.options.clock ?? systemClock,
      random: this.options.random ?? Math.random,
      logger: this.ctx.logger,
    });
  }

  private failed(e: unknown): void {
    if (this.stopped) return;
    const error = classifyPgError(e, 'postgres source', { source: this.id });
    this.ctx.fail(error.kind === 'fatal' ? error : new TidemarkError(error.code, error.message, { cause: error.cause, context: error.context, kind: 'fatal' }));
  }
}
