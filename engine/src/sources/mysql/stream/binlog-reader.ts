import ZongJi, { type AnyBinlogEvent } from '@vlasky/zongji';
import type { ConnectionOptions } from 'mysql2';
import type { Socket } from 'node:net';
import type { ResumePlan } from '../protocol/position.js';
import type { BinlogInput } from './binlog-input.js';
import { SocketGate, type PauseReason } from './socket-gate.js';
import { toBinlogInput, WANTED_EVENTS } from './zongji-adapter.js';

export interface ReaderOptions {
  readonly connection: ConnectionOptions;
  /** The replica server_id announced to the server. */
  readonly serverId: number;
  readonly from: ResumePlan;
  /** The server sends a heartbeat after this long without events. */
  readonly heartbeatMs: number;
  /** No byte for this long while not paused: the connection is considered dead. */
  readonly inactivityMs: number;
  readonly onInput: (input: BinlogInput) => void;
  /** Any failure after start() resolved (connection lost, server error, decode error). */
  readonly onError: (error: unknown) => void;
}

/** Driver internals the reader touches: the socket, to pause it, and the driver's own pause flag. */
interface DriverConnection {
  readonly stream: Socket;
  readonly _paused?: boolean;
  query(sql: string, cb: (err: Error | null) => void): void;
}

/**
 * One binlog dump over @vlasky/zongji: starts from a resume plan, pauses the socket for
 * backpressure (zongji has no pause API), and watches for silence so a half-open connection
 * (no FIN, no RST, no data) is noticed instead of waiting forever.
 */
export class BinlogReader {
  private readonly zongji: ZongJi;
  private gate: SocketGate | null = null;
  private lastData = Date.now();
  private watchdog: NodeJS.Timeout | null = null;
  private failed = false;
  private stopped = false;
  private readonly pending = new Set<PauseReason>();
  /** Set until the dump is accepted: failures before that reject start() instead of calling onError. */
  private rejectStart: ((error: unknown) => void) | null = null;

  constructor(private readonly options: ReaderOptions) {
    this.zongji = new ZongJi(options.connection);
  }

  /** Resolves once the server accepted the dump (its first event arrived); rejects if it refused. */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.rejectStart = reject;
      this.zongji.on('binlog', (event: AnyBinlogEvent) => {
        if (this.stopped) return;
        if (this.rejectStart) {
          this.rejectStart = null;
          resolve();
        }
        const input = toBinlogInput(event);
        if (input !== null) this.options.onInput(input);
      });
      this.zongji.on('error', (error: Error) => {
        if (!this.stopped) this.fail(error);
      });
      const { from } = this.options;
      this.zongji.start({
        serverId: this.options.serverId,
        includeEvents: WANTED_EVENTS,
        ...(from.gtidSet !== null ? { gtidSet: from.gtidSet } : { filename: from.file, position: from.pos }),
      });
      // start() reports a bad start position synchronously, before any connection exists.
      if (this.zongji.connection) this.attach(this.zongji.connection as unknown as DriverConnection);
    });
  }

  pause(reason: PauseReason): void {
    this.pending.add(reason);
    this.gate?.pause(reason);
  }

  resume(reason: PauseReason): void {
    this.pending.delete(reason);
    // Time spent paused is not silence from the server.
    this.lastData = Date.now();
    this.gate?.resume(reason);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.watchdog) clearInterval(this.watchdog);
    const done = new Promise<void>((resolve) => {
      this.zongji.once('stopped', () => resolve());
      setTimeout(resolve, 2000).unref();
    });
    try {
      this.zongji.stop();
    } catch {
      // connections already gone
    }
    await done;
  }

  private attach(connection: DriverConnection): void {
    const socket = connection.stream;
    this.gate = new SocketGate(socket, () => connection._paused === true);
    for (const reason of this.pending) this.gate.pause(reason);
    socket.on('data', () => (this.lastData = Date.now()));
    // Before zongji's own preamble and the dump command (commands run in order): ask the server
    // for a heartbeat whenever it has nothing to send, so silence means a dead connection.
    const nanos = BigInt(this.options.heartbeatMs) * 1_000_000n;
    connection.query(`SET @master_heartbeat_period = ${nanos}`, () => {});
    this.watchdog = setInterval(() => this.checkAlive(), Math.max(100, Math.min(1000, Math.floor(this.options.inactivityMs / 4))));
    this.watchdog.unref();
  }

  private checkAlive(): void {
    if (this.stopped || this.failed || this.gate?.paused) return;
    const silentFor = Date.now() - this.lastData;
    if (silentFor > this.options.inactivityMs) {
      this.fail(Object.assign(new Error(`no data from the server for ${silentFor} ms (heartbeats every ${this.options.heartbeatMs} ms): connection presumed dead`), { code: 'ETIMEDOUT' }));
    }
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    const reject = this.rejectStart;
    this.rejectStart = null;
    if (reject) reject(error);
    else this.options.onError(error);
  }
}
