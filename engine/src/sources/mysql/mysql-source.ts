import type { MysqlSourceConfig } from '../../config/index.js';
import type { Position } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import type { Logger } from '../../logging/logger.js';
import type { BackoffPolicy } from '../../util/backoff.js';
import { systemClock, type Clock } from '../../util/clock.js';
import type { Source, SourceContext } from '../source.js';
import type { SourceFactoryContext } from '../registry.js';
import { describeDsn, parseDsn, type MysqlDsn } from './config/dsn.js';
import { deriveServerId } from './config/server-id.js';
import { compileTableFilter, type TableFilter } from './config/table-filter.js';
import { classifyMysqlError } from './protocol/mysql-errors.js';
import { asMysqlPosition, comparePositions, type MysqlPosition } from './protocol/position.js';
import { usesGtids } from './protocol/preflight-rules.js';
import { driverOptions, type Timeouts } from './server/control.js';
import { ServerSession } from './server/server-session.js';
import type { ServerState } from './server/server-state.js';
import { SchemaRegistry } from './schema/schema-registry.js';
import { HandoffFilter } from './stream/handoff-filter.js';
import { Streamer } from './stream/streamer.js';
import { TableResolver } from './stream/table-resolver.js';
import { runSnapshot } from './snapshot/snapshot-runner.js';
import { loadSnapshotRecord, type SnapshotRecord } from './snapshot/snapshot-record.js';
import { comparePoints, handoverFrom, planStart, type StartPlan } from './start-plan.js';

/** Knobs that are not user configuration: shortened by tests. */
export interface MysqlTunables {
  /** How often a running snapshot checks that its hand-over binlog still exists (reference: 30 s). */
  readonly purgeCheckMs: number;
  /** Upper bound for one control query. */
  readonly queryTimeoutMs: number;
  readonly reconnectBackoff: BackoffPolicy;
  readonly random: () => number;
  readonly clock: Clock;
  readonly metricsIntervalMs: number;
}

const DEFAULT_TUNABLES: MysqlTunables = {
  purgeCheckMs: 30_000,
  queryTimeoutMs: 30_000,
  reconnectBackoff: { baseMs: 500, capMs: 30_000 },
  random: Math.random,
  clock: systemClock,
  metricsIntervalMs: 1000,
};

/**
 * The MySQL/MariaDB binlog source: preflight, identity reconciliation, schema registry, an
 * optional consistent snapshot, then binlog streaming with reconnects. See docs/sources/mysql.md.
 */
export class MysqlSource implements Source {
  readonly id: string;
  private readonly dsn: MysqlDsn;
  private readonly filter: TableFilter;
  private readonly replicaServerId: number;
  private readonly namespace: string;
  private readonly t: MysqlTunables;
  private readonly timeouts: Timeouts;
  private readonly heartbeatMs: number;
  private readonly inactivityMs: number;
  private ctx!: SourceContext;
  private logger: Logger;
  private session: ServerSession | null = null;
  private registry: SchemaRegistry | null = null;
  private streamer: Streamer | null = null;
  private background: Promise<void> = Promise.resolve();
  private abort = new AbortController();
  private paused = false;
  private flowWaiters: Array<() => void> = [];
  private stopped = false;
  private metricsTimer: NodeJS.Timeout | null = null;
  private snapshotCounts = { events: 0, bytes: 0 };
  private reported = { events: 0, bytes: 0 };
  private acknowledged: MysqlPosition | null = null;

  constructor(private readonly config: MysqlSourceConfig, factory: SourceFactoryContext, tunables: Partial<MysqlTunables> = {}) {
    this.id = config.id;
    this.logger = factory.logger;
    this.dsn = parseDsn(config.dsn, config.id);
    this.filter = compileTableFilter(config.tables, config.outbox?.tables ?? []);
    this.replicaServerId = config.server_id ?? deriveServerId(config.id);
    this.namespace = `mysql:${config.id}`;
    this.t = { ...DEFAULT_TUNABLES, ...tunables };
    this.timeouts = { connectMs: config.connect_timeout_secs * 1000, queryMs: this.t.queryTimeoutMs };
    this.heartbeatMs = config.heartbeat_secs * 1000;
    // Silence shorter than two heartbeats is normal; never declare a connection dead before that.
    this.inactivityMs = Math.max(config.inactivity_timeout_secs * 1000, 2 * this.heartbeatMs + 1000);
  }

