/** Timing traces on stderr when TIDEMARK_DEBUG=1, to see where bring-up time goes. */
const enabled = process.env.TIDEMARK_DEBUG === '1';
const origin = Date.now();

export function debug(message: string): void {
  if (enabled) process.stderr.write(`[tidemark-infra +${Date.now() - origin}ms] ${message}\n`);
}

/** Runs work and traces how long it took. */
export async function traced<T>(what: string, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const started = Date.now();
  debug(`${what}…`);
  try {
    return await work();
  } finally {
    debug(`${what} took ${Date.now() - started} ms`);
  }
}
