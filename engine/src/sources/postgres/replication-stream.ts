import type pg from 'pg';
import { closeClient, socketOf } from './connect.js';
import { formatLsn, type Lsn } from './lsn.js';
import {
  decodeKeepalive,
  encodeStandbyStatus,
  PRIMARY_KEEPALIVE,
  XLOG_DATA,
  type PrimaryKeepalive,
} from './protocol/index.js';
import { quoteIdent } from './table-patterns.js';

export interface StreamHandler {
  /** One XLogData message. A returned promise holds every later message until it settles. */
  onXLogData(chunk: Buffer): void | Promise<void>;
  onKeepalive(keepalive: PrimaryKeepalive): void;
}

export interface StreamOptions {
  readonly slot: string;
  readonly publication: string;
  readonly startLsn: Lsn;
  readonly handler: StreamHandler;
  /** The positions to report; called for every standby status update. */
  readonly status: () => { readonly written: Lsn; readonly flushed: Lsn };
  readonly statusIntervalMs: number;
}

type PauseReason = 'backpressure' | 'blocked';

/**
 * One logical replication stream over CopyBoth: START_REPLICATION with pgoutput v1 and
 * logical messages, XLogData and keepalives in, standby status updates out. It never decides
 * what is flushed: every update (timer, keepalive reply, explicit) reports `status()`.
 * Backpressure pauses the socket; status updates keep going while paused, so a long pause
 * does not trip wal_sender_timeout.
 */
export class ReplicationStream {
  readonly ended: Promise<void>;
  private settle!: { resolve: () => void; reject: (e: unknown) => void };
  private finished = false;
  private stopping = false;
  private readonly pauses = new Set<PauseReason>();
  private readonly queue: Buffer[] = [];
  private blocked = false;
  private timer: NodeJS.Timeout | null = null;
  private statusesSent = 0;

  constructor(private readonly client: pg.Client, private readonly options: StreamOptions) {
    this.ended = new Promise<void>((resolve, reject) => (this.settle = { resolve, reject }));
    this.ended.catch(() => {});
  }

  /** Number of standby status updates sent (for tests and logs). */
  get statusUpdates(): number {
    return this.statusesSent;
  }

  /** Resolves once the server switched to CopyBoth; rejects with its error otherwise. */
  start(): Promise<void> {
    const connection = connectionOf(this.client);
    connection.on('copyData', (msg: { chunk: Buffer }) => this.onCopyData(msg.chunk));
    const started = new Promise<void>((resolve) => connection.once('replicationStart', () => resolve()));
    const sql = `START_REPLICATION SLOT ${quoteIdent(this.options.slot)} LOGICAL ${formatLsn(this.options.startLsn)} (proto_version '1', publication_names '${this.options.publication.replace(/'/g, "''")}', messages 'true')`;
    const query = this.client.query(sql).then(
      () => this.finish(this.stopping ? null : new Error('the server ended the replication stream')),
      (e: unknown) => this.finish(this.stopping ? null : e),
    );
    return Promise.race([
      started.then(() => {
        this.timer = setInterval(() => this.sendStatus(false), this.options.statusIntervalMs);
        this.timer.unref();
      }),
      query.then(() => this.ended),
    ]);
  }

  pause(reason: PauseReason = 'backpressure'): void {
    this.pauses.add(reason);
    socketOf(this.client)?.pause();
  }

  resume(reason: PauseReason = 'backpressure'): void {
    this.pauses.delete(reason);
    if (this.pauses.size === 0 && !this.finished) socketOf(this.client)?.resume();
  }

  /** A standby status update with the positions `status()` reports now. */
  sendStatus(replyRequested: boolean): void {
    if (this.finished) return;
    const { written, flushed } = this.options.status();
    connectionOf(this.client).sendCopyFromChunk(encodeStandbyStatus({ written, flushed, applied: flushed, nowMs: Date.now(), replyRequested }));
    this.statusesSent++;
  }

  /** Ends the stream (a final status update first) and closes the connection. */
  async stop(): Promise<void> {
    if (!this.finished) {
      try {
        this.sendStatus(false);
      } catch {
        // the socket may already be gone
      }
    }
    this.stopping = true;
    this.finish(null);
    await closeClient(this.client);
  }

  /** Ends the stream with an error (a handler failed); the connection is dropped. */
  fail(error: unknown): void {
    this.finish(error);
    socketOf(this.client)?.destroy();
  }

  private onCopyData(chunk: Buffer): void {
    if (this.finished) return;
    if (this.blocked) {
      // pg reuses its read buffer: a message kept for later must be copied.
      this.queue.push(Buffer.from(chunk));
      return;
    }
    this.dispatch(chunk);
  }

  private dispatch(chunk: Buffer): void {
    try {
      const tag = chunk[0];
      if (tag === XLOG_DATA) {
        const wait = this.options.handler.onXLogData(chunk);
        if (wait) this.block(wait);
      } else if (tag === PRIMARY_KEEPALIVE) {
        const keepalive = decodeKeepalive(chunk);
        this.options.handler.onKeepalive(keepalive);
        if (keepalive.replyRequested) this.sendStatus(false);
      }
      // Other CopyData kinds are not sent on a logical stream; ignoring them is harmless.
    } catch (e) {
      this.fail(e);
    }
  }

  private block(wait: Promise<void>): void {
    this.blocked = true;
    this.pause('blocked');
    wait.then(
      () => {
        this.blocked = false;
        while (this.queue.length > 0 && !this.blocked && !this.finished) this.dispatch(this.queue.shift()!);
        if (!this.blocked) this.resume('blocked');
      },
      (e: unknown) => this.fail(e),
    );
  }

  private finish(error: unknown): void {
    if (this.finished) return;
    this.finished = true;
    if (this.timer) clearInterval(this.timer);
    this.queue.length = 0;
    if (error) this.settle.reject(error);
    else this.settle.resolve();
  }
}

interface PgConnection {
  on(event: 'copyData', listener: (msg: { chunk: Buffer }) => void): void;
  once(event: 'replicationStart', listener: () => void): void;
  sendCopyFromChunk(chunk: Buffer): void;
}

function connectionOf(client: pg.Client): PgConnection {
  return (client as unknown as { connection: PgConnection }).connection;
}
