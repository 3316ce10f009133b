import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** What the kernel says about one process: the same figures for a JVM and for Node. */
export interface ProcSample {
  /** user + system CPU, every thread, in seconds. */
  readonly cpuSeconds: number;
  readonly rssMb: number;
  /** VmHWM: the highest RSS since the process started. */
  readonly peakRssMb: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ticksPerSecond;
}

/** Reads /proc/<pid>/{stat,status}; null once the process is gone. */
export function procSample(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / clockTicks();
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { cpuSeconds, rssMb: kb(status, 'VmRSS') / 1024, peakRssMb: kb(status, 'VmHWM') / 1024 };
  } catch {
    return null;
  }
}

function kb(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : 0;
}