  async start(ctx: SourceContext): Promise<Position> {
    this.ctx = ctx;
    this.logger = ctx.logger;
    this.stopped = false;
    this.abort = new AbortController();
    this.snapshotCounts = { events: 0, bytes: 0 };
    this.reported = { events: 0, bytes: 0 };
    try {
      const resume = ctx.resumeFrom ? asMysqlPosition(ctx.resumeFrom, this.id) : null;
      this.registry = new SchemaRegistry(ctx.kv, this.namespace);
      await this.registry.load();
      const session = new ServerSession({ dsn: this.dsn, timeouts: this.timeouts, kv: ctx.kv, namespace: this.namespace, filter: this.filter, registry: this.registry, onSchemaDrift: this.config.on_schema_drift, logger: this.logger, sourceId: this.id });
      this.session = session;
      const state = await session.connect(resume !== null && resume.snap === undefined ? resume : null, { syncSchemas: true });
      const plan = planStart({ resume, mode: this.config.snapshot.mode, record: await loadSnapshotRecord(ctx.kv, this.namespace), tables: this.registry.all(), serverId: state.identity.serverId });
      this.startMetrics();
      this.logger.info({ source: this.id, server: describeDsn(this.dsn), flavor: state.identity.flavor, plan: plan.kind, replicaServerId: this.replicaServerId }, 'mysql source starting');
      return await this.begin(plan, state);
    } catch (e) {
      await this.shutdown();
      throw classifyMysqlError(e, { source: this.id, pipeline: ctx.pipeline });
    }
  }

  pause(): void {
    this.paused = true;
    this.streamer?.pause();
  }

  resume(): void {
    this.paused = false;
    this.streamer?.resume();
    for (const wake of this.flowWaiters.splice(0)) wake();
  }

  acknowledge(position: Position): void {
    // Binlogs are not ours to release (MySQL has no slots); remembered for diagnostics.
    this.acknowledged = position as MysqlPosition;
  }

  comparePositions(a: Position, b: Position): number {
    return comparePositions(a as MysqlPosition, b as MysqlPosition);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.shutdown();
    this.logger.info({ source: this.id, acknowledged: this.acknowledged }, 'mysql source stopped');
  }

  private async begin(plan: StartPlan, state: ServerState): Promise<MysqlPosition> {
    if (plan.kind === 'snapshot') {
      this.background = this.snapshotThenStream(plan.record, plan.fromTable, state);
      return plan.returns;
    }
    const from = plan.from ?? (await this.session!.tail(state));
    const handoff = plan.record && !plan.record.streamFrom ? this.handoffFilter(plan.record, state) : null;
    await this.stream(from, handoff, state);
    return from;
  }

  private async snapshotThenStream(record: SnapshotRecord, fromTable: number, state: ServerState): Promise<void> {
    try {
      const finished = await runSnapshot(
        {
          sourceId: this.id,
          tenant: this.ctx.tenant,
          dsn: this.dsn,
          timeouts: this.timeouts,
          control: this.session!.control,
          flavor: state.identity.flavor,
          usesGtids: usesGtids(state.settings),
          serverId: state.identity.serverId,
          expireSeconds: state.settings.expireSeconds,
          kv: this.ctx.kv,
          namespace: this.namespace,
          registry: this.registry!,
          maxParallelTables: this.config.snapshot.max_parallel_tables,
          chunkSize: this.config.snapshot.chunk_size,
          purgeCheckMs: this.t.purgeCheckMs,
          logger: this.logger,
          emit: this.ctx.emit,
          whenFlowing: () => (this.paused && !this.stopped ? new Promise<void>((r) => this.flowWaiters.push(r)) : Promise.resolve()),
          signal: this.abort.signal,
          comparePoints,
          onRows: (n, bytes) => {
            this.snapshotCounts.events += n;
            this.snapshotCounts.bytes += bytes;
          },
        },
        record,
        fromTable,
      );
      if (this.stopped) return;
      this.logger.info({ epoch: finished.epoch, tables: finished.tables.length }, 'snapshot finished; streaming takes over');
      const from = handoverFrom(finished) ?? { ...(await this.session!.tail(state)), epoch: finished.epoch };
      await this.stream(from, finished.streamFrom ? null : this.handoffFilter(finished, state), null);
    } catch (e) {
      if (!this.stopped) this.ctx.fail(classifyMysqlError(e, { source: this.id, pipeline: this.ctx.pipeline, phase: 'snapshot' }));
    }
  }

