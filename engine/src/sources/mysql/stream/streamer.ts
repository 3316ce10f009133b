import type { ConnectionOptions } from 'mysql2';
import type { ChangeEvent } from '../../../event/index.js';
import type { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { BackoffPolicy } from '../../../util/backoff.js';
import type { Clock } from '../../../util/clock.js';
import { Retrier, type RetryStep } from '../../../util/retry/index.js';
import { parseGtidState } from '../protocol/gtid.js';
import { classifyMysqlError } from '../protocol/mysql-errors.js';
import { resumePlan, type MysqlPosition } from '../protocol/position.js';
import type { ServerState } from '../server/server-state.js';
import { BinlogReader } from './binlog-reader.js';
import type { HandoffFilter } from './handoff-filter.js';
import { TxAssembler, type SchemaChange } from './tx-assembler.js';
import type { TableResolver } from './table-resolver.js';

export interface StreamerOptions {
  readonly sourceId: string;
  readonly tenant: string;
  readonly connection: ConnectionOptions;
  readonly replicaServerId: number;
  readonly epoch: number;
  readonly heartbeatMs: number;
  readonly inactivityMs: number;
  readonly backoff: BackoffPolicy;
  readonly random: () => number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tables: TableResolver;
  readonly handoff: HandoffFilter | null;
  /** Opens control connections and checks identity and reachability of `from`; throws classified errors. */
  readonly prepare: (from: MysqlPosition) => Promise<ServerState>;
  readonly refreshSchemas: (change: SchemaChange) => Promise<void>;
  readonly emit: (event: ChangeEvent) => void;
  readonly onReconnected: () => void;
  /** A failure reconnecting cannot fix. */
  readonly onFatal: (error: TidemarkError) => void;
}

/**
 * Keeps one binlog dump running: connect, stream, and on a network failure reconnect with
 * exponential backoff and full jitter from the last emitted position, which is a resume token,
 * so nothing is emitted twice or skipped across reconnects (or across a failover, when the
 * new server holds our GTID state).
 */
export class Streamer {
  private reader: BinlogReader | null = null;
  private assembler: TxAssembler | null = null;
  private position: MysqlPosition;
  private paused = false;
  private stopped = false;
  private readonly reconnects: Retrier;
  /** Aborted by stop(): cuts a reconnect back-off short. */
  private readonly abort = new AbortController();
  /** Counters of assemblers already replaced, so metrics see totals. */
  private retired = { events: 0, bytes: 0 };

  constructor(private readonly options: StreamerOptions, from: MysqlPosition) {
    this.position = from;
    this.reconnects = new Retrier({
      what: 'binlog connection',
      classify: (e) => classifyMysqlError(e, { source: options.sourceId }),
      policy: options.backoff,
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      fields: () => ({ from: describePosition(this.position) }),
    });
  }

  /** First connect: rejects with the classified error so start() can report it. */
  async start(): Promise<void> {
    await this.connect();
  }

  get counters(): { events: number; bytes: number; lastTs: number } {
    const a = this.assembler;
    return { events: this.retired.events + (a?.events ?? 0), bytes: this.retired.bytes + (a?.bytes ?? 0), lastTs: a?.lastTs ?? 0 };
  }

  pause(): void {
    this.paused = true;
    this.reader?.pause('backpressure');
  }

  resume(): void {
    this.paused = false;
    this.reader?.resume('backpressure');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.teardown();
  }

  private async connect(): Promise<void> {
    const from = this.position;
    const state = await this.options.prepare(from);
    if (this.stopped) return;
    const plan = resumePlan(from);
    const assembler = new TxAssembler(
      {
        sourceId: this.options.sourceId,
        tenant: this.options.tenant,
        emit: this.options.emit,
        tables: this.options.tables,
        refreshSchemas: this.options.refreshSchemas,
        hold: (on) => (on ? this.reader?.pause('schema') : this.reader?.resume('schema')),
        fail: (e) => this.onStreamError(reader, e),
      },
      {
        epoch: this.options.epoch,
        serverId: state.identity.serverId,
        gtid: from.gtid_set === null ? null : parseGtidState(from.gtid_set, state.identity.flavor),
        file: from.file,
        pos: from.pos,
        skip: plan.skip === null ? null : { gtid: plan.skip.gtid, index: plan.skip.count - 1 },
        handoff: this.options.handoff,
      },
    );
    const reader = new BinlogReader({
      connection: this.options.connection,
      serverId: this.options.replicaServerId,
      from: plan,
      heartbeatMs: this.options.heartbeatMs,
      inactivityMs: this.options.inactivityMs,
      onInput: (input) => assembler.push(input),
      onError: (e) => this.onStreamError(reader, e),
    });
    if (this.paused) reader.pause('backpressure');
    this.assembler = assembler;
    this.reader = reader;
    try {
      await reader.start();
    } catch (e) {
      await this.teardown();
      throw classifyMysqlError(e, { source: this.options.sourceId, from: describePosition(from) });
    }
    this.options.logger.info({ from: describePosition(from), server: state.identity }, 'binlog streaming started');
  }

  private onStreamError(reader: BinlogReader, e: unknown): void {
    if (this.stopped || reader !== this.reader) return;
    const step = this.reconnects.failed(e);
    if (step.action === 'give-up') {
      void this.teardown();
      this.options.onFatal(step.error);
      return;
    }
    this.position = this.assembler?.lastPosition ?? this.position;
    void this.teardown().then(() => this.reconnectLoop(step));
  }

  private async reconnectLoop(first: Extract<RetryStep, { delayMs: number }>): Promise<void> {
    let step: RetryStep = first;
    while (!this.stopped) {
      if (step.action === 'give-up') {
        this.options.onFatal(step.error);
        return;
      }
      await this.reconnects.wait(step, this.abort.signal);
      if (this.stopped) return;
      try {
        await this.connect();
        if (this.stopped) return;
        this.reconnects.succeeded();
        this.options.onReconnected();
        return;
      } catch (e) {
        step = this.reconnects.failed(e);
      }
    }
  }

  private async teardown(): Promise<void> {
    const reader = this.reader;
    const assembler = this.assembler;
    this.reader = null;
    if (assembler) {
      this.retired = { events: this.retired.events + assembler.events, bytes: this.retired.bytes + assembler.bytes };
      this.assembler = null;
      assembler.close();
    }
    await reader?.stop();
  }
}

export function describePosition(p: MysqlPosition): string {
  const at = p.gtid_set !== null ? `gtid ${p.gtid_set || '(empty)'}` : `${p.file}:${p.pos}`;
  return p.index >= 0 ? `${at} +${p.index + 1} rows of ${p.gtid ?? 'the next transaction'}` : at;
}
