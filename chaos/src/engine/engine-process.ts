import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagedProcess } from '../infra/process/managed-process.js';
import { EngineApi } from './api-client.js';

export interface EngineProcessOptions {
  readonly dataDir: string;
  readonly apiPort: number;
  readonly metricsPort: number;
  /** Where stdout/stderr of every run go (appended across restarts). */
  readonly logFile: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Test-only: name of a deliberate engine bug to inject (see chaos/src/mutations). The module
   * that applies it is preloaded with `--import`; the engine itself knows nothing about it.
   */
  readonly mutation?: string | null;
  readonly logLevel?: string;
  /** Extra node flags before the engine script, e.g. `--cpu-prof` for a benchmark's profile. */
  readonly nodeArgs?: readonly string[];
  /** A full garbage collection this often (gc-pacer.ts), for runs that judge the live heap; none by default. */
  readonly gcEveryMs?: number;
}

// Both chaos/src/engine and chaos/dist/engine sit three levels below the repository root.
const ENGINE_BIN = fileURLToPath(new URL('../../../engine/bin/tidemark.js', import.meta.url));
// Always the compiled module: the engine process is plain Node, it cannot load TypeScript.
const MUTATIONS = new URL('../../dist/mutations/register.js', import.meta.url).href;
const GC_PACER = new URL('../../dist/engine/gc-pacer.js', import.meta.url).href;

export interface EngineExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly at: number;
}

/**
 * `tidemark run` as a separate process, the way users run it. Pipelines are created through the
 * API and persisted by the engine in its data dir, so a SIGKILL and restart must bring them back.
 * The process runs under `setpriv --pdeathsig KILL`: if the harness dies, so does the engine.
 */
export class EngineProcess {
  readonly api: EngineApi;
  readonly metricsUrl: string;
  private process: ManagedProcess | null = null;
  /** Exit codes/signals of every run, for reports. */
  readonly exits: EngineExit[] = [];
  /** How many times the process was started. */
  starts = 0;
  /** Bumped by every kill/stop: a start cut short by our own signal is not a failure. */
  private generation = 0;

  constructor(private readonly options: EngineProcessOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    mkdirSync(dirname(options.logFile), { recursive: true });
    this.api = new EngineApi(`http://127.0.0.1:${options.apiPort}`);
    this.metricsUrl = `http://127.0.0.1:${options.metricsPort}`;
  }

  get pid(): number | undefined {
    return this.process?.running ? this.process.pid : undefined;
  }

  get running(): boolean {
    return this.process?.running === true;
  }

  get logFile(): string {
    return this.options.logFile;
  }

  /** Starts the process and waits until its API answers /ready. A running engine is left alone. */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.running) return;
    const args = [
      // isolated-vm (javascript processors) needs it on Node 20+.
      '--no-node-snapshot',
      ...(this.options.nodeArgs ?? []),
      ...(this.options.mutation ? ['--import', MUTATIONS] : []),
      ...(this.options.gcEveryMs ? ['--expose-gc', '--import', GC_PACER] : []),
      ENGINE_BIN,
      'run',
      '--data-dir', this.options.dataDir,
      '--api-addr', `127.0.0.1:${this.options.apiPort}`,
      '--metrics-addr', `127.0.0.1:${this.options.metricsPort}`,
      '--log-level', this.options.logLevel ?? 'info',
      '--summary-interval', '5',
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, TIDEMARK_API_TOKEN: '', ...this.options.env };
    if (this.options.gcEveryMs) env.TIDEMARK_GC_EVERY_MS = String(this.options.gcEveryMs);
    if (this.options.mutation) env.TIDEMARK_MUTATION = this.options.mutation;
    else delete env.TIDEMARK_MUTATION;
    const generation = this.generation;
    const child = ManagedProcess.launch({ command: process.execPath, args, env, logFile: this.options.logFile });
    this.process = child;
    this.starts++;
    void child.exited.then((e) => this.exits.push({ code: e.code, signal: e.signal, at: Date.now() }));
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      // Killed by the nemesis while starting (a crash can land at any instant): whoever killed it restarts it.
      if (!child.running && this.generation !== generation) return;
      if (!child.running) throw new Error(`engine exited during start (${describeExit(this.exits.at(-1))}); log: ${this.options.logFile}\n${this.tail(30)}`);
      if (await this.api.ready()) return;
      await sleep(100);
    }
    await child.kill();
    throw new Error(`engine API did not answer within ${timeoutMs} ms on port ${this.options.apiPort}; log: ${this.options.logFile}\n${this.tail(30)}`);
  }

  /** SIGKILL: no flush, no checkpoint, as if the machine lost power under the process. */
  async kill(): Promise<void> {
    this.generation++;
    const child = this.process;
    if (child?.running) await child.kill();
  }

  /** SIGTERM: graceful stop (flush in-flight batches, save checkpoints); SIGKILL after `graceMs`. */
  async stop(graceMs = 30_000): Promise<void> {
    this.generation++;
    const child = this.process;
    if (child?.running) await child.terminate('SIGTERM', graceMs);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the engine for good (graceful, bounded). */
  async close(): Promise<void> {
    await this.stop(10_000);
  }

  /** The last lines of the engine log, for error messages and reports. */
  tail(lines = 50): string {
    try {
      return readFileSync(this.options.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

function describeExit(exit: EngineExit | undefined): string {
  if (!exit) return 'no exit status';
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
