import { readdirSync, readFileSync } from 'node:fs';

/** /proc/<pid>/stat fields after the command name (which may contain spaces). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** True while the process exists and is not a zombie. */
export function alive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Every live descendant of `root` (default: this test process), read straight from /proc. */
export function descendants(root: number = process.pid): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const parent = Number(statFields(Number(entry))?.[1]);
    if (!Number.isNaN(parent)) children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (alive(pid)) found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

/** Remembers every process seen below this one, to assert at the end that none survived. */
export class ProcessLedger {
  private readonly seen = new Set<number>();

  /** Records the current descendants (call after bring-up and after each restart). */
  snapshot(): number[] {
    const now = descendants();
    for (const pid of now) this.seen.add(pid);
    return now;
  }

  record(pid: number | undefined): void {
    if (pid !== undefined) this.seen.add(pid);
  }

  get all(): number[] {
    return [...this.seen];
  }

  /** The recorded processes still alive, waiting up to timeoutMs for stragglers (e.g. postgres backends). */
  async survivors(timeoutMs = 5000): Promise<number[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = this.all.filter(alive);
      if (left.length === 0 || Date.now() > deadline) return left;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
