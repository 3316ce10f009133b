import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { EngineMemorySample } from '../checkers/index.js';
import type { EngineProcess } from '../engine/engine-process.js';

/**
 * One look at the engine process: RSS and CPU from /proc, the heap figures from its metrics
 * (`tidemark_nodejs_heap_size_used_bytes`, `tidemark_heap_live_bytes`,
 * `tidemark_heap_full_collections_total`; every 5th sample): the memory sample the `leak`
 * checker judges, plus CPU.
 */
export interface EngineSample extends EngineMemorySample {
  /** CPU seconds used by every engine process of the run so far (restarts add up). */
  readonly cpuS: number;
}

const MB = 1024 * 1024;
let ticks: number | null = null;
function clockTicks(): number {
  try {
    ticks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    ticks = 100;
  }
  return ticks;
}

/**
 * Samples the engine process every `intervalMs` (default 1 s; the heap every 5th sample): the
 * figures a backlog drain reports (peak RSS, CPU seconds) and the series a soak judges for
 * leaks. Follows the process across restarts: CPU adds up per pid.
 */
export class EngineMonitor {
  readonly samples: EngineSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly cpuByPid = new Map<number, number>();
  private n = 0;
  private busy = false;

  constructor(private readonly engine: EngineProcess) {}

  start(intervalMs = 1000): void {
    this.timer ??= setInterval(() => void this.sample(), intervalMs);
    void this.sample();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async sample(): Promise<EngineSample | null> {
    const pid = this.engine.pid;
    if (pid === undefined || this.busy) return null;
    this.busy = true;
    try {
      const proc = readProc(pid);
      if (!proc) return null;
      this.cpuByPid.set(pid, proc.cpuS);
      const heap = this.n++ % 5 === 0 ? await this.heap() : null;
      const sample = { t: Date.now(), pid, rssMb: proc.rssMb, heapMb: heap?.usedMb ?? null, liveMb: heap?.liveMb ?? null, fullCollections: heap?.fullCollections ?? null, cpuS: [...this.cpuByPid.values()].reduce((a, b) => a + b, 0) };
      this.samples.push(sample);
      return sample;
    } finally {
      this.busy = false;
    }
  }

  /** Peak RSS (MB) and CPU seconds used between two instants (ms). */
  window(from: number, to: number): { peakRssMb: number; cpuS: number } {
    const inside = this.samples.filter((s) => s.t >= from && s.t <= to);
    const before = [...this.samples].reverse().find((s) => s.t < from);
    const last = inside.at(-1);
    return { peakRssMb: Math.max(0, ...inside.map((s) => s.rssMb)), cpuS: last ? last.cpuS - (before?.cpuS ?? 0) : 0 };
  }

  private async heap(): Promise<{ usedMb: number; liveMb: number | null; fullCollections: number | null } | null> {
    try {
      const res = await fetch(`${this.engine.metricsUrl}/metrics`, { signal: AbortSignal.timeout(2000) });
      const text = await res.text();
      const metric = (name: string) => {
        const m = new RegExp(`^${name}\\s+([\\d.e+]+)`, 'm').exec(text);
        return m ? Number(m[1]) : null;
      };
      const used = metric('tidemark_nodejs_heap_size_used_bytes');
      if (used === null) return null;
      const live = metric('tidemark_heap_live_bytes');
      return { usedMb: used / MB, liveMb: live === null ? null : live / MB, fullCollections: metric('tidemark_heap_full_collections_total') };
    } catch {
      return null;
    }
  }
}

function readProc(pid: number): { rssMb: number; cpuS: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpu = (Number(fields[11]) + Number(fields[12])) / clockTicks();
    return { rssMb: rss ? Number(rss[1]) / 1024 : 0, cpuS: cpu };
  } catch {
    return null;
  }
}
