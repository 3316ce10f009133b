import type { Outcome } from '../history/index.js';
import { executeTxn } from './executor.js';
import { sleep, type Gate, type Pacer } from './pacing.js';
import { WriterModel, type PlanOptions, type PlannedWrite } from './planner.js';
import type { HistoryRecorder } from './recorder.js';
import { recoverKeys } from './recovery.js';
import { Rng } from './rng.js';
import type { SchemaModel } from './schema.js';
import type { Dialect } from './sql/dialect.js';
import { connectSession, describeError, type ConnectionOptions, type SqlSession } from './sql/session.js';

export interface WriterContext {
  readonly connection: ConnectionOptions;
  readonly database: string;
  readonly dialect: Dialect;
  readonly schema: SchemaModel;
  readonly recorder: HistoryRecorder;
  readonly gate: Gate;
  /** Read at every txn, so a free-running workload can change its mix (WorkloadHandle.adjust). */
  plan: PlanOptions;
  readonly seed: number;
  readonly statementTimeoutMs: number;
  /** How long to wait for a lost session to disappear server-side before abandoning its keys. */
  readonly recoveryTimeoutMs: number;
  /** Aborted on stop: no new txns. */
  readonly stopping: AbortSignal;
  /** Aborted when stop gives up waiting: no reconnects or recovery either. */
  readonly halted: AbortSignal;
}

/**
 * One writer: its own session, its own keys and its own random stream. Runs txns one after the
 * other; after any txn that is not ok it drops the session, reconnects (retrying until stopped)
 * and reads back the txn's keys before planning again.
 */
export class Writer {
  private session: SqlSession | null = null;
  private connectedBefore = false;
  private readonly model: WriterModel;
  private readonly rng: Rng;
  private retired = false;

  constructor(
    readonly id: number,
    private readonly ctx: WriterContext,
    private readonly pacer: Pacer,
  ) {
    this.model = new WriterModel(id, ctx.schema, ctx.dialect.source);
    this.rng = Rng.forWriter(ctx.seed, id);
  }

  /** Server-side id of the current session, if connected. */
  get sessionId(): number | null {
    return this.session?.id ?? null;
  }

  async run(): Promise<void> {
    try {
      while (!this.ctx.stopping.aborted && !this.retired) {
        await this.pacer.wait(this.ctx.stopping);
        if (this.ctx.stopping.aborted || this.retired) break;
        await this.step();
      }
    } finally {
      await this.session?.close();
      this.session = null;
    }
  }

  /** Ends this writer after its current txn; its keys are never written again (fewer writers). */
  retire(): void {
    this.retired = true;
  }

  /** Drops the session at once (stop timeout). */
  destroy(): void {
    this.session?.destroy();
  }

  private async step(): Promise<void> {
    const session = await this.connect();
    if (!session) return;
    await this.ctx.gate.enter();
    let writes: PlannedWrite[];
    let txnId: number;
    let outcome: Outcome;
    try {
      writes = this.model.plan(this.rng, this.ctx.plan);
      if (writes.length === 0) {
        this.ctx.recorder.error(`writer ${this.id} has no key left to write (all abandoned after lost sessions)`);
        return;
      }
      txnId = this.ctx.recorder.invoke(this.id, writes.map((w) => w.reported ?? w.version));
      const result = await executeTxn(session, this.ctx.dialect, this.ctx.schema, this.ctx.database, writes);
      this.ctx.recorder.complete(txnId, result);
      outcome = result.outcome;
    } finally {
      this.ctx.gate.leave();
    }
    if (outcome === 'ok') {
      this.model.apply(writes);
      return;
    }
    session.destroy();
    this.session = null;
    await this.recover(session, txnId, writes, outcome === 'info');
  }

  private async recover(old: SqlSession, txnId: number, writes: readonly PlannedWrite[], resolve: boolean): Promise<void> {
    const { dialect, schema, database, recoveryTimeoutMs: timeoutMs } = this.ctx;
    for (;;) {
      const session = await this.connect();
      if (!session) return;
      try {
        const resolution = await recoverKeys(session, old, writes, { dialect, schema, database, model: this.model, timeoutMs, halted: this.ctx.halted });
        if (resolve && resolution) this.ctx.recorder.resolve(txnId, resolution);
        return;
      } catch (err) {
        this.ctx.recorder.error(`writer ${this.id} recovery: ${describeError(err)}`);
        session.destroy();
        this.session = null;
      }
    }
  }

  /** The current session, or a new one; retries with backoff until connected or halted. */
  private async connect(): Promise<SqlSession | null> {
    if (this.session) return this.session;
    for (let delay = 50; !this.ctx.halted.aborted; delay = Math.min(delay * 2, 2000)) {
      try {
        this.session = await connectSession(this.ctx.dialect.source, this.ctx.connection, {
          label: `tidemark-workload-w${this.id}`,
          statementTimeoutMs: this.ctx.statementTimeoutMs,
        });
        if (this.connectedBefore) this.ctx.recorder.reconnected();
        this.connectedBefore = true;
        return this.session;
      } catch (err) {
        this.ctx.recorder.error(`writer ${this.id} connect: ${describeError(err)}`);
        await sleep(delay, this.ctx.halted);
      }
    }
    return null;
  }
}
