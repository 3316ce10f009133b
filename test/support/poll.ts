/**
 * The one way tests wait: poll `check` until it returns a truthy value without throwing, or give
 * up after `timeoutMs` with `what` and the last reason in the error. Everything asynchronous in a
 * test (replication, consumers, restarts, the engine's counters) is awaited through this, never
 * through a fixed sleep.
 *
 *     await waitFor('offset 99 committed', () => p.committed() >= 99);
 *     const rows = await waitFor('20 rows in the stream', async () => { expect(await len()).toBe(20); return rows; });
 */
export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
  /** Checked before each attempt: a non-empty answer stops the wait at once (e.g. "pipeline failed: ..."). */
  readonly abortIf?: () => string | undefined | null | false;
}

export async function waitFor<T>(what: string | (() => string), check: () => T | Promise<T>, options: WaitOptions = {}): Promise<NonNullable<T>> {
  const describe = () => (typeof what === 'string' ? what : what());
  const { timeoutMs = 20_000, intervalMs = 50, abortIf } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown = 'the condition stayed false';
  for (;;) {
    const abort = abortIf?.();
    if (abort) throw new Error(`gave up waiting for ${describe()}: ${abort}`);
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const reason = last instanceof Error ? last.message : String(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${describe()} (${reason})`, { cause: last });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
