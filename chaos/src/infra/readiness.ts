import { readFile } from 'node:fs/promises';
import type { ManagedProcess } from './process/managed-process.js';

export interface ReadinessOptions {
  /** What is being waited for, for error messages. */
  readonly what: string;
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** Fail at once, with the log tail, if this process exits while we wait. */
  readonly process?: ManagedProcess;
  /** Log file whose tail goes into the error message. */
  readonly logFile?: string;
  /** Fail at once if this says the server is gone (a container that exited). */
  readonly exited?: () => Promise<boolean>;
  /** The log tail, where there is no log file (container logs). */
  readonly logTail?: () => Promise<string>;
}

/** The last lines of a log file, for error messages that show why a server did not come up. */
export async function logTail(file: string | undefined, lines = 30): Promise<string> {
  if (!file) return '';
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it resolves; throws with the last probe error and the log tail otherwise. */
export async function waitUntilReady(probe: () => Promise<unknown>, options: ReadinessOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const tail = (): Promise<string> => (options.logTail ? options.logTail().catch(() => '') : logTail(options.logFile));
  let lastError: unknown;
  for (;;) {
    if (options.process && !options.process.running) {
      const status = options.process.exitStatus;
      throw new Error(
        `${options.what} exited before it was ready (code ${status?.code}, signal ${status?.signal}); log tail:\n${await tail()}`,
      );
    }
    if (options.exited && (await options.exited().catch(() => false))) {
      throw new Error(`${options.what} exited before it was ready; log tail:\n${await tail()}`);
    }
    try {
      await probe();
      return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) break;
    await sleep(options.intervalMs ?? 50);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new Error(`${options.what} not ready after ${options.timeoutMs} ms (last error: ${reason}); log tail:\n${await tail()}`);
}

/** Rejects after ms unless the promise settles first (probes must never hang a health check). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
