import type { PostgresSourceConfig } from '../../config/index.js';
import type { ChangeEvent, Position } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../util/backoff.js';
import { systemClock, type Clock } from '../../util/clock.js';
import { Retrier } from '../../util/retry/index.js';
import type { Source, SourceContext } from '../source.js';
import { loadCapturedTables, loadTableByOid, loadTypes, type TableInfo } from './catalog.js';
import { ChangeAssembler } from './change-assembler.js';
import { parseDsn, type ParsedDsn } from './dsn.js';
import { EventCounter } from './event-counter.js';
import { FlushTracker, type AckMode } from './flush-tracker.js';
import { compareIdentity, describeIdentityChange, IdentityStore, type IdentityChange } from './identity.js';
import { formatLsn, maxLsn, type Lsn } from './lsn.js';
import { classifyPgError } from './pg-errors.js';
import { anchorPosition, comparePgPositions, positionKey, startLsnOf, type PgPosition, type PositionKey } from './position.js';
import { preflight } from './preflight.js';
import { ReplicationConnection, type CreatedSlot, type SystemIdentity } from './replication-connection.js';
import { SchemaRegistry, type TableSchema } from './schema-registry.js';
import { checkSchemaDrift } from './schema-drift.js';
import { checkSlotUsable, dropSlot, ensurePublication, initialStreamLsn, readSlot } from './slot.js';
import { recreateSlot, slotLossReason } from './slot-loss.js';
import { PauseGate } from './snapshot/pause-gate.js';
import { openTemporaryExport, pendingRecord, runSnapshotPhase, type Exporter } from './snapshot/snapshot-phase.js';
import { decideSnapshot, snapshotFilter, SnapshotStore, type SnapshotDecision, type SnapshotRecord } from './snapshot/snapshot-state.js';
import { SqlConnection } from './sql-connection.js';
import { statusIntervalMs, StreamSession } from './stream-session.js';
import { compileGlobs, compileTablePatterns, qualifiedText } from './table-patterns.js';
import { TypeCatalog } from './types/type-catalog.js';

export interface PostgresSourceOptions {
  /**
   * Test only, not in the pipeline config: `on-receive` reproduces pg-logical-replication's
   * acknowledgement (flush = last LSN received) to show the loss it causes.
   */
  readonly ackMode?: AckMode;
  readonly backoff?: BackoffPolicy;
  readonly clock?: Clock;
  readonly random?: () => number;
}

type RunDecision = { readonly decision: SnapshotDecision; readonly exporter: Exporter | null };
type Cursor = { readonly startLsn: Lsn; readonly skip: PositionKey | null };

/**
 * PostgreSQL logical replication (pgoutput) as a Source. Owns the protocol: our decoder, our
 * standby status updates (flush = what the coordinator acknowledged; see FlushTracker), our
 * socket pausing. See docs/sources/postgres.md for the design.
 */
export class PostgresSource implements Source {
  readonly id: string;
  private readonly dsn: ParsedDsn;
  private readonly appName: string;
  private readonly ackMode: AckMode;
  private readonly backoff: BackoffPolicy;
  private readonly clock: Clock;
  private readonly random: () => number;
  private ctx!: SourceContext;
  private sql!: SqlConnection;
  private identityStore!: IdentityStore;
  private snapshotStore!: SnapshotStore;
  private schemas!: SchemaRegistry;
  private tables = new Map<string, TableInfo>();
  private identity!: SystemIdentity;
  private generation = 0;
  private assembler!: ChangeAssembler;
  private tracker!: FlushTracker;
  /** Where streaming starts when nothing of this slot generation was emitted yet. */
  private anchor!: Cursor;
  private lastEmitted: PgPosition | null = null;
  private snapshotLsns = new Map<string, Lsn>();
  private snapshotMaxLsn: Lsn = 0n;
  private session: StreamSession | null = null;
  private readonly gate = new PauseGate();
  private paused = false;
  private stopped = false;
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private counter: EventCounter | null = null;

  constructor(private readonly config: PostgresSourceConfig, options: PostgresSourceOptions = {}) {
    this.id = config.id;
    this.dsn = parseDsn(config.dsn, config.id);
    this.appName = `tidemark:${config.id}`.slice(0, 63);
    this.ackMode = options.ackMode ?? 'checkpoint';
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
  }

