import type { Outcome } from '../../history/index.js';
import type { Pacer } from '../pacing.js';
import type { HistoryRecorder } from '../recorder.js';
import { Rng } from '../rng.js';
import type { Dialect } from '../sql/dialect.js';
import { connectSession, describeError, type ConnectionOptions, type SqlSession } from '../sql/session.js';
import { VersionedTxn } from './rows.js';
import { delivery, drawKind, newOrder, orderStatus, payment, stockLevel, type TpccScale, type TxnKind } from './transactions.js';

const RUN = { 'new-order': newOrder, payment, delivery, 'order-status': orderStatus, 'stock-level': stockLevel } as const;

export interface TerminalContext {
  readonly connection: ConnectionOptions;
  readonly dialect: Dialect;
  readonly database: string;
  readonly recorder: HistoryRecorder;
  readonly scale: TpccScale;
  readonly seed: number;
  readonly stopping: AbortSignal;
  /** Per kind: committed, failed (deadlocks, lost connections), indeterminate. */
  readonly counts: Record<TxnKind, Record<Outcome, number>>;
}

/**
 * One TPC-C terminal: a home warehouse, its own session and random stream, transactions one
 * after another at its pace. The history records what each transaction wrote, staged as it
 * went: recorded just before COMMIT (`info` when COMMIT's answer is lost, `fail` on any earlier
 * error such as a deadlock, after which the session is dropped and opened again).
 */
export class Terminal {
  private session: SqlSession | null = null;
  private readonly rng: Rng;
  private readonly warehouse: number;
  private histories = 0;

  constructor(
    readonly id: number,
    private readonly ctx: TerminalContext,
    private readonly pacer: Pacer,
  ) {
    this.rng = Rng.forWriter(ctx.seed, id);
    this.warehouse = ((id - 1) % ctx.scale.warehouses) + 1;
  }

  async run(): Promise<void> {
    try {
      while (!this.ctx.stopping.aborted) {
        await this.pacer.wait(this.ctx.stopping);
        if (this.ctx.stopping.aborted) break;
        await this.step();
      }
    } finally {
      await this.session?.close();
    }
  }

  private async step(): Promise<void> {
    const session = await this.connect();
    if (!session) return;
    const kind = drawKind(this.rng);
    const { dialect, recorder } = this.ctx;
    const t = new VersionedTxn(session, dialect, this.ctx.database, this.id);
    let id: number | null = null;
    let outcome: Outcome = 'ok';
    let error: string | undefined;
    try {
      await session.execute(dialect.begin);
      await RUN[kind](t, this.rng, this.ctx.scale, this.warehouse, () => this.id * 10_000_000_000 + ++this.histories);
      if (t.versions.length > 0) id = recorder.invoke(this.id, t.versions);
      try {
        await session.execute(dialect.commit);
      } catch (e) {
        outcome = 'info';
        error = describeError(e);
      }
    } catch (e) {
      outcome = 'fail';
      error = describeError(e);
      if (t.versions.length > 0 && id === null) id = recorder.invoke(this.id, t.versions);
    }
    if (id !== null) recorder.complete(id, { outcome, ...(error ? { error } : {}) });
    this.ctx.counts[kind][outcome]++;
    if (outcome !== 'ok') {
      session.destroy();
      this.session = null;
    }
  }

  private async connect(): Promise<SqlSession | null> {
    if (this.session) return this.session;
    for (let delay = 50; !this.ctx.stopping.aborted; delay = Math.min(delay * 2, 2000)) {
      try {
        this.session = await connectSession(this.ctx.dialect.source, this.ctx.connection, { label: `tidemark-workload-tpcc${this.id}`, statementTimeoutMs: 30_000 });
        return this.session;
      } catch (e) {
        this.ctx.recorder.error(`terminal ${this.id} connect: ${describeError(e)}`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
    return null;
  }
}
