import type { Retrier } from '../../../util/retry/index.js';
import { formatLsn } from '../lsn.js';
import { ReplicationConnection, type SystemIdentity } from '../replication-connection.js';
import { driftCheck, openGeneration, type Captured, type OpenedGeneration, type SourceEnv } from '../server/connect-plan.js';
import { reconcileServer } from '../server/reconcile.js';
import type { Capture } from './capture.js';
import { statusIntervalMs, StreamSession } from './stream-session.js';

export interface StreamingLoopOptions {
  readonly env: SourceEnv;
  readonly captured: Captured;
  readonly capture: Capture;
  /** The server the start-up connected to. */
  readonly identity: SystemIdentity;
  readonly reconnects: Retrier;
  /** Aborted by the source's stop(). */
  readonly signal: AbortSignal;
  readonly isPaused: () => boolean;
  /** Every reconnect after a lost stream (a metric). */
  readonly onReconnect: () => void;
}

/**
 * Keeps one START_REPLICATION session running: connect, reconcile the server (the same check
 * as at start-up: identity, slot loss, on_slot_lost), stream from the capture's cursor, and on
 * a retryable failure reconnect with the retrier's back-off. A session that streamed resets
 * the back-off.
 */
export class StreamingLoop {
  private session: StreamSession | null = null;
  private identity: SystemIdentity;

  constructor(private readonly options: StreamingLoopOptions) {
    this.identity = options.identity;
  }

  pause(): void {
    this.session?.stream.pause();
  }

  resume(): void {
    this.session?.stream.resume();
  }

  /** The flush LSN moved: tell the server now rather than at the next status interval. */
  reportFlush(): void {
    this.session?.stream.sendStatus(false);
  }

  async stop(): Promise<void> {
    await this.session?.stream.stop();
  }

  /**
   * Streams until stopped (null), or until the slot had to be recreated (on_slot_lost:
   * recreate): then the new generation, which the caller snapshots before streaming again.
   */
  async run(): Promise<OpenedGeneration | null> {
    const { env, capture, reconnects, signal } = this.options;
    const c = env.config;
    while (!signal.aborted) {
      let repl: ReplicationConnection | null = null;
      let session: StreamSession | null = null;
      try {
        repl = await ReplicationConnection.open(env.dsn.settings, env.appName);
        const cursor = capture.cursor();
        const server = await reconcileServer({ ...env, repl, known: this.identity, generation: capture.generation, dependsOn: cursor.skip, replaceUnused: false, checkDrift: driftCheck(env, this.options.captured) });
        this.identity = server.identity;
        if (server.recreated) return await openGeneration(env, this.options.captured, repl, { generation: server.generation, slot: undefined, created: server.recreated, resume: null });
        capture.assembler.restart(cursor.skip);
        session = new StreamSession({
          connection: repl,
          slot: c.slot,
          publication: c.publication,
          startLsn: cursor.startLsn,
          assembler: capture.assembler,
          tracker: capture.tracker,
          statusIntervalMs: await statusIntervalMs(env.sql, c.status_interval_secs),
          lastEmitted: () => capture.lastEmittedKey(),
          onStreaming: () => reconnects.succeeded(),
        });
        this.session = session;
        await session.stream.start();
        // stop() may have run while we connected: it saw no session to end.
        if (signal.aborted) {
          await session.stream.stop();
          return null;
        }
        if (this.options.isPaused()) session.stream.pause();
        env.logger.info({ slot: c.slot, from: formatLsn(cursor.startLsn), skipThrough: cursor.skip ? `${formatLsn(cursor.skip.lsn)}#${cursor.skip.i}` : null }, 'streaming');
        await session.stream.ended;
        return null;
      } catch (e) {
        this.session = null;
        await repl?.close();
        if (signal.aborted) return null;
        const step = reconnects.failed(e);
        if (step.action === 'give-up') throw step.error;
        this.options.onReconnect();
        await reconnects.wait(step, signal);
      }
    }
    return null;
  }
}
