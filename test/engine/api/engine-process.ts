import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '../../support/poll.js';

const BIN = resolve('engine/bin/tidemark.js');

/**
 * `tidemark run` as a child process (the compiled engine: run `npx tsc -b` first), with the API
 * and metrics on free ports (port 0; the bound addresses are read from its log).
 */
export class EngineProcess {
  private child: ChildProcess | null = null;
  private stderr = '';
  apiUrl = '';
  metricsUrl = '';
  exitCode: number | null = null;

  constructor(
    readonly dataDir: string,
    private readonly args: readonly string[] = [],
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get log(): string {
    return this.stderr;
  }

  /** Starts the process and resolves once /ready answers 200. */
  async start(timeoutMs = 30_000): Promise<void> {
    this.stderr = '';
    this.exitCode = null;
    const child = spawn(process.execPath, ['--no-node-snapshot', BIN, 'run', '--data-dir', this.dataDir, '--api-addr', '127.0.0.1:0', '--metrics-addr', '127.0.0.1:0', '--summary-interval', '1', ...this.args], {
      env: { ...process.env, TIDEMARK_LOG_LEVEL: 'info', TIDEMARK_API_TOKEN: '', ...this.env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.child = child;
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    child.once('exit', (code, signal) => (this.exitCode = code ?? (signal ? 128 : -1)));
    const started = Date.now();
    const exitedEarly = () => this.exitCode !== null && `tidemark run exited with ${this.exitCode}:\n${this.stderr}`;
    const line = await waitFor(() => `tidemark run to start:\n${this.stderr}`, () => this.stderr.split('\n').find((l) => l.includes('"control plane listening"')), { timeoutMs, abortIf: exitedEarly });
    const parsed = JSON.parse(line) as { api: string; metrics: string };
    this.apiUrl = parsed.api;
    this.metricsUrl = parsed.metrics;
    await waitFor(() => `tidemark run to become ready:\n${this.stderr}`, () => fetch(`${this.apiUrl}/ready`).then((r) => r.ok, () => false), {
      timeoutMs: Math.max(1, timeoutMs - (Date.now() - started)),
      abortIf: exitedEarly,
    });
  }

  /** SIGKILL: no shutdown code runs, like a crash. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM and wait for the exit code. */
  async stop(): Promise<number | null> {
    await this.signal('SIGTERM');
    return this.exitCode;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
  }
}

/** A small HTTP client for the API; `token` becomes a bearer header. */
export function apiClient(engine: EngineProcess, token?: string) {
  return async (method: string, path: string, body?: unknown, authorization?: string | null): Promise<{ status: number; json: any; text: string }> => {
    const headers: Record<string, string> = {};
    const auth = authorization === undefined ? (token ? `Bearer ${token}` : undefined) : authorization;
    if (auth) headers.authorization = auth;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${engine.apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, json, text };
  };
}

/** `name{labels} value` samples of a Prometheus exposition. */
export function metricSamples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