  async start(ctx: SourceContext): Promise<Position> {
    this.ctx = ctx;
    const ns = `postgres:${this.id}`;
    this.identityStore = new IdentityStore(ctx.kv, ns);
    this.snapshotStore = new SnapshotStore(ctx.kv, ns);
    this.sql = new SqlConnection(this.dsn.settings, this.appName);
    ctx.logger.info({ dsn: this.dsn.display, slot: this.config.slot, publication: this.config.publication, resumeFrom: ctx.resumeFrom }, 'postgres source starting');
    try {
      const plan = await this.retrier('connecting').run(() => this.prepare(ctx.resumeFrom), { signal: this.abort.signal });
      this.counter = new EventCounter(ctx.metrics);
      this.running = this.run(plan).catch((e) => this.failed(e));
      return plan.startedAfter;
    } catch (e) {
      await this.sql.close();
      throw e;
    }
  }

  pause(): void {
    this.paused = true;
    this.gate.pause();
    this.session?.stream.pause();
  }

  resume(): void {
    this.paused = false;
    this.gate.resume();
    this.session?.stream.resume();
  }

  acknowledge(position: Position): void {
    const key = positionKey(position);
    // A checkpoint from before a slot recreation says nothing about the new slot.
    if (!this.tracker || key.g !== this.generation) return;
    if (this.tracker.acknowledge(key)) this.session?.stream.sendStatus(false);
  }

  comparePositions(a: Position, b: Position): number {
    return comparePgPositions(a, b);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    this.gate.resume();
    await this.session?.stream.stop();
    await this.running;
    this.counter?.close();
    await this.schemas?.flush();
    await this.sql?.close();
  }

  /** Connect, check, create what is missing, and decide where streaming and the snapshot start. */
  private async prepare(resumeFrom: Position | null): Promise<RunDecision & { startedAfter: Position }> {
    const c = this.config;
    const tables = await loadCapturedTables(this.sql, c.tables);
    await preflight(this.sql, { sourceId: this.id, display: this.dsn.display, patterns: c.tables, tables, needSelect: c.snapshot.mode !== 'never', logger: this.ctx.logger });
    this.tables = new Map(tables.map((t) => [qualifiedText(t), t]));
    const matches = compileTablePatterns(c.tables);
    this.schemas = new SchemaRegistry({
      kv: this.ctx.kv,
      namespace: `postgres:${this.id}:schemas`,
      types: new TypeCatalog((oids) => loadTypes(this.sql, oids)),
      isCaptured: matches,
      fetchTable: (oid) => loadTableByOid(this.sql, oid),
      logger: this.ctx.logger,
    });
    await this.schemas.init(tables);
    await ensurePublication(this.sql, { name: c.publication, tables, create: c.create_publication, sourceId: this.id, logger: this.ctx.logger });

    const repl = await ReplicationConnection.open(this.dsn.settings, this.appName);
    try {
      this.identity = await repl.identifySystem();
      const stored = await this.identityStore.get();
      const change = compareIdentity(stored, this.identity);
      const resumeKey = resumeFrom ? positionKey(resumeFrom) : null;
      this.generation = Math.max(stored?.generation ?? 0, resumeKey?.g ?? 0);
      const resume = resumeKey && resumeKey.g === this.generation ? resumeKey : null;
      if (change.kind !== 'same' && change.kind !== 'first') this.checkDrift(change);
      let slot = await readSlot(this.sql, c.slot);
      let created: CreatedSlot | null = null;
      const wantExport = c.snapshot.mode !== 'never';
      const lost = slotLossReason(c.slot, change, slot);
      if (lost && resume) {
        created = await this.recreateAfterLoss(repl, lost, resume, slot !== undefined);
      } else if (lost && slot) {
        this.ctx.logger.warn({ slot: c.slot }, `${lost}; no checkpoint depends on it, so it is replaced`);
        await dropSlot(this.sql, c.slot);
        slot = undefined;
      }
      if (!slot && !created) {
        if (!c.create_slot) throw new TidemarkError('TIDEMARK_ERR_POSTGRES_SLOT_MISSING', `source ${this.id}: replication slot "${c.slot}" does not exist and create_slot is false; run SELECT pg_create_logical_replication_slot('${c.slot}', 'pgoutput')`, { context: { source: this.id, slot: c.slot } });
        created = await repl.createSlot(c.slot, { exportSnapshot: wantExport });
        this.ctx.logger.info({ slot: c.slot, lsn: formatLsn(created.consistentPoint) }, `created replication slot ${c.slot}`);
      } else if (slot && !created) checkSlotUsable(slot, this.identity.database, this.id);
      if (change.kind !== 'same') await this.identityStore.put(this.identity, this.generation);

      const resumeNow = created ? null : resume;
      let streamFrom: PgPosition;
      if (resumeNow) {
        streamFrom = resumeFrom as PgPosition;
        this.anchor = { startLsn: startLsnOf(resumeNow), skip: resumeNow };
      } else {
        const lsn = created ? created.consistentPoint : await initialStreamLsn(this.sql, slot!, c.start_position, this.ctx.logger);
        streamFrom = anchorPosition(lsn, this.generation);
        this.anchor = { startLsn: lsn, skip: null };
      }
      this.startGeneration(slot?.confirmedFlush ?? created?.consistentPoint ?? 0n);
      const record = await this.snapshotStore.get();
      this.applyRecord(record);
      const decision = decideSnapshot(c.snapshot.mode, record, resumeNow, streamFrom, [...this.tables.keys()]);
      const exporter = decision.run && created?.snapshotName ? { connection: repl, snapshotName: created.snapshotName, lsn: created.consistentPoint } : null;
      // Recorded before any checkpoint can exist, so a crash before the first row still resumes it.
      if (decision.run) await this.snapshotStore.put(pendingRecord(decision, exporter ? formatLsn(exporter.lsn) : decision.anchor.lsn));
      if (!exporter) await repl.close();
      return { startedAfter: resumeFrom ?? streamFrom, decision, exporter };
    } catch (e) {
      await repl.close();
      throw e;
    }
  }

