import type { Context, ExternalCopy, Isolate, Reference } from 'isolated-vm';
import { errorMessage, TidemarkError } from '../../errors/index.js';
import { BIND, BOOTSTRAP } from './bootstrap.js';
import type { Ivm } from './isolated-vm.js';

export interface SandboxLimits {
  readonly cpu_ms: number;
  readonly mem_mb: number;
  readonly timeout_ms: number;
}

export type LimitName = keyof SandboxLimits;

/** Synthetic events run through the bootstrap when an isolate starts (compiles its hot path). */
const WARM_UP_EVENTS = 500;

interface Live {
  readonly isolate: Isolate;
  readonly context: Context;
  readonly run: Reference<(input: string) => string>;
}

/**
 * One isolate running one processor's script, reused batch after batch. The script is compiled
 * once (V8's code cache makes a recreated isolate cheap) and its top level runs once per isolate.
 * Every call is bounded three ways:
 * - `timeout_ms`: wall clock, enforced by V8 terminating the execution (the isolate survives);
 * - `cpu_ms`: the isolate's CPU time, watched from the host every few ms while the call runs;
 *   past it the isolate is disposed (V8 offers no other way to stop it), and a call that ended
 *   just over it fails the same way;
 * - `mem_mb`: the isolate's heap limit; V8 disposes an isolate that reaches it.
 * A disposed isolate is recreated on the next call. The host's event loop is never blocked:
 * calls run on isolated-vm's own threads.
 */
export class Sandbox {
  private live: Live | null = null;
  private cachedData: ExternalCopy<ArrayBuffer> | undefined;
  private starting: Promise<Live> | null = null;
  /** Set when the last call was stopped by the CPU watchdog (the dispose looks like any other). */
  private cpuStop = false;

  constructor(
    private readonly ivm: Ivm,
    private readonly code: string,
    private readonly filename: string,
    private readonly limits: SandboxLimits,
    private readonly onCatastrophe: (message: string) => void,
  ) {}

  /** Compiles the script without running it: a syntax error is known before the first batch. */
  checkSyntax(): void {
    const isolate = new this.ivm.Isolate({ memoryLimit: this.limits.mem_mb });
    try {
      const script = isolate.compileScriptSync(this.code, { filename: this.filename, produceCachedData: true }) as { cachedData?: ExternalCopy<ArrayBuffer> };
      this.cachedData = script.cachedData;
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_COMPILE', `the script does not compile: ${errorMessage(e)}`);
    } finally {
      isolate.dispose();
    }
  }

  /** Runs the batch (JSON text of the event views) and returns the result's JSON text. */
  async call(input: string): Promise<string> {
    const live = await this.ready();
    const { isolate } = live;
    const limitNs = BigInt(this.limits.cpu_ms) * 1_000_000n;
    const cpuAtStart = isolate.cpuTime;
    this.cpuStop = false;
    const watchdog = setInterval(() => {
      if (!isolate.isDisposed && isolate.cpuTime - cpuAtStart > limitNs) {
        this.cpuStop = true;
        isolate.dispose();
      }
    }, Math.max(2, Math.min(20, Math.floor(this.limits.cpu_ms / 5))));
    try {
      const output = await live.run.apply(undefined, [input], { timeout: this.limits.timeout_ms });
      if (isolate.cpuTime - cpuAtStart > limitNs) throw this.limitError('cpu_ms');
      return output;
    } catch (e) {
      throw this.classify(e, isolate);
    } finally {
      clearInterval(watchdog);
      if (isolate.isDisposed && this.live === live) this.live = null;
    }
  }

  async dispose(): Promise<void> {
    const live = this.live;
    this.live = null;
    if (!live || live.isolate.isDisposed) return;
    live.isolate.dispose();
    // isolated-vm tears the isolate down on its own thread; a process that exits during that
    // teardown can crash (seen here with process.exit right after dispose). Give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  private async ready(): Promise<Live> {
    if (this.live && !this.live.isolate.isDisposed) return this.live;
    this.starting ??= this.start().finally(() => (this.starting = null));
    this.live = await this.starting;
    return this.live;
  }

  private async start(): Promise<Live> {
    const isolate = new this.ivm.Isolate({
      memoryLimit: this.limits.mem_mb,
      onCatastrophicError: (message: string) => this.onCatastrophe(message),
    });
    try {
      const context = await isolate.createContext();
      await context.eval(BOOTSTRAP, { timeout: this.limits.timeout_ms, filename: 'tidemark:bootstrap' });
      const script = await isolate.compileScript(this.code, { filename: this.filename, ...(this.cachedData ? { cachedData: this.cachedData } : {}) });
      await script.run(context, { timeout: this.limits.timeout_ms });
      const mode = (await context.eval(BIND, { timeout: this.limits.timeout_ms })) as string | null;
      if (mode === null) throw new Error('it defines neither processBatch(events), process(events) nor processEvent(event)');
      // Best effort: the user's top level may have broken the globals the warm-up uses.
      await context.eval(`__tidemark_warm(${WARM_UP_EVENTS})`, { timeout: Math.max(1000, this.limits.timeout_ms * 4) }).catch(() => undefined);
      const run = (await context.global.get('__tidemark_run', { reference: true })) as Reference<(input: string) => string>;
      await context.global.delete('__tidemark_run');
      return { isolate, context, run };
    } catch (e) {
      if (!isolate.isDisposed) isolate.dispose();
      throw new TidemarkError('TIDEMARK_ERR_PROCESSOR_COMPILE', `the script could not be loaded: ${describe(e, this.limits)}`, { cause: e });
    }
  }

  private classify(e: unknown, isolate: Isolate): TidemarkError {
    if (e instanceof TidemarkError) return e;
    const message = errorMessage(e);
    if (this.cpuStop) return this.limitError('cpu_ms');
    if (/timed out/i.test(message)) return this.limitError('timeout_ms');
    if (/memory limit|Array buffer allocation failed/i.test(message) || (isolate.isDisposed && /disposed/i.test(message))) return this.limitError('mem_mb');
    return new TidemarkError('TIDEMARK_ERR_PROCESSOR_SCRIPT', `the script failed: ${describe(e, this.limits)}`, { cause: e });
  }

  private limitError(limit: LimitName): TidemarkError {
    const what = { cpu_ms: 'CPU time', mem_mb: 'memory', timeout_ms: 'wall-clock time' }[limit];
    const unit = limit === 'mem_mb' ? 'MB' : 'ms';
    return new TidemarkError('TIDEMARK_ERR_PROCESSOR_LIMIT', `the script went over limits.${limit} (${this.limits[limit]} ${unit} of ${what} per batch) and was stopped`, { context: { limit } });
  }
}

/** The error's message with where it happened in the script, when V8 says. */
function describe(e: unknown, limits: SandboxLimits): string {
  const message = errorMessage(e);
  if (/timed out/i.test(message)) return `its top level did not finish within limits.timeout_ms (${limits.timeout_ms} ms)`;
  const stack = e instanceof Error && typeof e.stack === 'string' ? e.stack : '';
  const at = /\((processor:[^)]*|\/[^)]*):(\d+):(\d+)\)/.exec(stack) ?? /at (processor:[^\s]*|\/[^\s]*):(\d+):(\d+)/.exec(stack);
  const name = e instanceof Error && e.name && !message.startsWith(e.name) ? `${e.name}: ` : '';
  return `${name}${message}${at ? ` (line ${at[2]}, column ${at[3]})` : ''}`;
}
