import { TidemarkError } from '../../../errors/index.js';
import type { Queryable } from '../server/catalog.js';
import type { ChangeAssembler } from '../change-assembler.js';
import type { FlushPolicy } from './flush-tracker.js';
import { formatLsn, maxLsn, type Lsn } from '../lsn.js';
import type { PositionKey } from '../position.js';
import { decodePgoutput, decodeXLogDataHeader, PgoutputDecodeError, xlogDataPayload, type PrimaryKeepalive } from '../protocol/index.js';
import type { ReplicationConnection } from '../replication-connection.js';
import { ReplicationStream } from '../replication-stream.js';

export interface SessionOptions {
  readonly connection: ReplicationConnection;
  readonly slot: string;
  readonly publication: string;
  readonly startLsn: Lsn;
  readonly assembler: ChangeAssembler;
  readonly tracker: FlushPolicy;
  readonly statusIntervalMs: number;
  /** Key of the newest emitted event, for the flush tracker's idle rule. */
  readonly lastEmitted: () => PositionKey | null;
  /** The first change arrived: the session is known to work (a reconnect back-off may reset). */
  readonly onStreaming: () => void;
}

/** One START_REPLICATION session: bytes → pgoutput messages → assembler; flush LSNs from the tracker. */
export class StreamSession {
  readonly stream: ReplicationStream;
  private streaming = false;

  constructor(private readonly options: SessionOptions) {
    this.stream = new ReplicationStream(options.connection.client, {
      slot: options.slot,
      publication: options.publication,
      startLsn: options.startLsn,
      statusIntervalMs: options.statusIntervalMs,
      handler: { onXLogData: (chunk) => this.onXLogData(chunk), onKeepalive: (k) => this.onKeepalive(k) },
      status: () => {
        const flushed = options.tracker.flushLsn(options.lastEmitted(), options.assembler.boundary);
        return { written: maxLsn(options.tracker.written, options.assembler.boundary), flushed };
      },
    });
  }

  private onXLogData(chunk: Buffer): void | Promise<void> {
    if (!this.streaming) {
      this.streaming = true;
      this.options.onStreaming();
    }
    let msg;
    try {
      msg = decodePgoutput(xlogDataPayload(chunk));
    } catch (e) {
      const at = chunk.length >= 9 ? formatLsn(decodeXLogDataHeader(chunk).walStart) : '?';
      const tag = e instanceof PgoutputDecodeError ? e.tag : '';
      throw new TidemarkError('TIDEMARK_ERR_SOURCE_DECODE', `${(e as Error).message} (at LSN ${at})`, { cause: e, context: { lsn: at, tag } });
    }
    const reportNow = this.options.tracker.onData?.(decodeXLogDataHeader(chunk).walStart, msg.tag) ?? false;
    const wait = this.options.assembler.handle(msg);
    if (reportNow) this.stream.sendStatus(false);
    return wait;
  }

  private onKeepalive(k: PrimaryKeepalive): void {
    this.options.tracker.received(k.walEnd);
    this.options.assembler.noteBoundary(k.walEnd);
  }
}

/** The configured status interval, kept under half of wal_sender_timeout so the server never times us out. */
export async function statusIntervalMs(db: Queryable, configuredSecs: number): Promise<number> {
  const configured = configuredSecs * 1000;
  try {
    const { rows } = await db.query<{ ms: string }>("SELECT setting AS ms FROM pg_catalog.pg_settings WHERE name = 'wal_sender_timeout'");
    const timeout = Number(rows[0]?.ms ?? 0);
    return timeout > 0 ? Math.max(100, Math.min(configured, Math.floor(timeout / 2))) : configured;
  } catch {
    return configured;
  }
}
