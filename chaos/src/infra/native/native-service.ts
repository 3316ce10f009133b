import { readFile } from 'node:fs/promises';
import { ManagedProcess, type LaunchSpec } from '../process/managed-process.js';
import { traced } from '../debug.js';
import { waitUntilReady } from '../readiness.js';
import type { ReplicaHandle, ServiceHandle, ServiceInfo } from '../types.js';

/** How to run one kind of server natively; NativeService turns it into a ServiceHandle. */
export interface ServerRecipe {
  readonly info: ServiceInfo;
  /** Captured stdout/stderr of the process. */
  readonly logFile: string;
  /** The server's own log files, if it writes any besides stdout. */
  readonly extraLogFiles?: readonly string[];
  /** Graceful stop signal (Postgres: SIGINT = fast shutdown; SIGTERM would wait for clients). */
  readonly stopSignal: NodeJS.Signals;
  readonly readyTimeoutMs: number;
  /** Creates the data dir; runs once, before the first start. */
  prepare(): Promise<void>;
  /** Evaluated at each start, since flags may change (e.g. a promoted replica drops --read-only). */
  launchSpec(): LaunchSpec;
  probe(): Promise<void>;
  /** Runs once, after the first successful start (e.g. pointing a replica at its primary). */
  afterFirstStart?(): Promise<void>;
  promote?(): Promise<void>;
}

const STOP_GRACE_MS = 30_000;
const START_ATTEMPTS = 3;

/** A natively spawned server with the ServiceHandle lifecycle. */
export class NativeService implements ServiceHandle {
  private current: ManagedProcess | undefined;
  private prepared = false;
  private startedOnce = false;
  private starting: Promise<void> | undefined;
  /** Every PID this service ever had, for the no-orphan check in tests. */
  readonly pidHistory: number[] = [];

  constructor(protected readonly recipe: ServerRecipe) {}

  get name() { return this.recipe.info.name; }
  get kind() { return this.recipe.info.kind; }
  get direct() { return this.recipe.info.direct; }
  get proxied() { return this.recipe.info.proxied; }
  get credentials() { return this.recipe.info.credentials; }
  get cdcCredentials() { return this.recipe.info.cdcCredentials; }
  get replicaOf() { return this.recipe.info.replicaOf; }
  get location() { return this.recipe.info.location; }

  get pid(): number | undefined {
    return this.current?.running ? this.current.pid : undefined;
  }

  info(): ServiceInfo {
    return this.recipe.info;
  }

  /** Concurrent callers share one start. */
  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    if (this.current?.running) return;
    if (!this.prepared) {
      await traced(`${this.name} prepare`, () => this.recipe.prepare());
      this.prepared = true;
    }
    await this.launchUntilReady();
    if (!this.startedOnce) {
      this.startedOnce = true;
      await traced(`${this.name} after first start`, async () => this.recipe.afterFirstStart?.());
    }
  }

  /**
   * A server that exits right after a SIGKILL of its predecessor usually met a leftover of it
   * (Postgres backends still attached to the old shared memory, a port not yet released), so an
   * early exit is retried a few times; a server that stays up but never answers is not.
   */
  private async launchUntilReady(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const proc = ManagedProcess.launch(this.recipe.launchSpec());
      this.current = proc;
      this.pidHistory.push(proc.pid);
      try {
        await traced(`${this.name} ready`, () =>
          waitUntilReady(() => this.recipe.probe(), {
            what: `${this.name} (pid ${proc.pid})`,
            timeoutMs: this.recipe.readyTimeoutMs,
            process: proc,
            logFile: this.recipe.extraLogFiles?.[0] ?? this.recipe.logFile,
          }),
        );
        return;
      } catch (err) {
        const exitedEarly = !proc.running;
        if (!exitedEarly) await proc.kill();
        if (attempt >= START_ATTEMPTS || !exitedEarly) throw err;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }

  async stop(): Promise<void> {
    await this.shutdown(STOP_GRACE_MS);
  }

  /** Graceful stop with a custom grace period before SIGKILL (teardown uses a short one). */
  async shutdown(graceMs: number): Promise<void> {
    await this.current?.terminate(this.recipe.stopSignal, graceMs);
  }

  async kill(): Promise<void> {
    await this.current?.kill();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async isUp(): Promise<boolean> {
    if (!this.current?.running) return false;
    return this.recipe.probe().then(() => true, () => false);
  }

  async logs(): Promise<string> {
    const files = [this.recipe.logFile, ...(this.recipe.extraLogFiles ?? [])];
    const parts = await Promise.all(files.map(async (file) => `==> ${file} <==\n${await readFile(file, 'utf8').catch(() => '(no log yet)')}`));
    return parts.join('\n');
  }
}

/** A native replica: the recipe must know how to promote it. */
export class NativeReplica extends NativeService implements ReplicaHandle {
  async promote(): Promise<void> {
    if (!this.recipe.promote) throw new Error(`${this.name} cannot be promoted`);
    if (!this.pid) throw new Error(`${this.name} is not running: start() it before promote()`);
    await this.recipe.promote();
  }
}