  /** Snapshot (when decided), then stream until stopped; again after a slot recreation. */
  private async run(first: RunDecision): Promise<void> {
    let next: RunDecision | null = first;
    while (next && !this.stopped) {
      if (next.decision.run) await this.snapshot(next.decision, next.exporter);
      else await next.exporter?.connection.close();
      if (this.stopped) return;
      next = await this.stream();
    }
  }

  private async snapshot(d: Extract<SnapshotDecision, { run: true }>, exporter: Exporter | null): Promise<void> {
    const c = this.config;
    this.ctx.logger.info({ epoch: d.epoch, tables: d.read, kept: Object.keys(d.keep), resumed: d.resumed }, d.resumed ? 'resuming the interrupted snapshot' : 'snapshot starting');
    const schemaCache = new Map<number, TableSchema>();
    await runSnapshotPhase({
      epoch: d.epoch,
      anchor: d.anchor,
      read: d.read,
      keep: d.keep,
      exporter,
      openExporter: () => openTemporaryExport(this.dsn.settings, this.appName, c.slot),
      tables: this.tables,
      store: this.snapshotStore,
      onRecord: (r) => this.applyRecord(r),
      retrier: this.retrier('snapshot', { slot: c.slot }),
      settings: this.dsn.settings,
      applicationName: this.appName,
      chunkSize: c.snapshot.chunk_size,
      parallelism: c.snapshot.max_parallel_tables,
      gate: this.gate,
      signal: this.abort.signal,
      sourceId: this.id,
      database: this.dsn.settings.database,
      schemaOf: (t) => schemaCache.get(t.oid) ?? schemaCache.set(t.oid, this.schemas.forTable(t)).get(t.oid)!,
      emit: this.emit,
      logger: this.ctx.logger,
    });
  }

  /**
   * Streams with reconnects until stopped (null). Returns a new run decision when the slot had
   * to be recreated (on_slot_lost: recreate), so the caller snapshots again before streaming.
   */
  private async stream(): Promise<RunDecision | null> {
    const c = this.config;
    const reconnects = this.retrier('replication stream', { slot: c.slot });
    while (!this.stopped) {
      let repl: ReplicationConnection | null = null;
      let session: StreamSession | null = null;
      try {
        repl = await ReplicationConnection.open(this.dsn.settings, this.appName);
        const identity = await repl.identifySystem();
        const change = compareIdentity({ systemId: this.identity.systemId, timeline: this.identity.timeline, generation: this.generation, updatedAt: 0 }, identity);
        const slot = await readSlot(this.sql, c.slot);
        const lost = slotLossReason(c.slot, change, slot);
        if (lost) {
          if (change.kind !== 'same') this.checkDrift(change);
          const created = await this.recreateAfterLoss(repl, lost, this.cursor().skip, slot !== undefined);
          this.identity = identity;
          await this.identityStore.put(identity, this.generation);
          return this.afterRecreation(repl, created);
        }
        if (change.kind !== 'same') {
          this.checkDrift(change);
          this.ctx.logger.warn({ slot: c.slot }, `${describeIdentityChange(change)}, and slot ${c.slot} exists there: continuing from it`);
          this.identity = identity;
          await this.identityStore.put(identity, this.generation);
        }
        const cursor = this.cursor();
        this.assembler.restart(cursor.skip);
        session = new StreamSession({
          connection: repl,
          slot: c.slot,
          publication: c.publication,
          startLsn: cursor.startLsn,
          assembler: this.assembler,
          tracker: this.tracker,
          ackMode: this.ackMode,
          statusIntervalMs: await statusIntervalMs(this.sql, c.status_interval_secs),
          lastEmitted: () => (this.lastEmitted ? positionKey(this.lastEmitted) : null),
        });
        this.session = session;
        await session.stream.start();
        // stop() may have run while we connected: it saw no session to end.
        if (this.stopped) {
          await session.stream.stop();
          return null;
        }
        if (this.paused) session.stream.pause();
        this.ctx.logger.info({ slot: c.slot, from: formatLsn(cursor.startLsn), skipThrough: cursor.skip ? `${formatLsn(cursor.skip.lsn)}#${cursor.skip.i}` : null }, 'streaming');
        await session.stream.ended;
        return null;
      } catch (e) {
        this.session = null;
        await repl?.close();
        if (this.stopped) return null;
        // A session that streamed was healthy: the next failure starts from the shortest delay.
        if (session?.receivedData) reconnects.succeeded();
        const step = reconnects.failed(e);
        if (step.action === 'give-up') throw step.error;
        this.ctx.metrics.reconnected();
        await reconnects.wait(step, this.abort.signal);
      }
    }
    return null;
  }

