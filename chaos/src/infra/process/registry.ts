/**
 * Every server process this Node process started and has not yet seen exit. On process exit we
 * SIGKILL whatever is left, synchronously (the only thing allowed in an 'exit' handler); children
 * also carry a parent-death signal (see managed-process.ts) for the case where Node itself is
 * SIGKILLed and no handler runs.
 */
const live = new Set<number>();
let exitHookInstalled = false;

function killAllNow(): void {
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

export function trackPid(pid: number): void {
  if (!exitHookInstalled) {
    process.on('exit', killAllNow);
    exitHookInstalled = true;
  }
  live.add(pid);
}

export function untrackPid(pid: number): void {
  live.delete(pid);
}

/** PIDs of servers still running (for diagnostics and for the no-orphan assertion in tests). */
export function livePids(): number[] {
  return [...live];
}
