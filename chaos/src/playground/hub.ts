import type { ServerResponse } from 'node:http';
import { redact } from '@tidemark/engine/config/index';
import type { TimelineSample } from '../report/index.js';
import type { LiveSample, PlaygroundState, RunView, StateMessage } from './protocol.js';

/** Samples of the live charts kept (and sent to a new tab): ten minutes at one a second. */
export const KEEP_SAMPLES = 600;
/** Log lines of the current run kept. */
export const KEEP_RUN_LOG = 800;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The playground's one copy of the state and the tabs that mirror it. Every change goes through
 * here and out to every open Server-Sent Events stream, already redacted; a tab that connects
 * (or reconnects) gets a full snapshot first.
 */
export class Hub {
  private readonly state: Mutable<PlaygroundState>;
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(initial: PlaygroundState) {
    this.state = { ...initial };
    // A comment line every 15 s keeps proxies and the browser from timing the stream out.
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), 15_000);
    this.heartbeat.unref();
  }

  get current(): PlaygroundState {
    return this.state;
  }

  set<K extends keyof PlaygroundState>(key: K, value: PlaygroundState[K]): void {
    this.state[key] = value;
    this.send({ op: 'set', key, value });
  }

  /** Changes the current run (no-op when none): a shallow merge. */
  updateRun(change: Partial<RunView>): void {
    if (!this.state.run) return;
    this.set('run', { ...this.state.run, ...change });
  }

  sample(sample: LiveSample): void {
    const samples = [...this.state.samples, sample];
    this.state.samples = samples.length > KEEP_SAMPLES ? samples.slice(-KEEP_SAMPLES) : samples;
    this.send({ op: 'sample', sample, keep: KEEP_SAMPLES });
  }

  runLog(line: string): void {
    const run = this.state.run;
    if (!run) return;
    const log = [...run.log, line].slice(-KEEP_RUN_LOG);
    this.state.run = { ...run, log };
    this.send({ op: 'run-log', id: run.id, line, keep: KEEP_RUN_LOG });
  }

  runSample(sample: TimelineSample): void {
    const run = this.state.run;
    if (!run) return;
    this.state.run = { ...run, samples: [...run.samples, sample] };
    this.send({ op: 'run-sample', id: run.id, sample });
  }

  /** Attaches an SSE response: headers, a snapshot, then every later change. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(`retry: 1000\n${frame({ op: 'snapshot', state: this.state })}`);
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  get tabs(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private send(message: StateMessage): void {
    if (this.clients.size > 0) this.write(frame(message));
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }
}

/** One SSE frame; the payload is redacted like every engine API response. */
export function frame(message: StateMessage): string {
  return `data: ${JSON.stringify(redact(message))}\n\n`;
}