  /** on_slot_lost: halt → the fatal `position lost` error; recreate → a new slot and a new generation. */
  private async recreateAfterLoss(repl: ReplicationConnection, reason: string, at: PositionKey | null, slotExists: boolean): Promise<CreatedSlot> {
    const created = await recreateSlot({ sql: this.sql, repl, config: this.config, reason, at, slotExists, logger: this.ctx.logger, generation: this.generation + 1 });
    this.generation++;
    return created;
  }

  private async afterRecreation(repl: ReplicationConnection, created: CreatedSlot): Promise<RunDecision> {
    const anchor = anchorPosition(created.consistentPoint, this.generation);
    this.anchor = { startLsn: created.consistentPoint, skip: null };
    this.startGeneration(created.consistentPoint);
    const record = await this.snapshotStore.get();
    if (this.config.snapshot.mode === 'never' || !created.snapshotName) {
      await repl.close();
      return { decision: { run: false }, exporter: null };
    }
    const decision: SnapshotDecision = { run: true, epoch: (record?.epoch ?? 0) + 1, anchor, read: [...this.tables.keys()], keep: {}, resumed: false };
    return { decision, exporter: { connection: repl, snapshotName: created.snapshotName, lsn: created.consistentPoint } };
  }

  /** A fresh assembler and flush tracker for the current slot generation. */
  private startGeneration(floor: Lsn): void {
    this.tracker = new FlushTracker(this.ackMode, floor);
    this.assembler = new ChangeAssembler(
      {
        sourceId: this.id,
        database: this.dsn.settings.database,
        generation: this.generation,
        schemas: this.schemas,
        isOutbox: compileGlobs(this.config.outbox?.prefixes ?? []),
        coveredBySnapshot: (t, lsn) => this.coveredBySnapshot(t, lsn),
        emit: this.emit,
      },
      this.anchor.skip,
    );
  }

  private readonly emit = (event: ChangeEvent): void => {
    this.lastEmitted = event.source.position as PgPosition;
    this.counter?.count(event);
    this.ctx.emit(event);
  };

  private coveredBySnapshot(table: TableSchema, commitLsn: Lsn): boolean {
    if (commitLsn >= this.snapshotMaxLsn) return false;
    const lsn = this.snapshotLsns.get(qualifiedText(table));
    return lsn !== undefined && commitLsn < lsn;
  }

  private applyRecord(record: SnapshotRecord | undefined): void {
    this.snapshotLsns = snapshotFilter(record);
    this.snapshotMaxLsn = [...this.snapshotLsns.values()].reduce(maxLsn, 0n);
  }

  /** Resume after the newest emitted event of this generation, else at the anchor. */
  private cursor(): Cursor {
    const last = this.lastEmitted ? positionKey(this.lastEmitted) : null;
    if (last && last.g === this.generation) return { startLsn: startLsnOf(last), skip: last };
    return this.anchor;
  }

  private checkDrift(change: IdentityChange): void {
    checkSchemaDrift({ tables: [...this.tables.values()], schemas: this.schemas, change, policy: this.config.on_schema_drift, sourceId: this.id, logger: this.ctx.logger });
  }

  /** The source's one way of retrying `what`: classified by the SQLSTATE table, on its clock. */
  private retrier(what: string, context: Record<string, string> = {}): Retrier {
    return new Retrier({
      what: `postgres source ${what}`,
      classify: (e) => classifyPgError(e, what, { source: this.id, ...context }),
      policy: this.backoff,
      clock: this.clock,
      random: this.random,
      logger: this.ctx.logger,
    });
  }

  private failed(e: unknown): void {
    if (this.stopped) return;
    const error = classifyPgError(e, 'postgres source', { source: this.id });
    this.ctx.fail(error.kind === 'fatal' ? error : new TidemarkError(error.code, error.message, { cause: error.cause, context: error.context, kind: 'fatal' }));
  }
}