  /** Starts the binlog dump; `state` is the server state already read for the first connect, if fresh. */
  private async stream(from: MysqlPosition, handoff: HandoffFilter | null, state: ServerState | null): Promise<void> {
    let firstState = state;
    const streamer = new Streamer(
      {
        sourceId: this.id,
        tenant: this.ctx.tenant,
        connection: driverOptions(this.dsn, this.timeouts),
        replicaServerId: this.replicaServerId,
        epoch: from.epoch,
        heartbeatMs: this.heartbeatMs,
        inactivityMs: this.inactivityMs,
        backoff: this.t.reconnectBackoff,
        random: this.t.random,
        clock: this.t.clock,
        logger: this.logger,
        tables: new TableResolver(this.filter, this.registry!),
        handoff,
        prepare: async (p) => {
          const s = firstState;
          firstState = null;
          return s ?? this.session!.connect(p, { syncSchemas: false });
        },
        refreshSchemas: (change) => this.session!.refreshSchemas(change),
        emit: this.ctx.emit,
        onReconnected: () => this.ctx.metrics.reconnected(),
        onFatal: (error) => {
          if (!this.stopped) this.ctx.fail(error.withContext({ pipeline: this.ctx.pipeline }));
        },
      },
      from,
    );
    this.streamer = streamer;
    if (this.paused) streamer.pause();
    await streamer.start();
  }

  private handoffFilter(record: SnapshotRecord, state: ServerState): HandoffFilter | null {
    const points = new Map(record.tables.flatMap((t) => (t.after ? [[`${t.db}.${t.table}`, { gtidSet: t.after.gtidSet, file: t.after.file, pos: t.after.pos }] as const] : [])));
    const filter = new HandoffFilter(points, state.identity.flavor);
    return filter.active ? filter : null;
  }

  private startMetrics(): void {
    if (this.metricsTimer) return;
    this.metricsTimer = setInterval(() => this.flushMetrics(), this.t.metricsIntervalMs);
    this.metricsTimer.unref();
  }

  /** Per interval, not per event: the hooks may be Prometheus counters. */
  private flushMetrics(): void {
    const s = this.streamer?.counters ?? { events: 0, bytes: 0, lastTs: 0 };
    const events = s.events + this.snapshotCounts.events;
    const bytes = s.bytes + this.snapshotCounts.bytes;
    const flowed = events > this.reported.events;
    if (flowed) this.ctx.metrics.events(events - this.reported.events);
    if (bytes > this.reported.bytes) this.ctx.metrics.bytes(bytes - this.reported.bytes);
    // Behind by the age of the newest transaction read; nothing new while reading means caught up.
    if (flowed && s.lastTs > 0) this.ctx.metrics.lag(Math.max(0, Date.now() - s.lastTs) / 1000);
    else if (!flowed && !this.paused && this.streamer) this.ctx.metrics.lag(0);
    this.reported = { events, bytes };
  }

  private async shutdown(): Promise<void> {
    this.abort.abort();
    for (const wake of this.flowWaiters.splice(0)) wake();
    if (this.metricsTimer) {
      this.flushMetrics();
      clearInterval(this.metricsTimer);
      this.metricsTimer = null;
    }
    // The snapshot task may still be starting the streamer: let it finish (or give up) first.
    await this.background.catch(() => {});
    await this.streamer?.stop();
    this.streamer = null;
    await this.session?.close();
    this.session = null;
  }
}

export function createMysqlSource(config: MysqlSourceConfig, ctx: SourceFactoryContext): MysqlSource {
  try {
    return new MysqlSource(config, ctx);
  } catch (e) {
    throw e instanceof TidemarkError ? e : new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', `source ${config.id}: ${(e as Error).message}`, { cause: e });
  }
}
