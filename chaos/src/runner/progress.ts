import type { TimelineSample } from '../report/index.js';

/** What a run reports while it runs. */
export interface RunProgress {
  phase(name: string): void;
  sample(sample: TimelineSample, activeFaults: readonly string[]): void;
  /** A notable event (a fault injected or healed), printed on its own line. */
  log(message: string): void;
}

/** What a plan of runs reports: each run's title as it begins, its verdict lines as it ends. */
export interface PlanProgress extends RunProgress {
  begin(title: string): void;
  end(line: string): void;
}

/** Progress that goes nowhere (tests). */
export const silentProgress: RunProgress = { phase() {}, sample() {}, log() {} };

/** The status line: `[2/16] crash-recovery (mysql) | workload 12s | written 480 | kafka 470 redis 480 | faults: kill-engine@engine`. */
export function statusLine(title: string, phase: string, phaseSeconds: number, sample: TimelineSample | undefined, faults: readonly string[]): string {
  const parts = [title, `${phase} ${Math.floor(phaseSeconds)}s`];
  if (sample) {
    parts.push(`written ${sample.written}`);
    const sinks = Object.entries(sample.delivered).map(([name, n]) => `${name} ${n}`);
    if (sinks.length > 0) parts.push(sinks.join(' '));
    parts.push(`engine ${sample.engine}`);
  }
  if (faults.length > 0) parts.push(`faults: ${faults.join(', ')}`);
  return parts.join(' | ');
}

/**
 * Live progress on the terminal: one status line rewritten in place on a TTY; on anything else
 * (CI logs) the status every 5 s and on each phase change. Event lines go above the status line.
 */
export class TerminalProgress implements PlanProgress {
  private title = '';
  private phaseName = '';
  private phaseSince = Date.now();
  private last: TimelineSample | undefined;
  private faults: readonly string[] = [];
  private printedAt = 0;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly tty = out.isTTY === true,
    private readonly everyMs = 5_000,
  ) {}

  begin(title: string): void {
    this.title = title;
    this.last = undefined;
    this.faults = [];
    this.write(`${title}: starting`);
  }

  phase(name: string): void {
    this.phaseName = name;
    this.phaseSince = Date.now();
    this.render(true);
  }

  sample(sample: TimelineSample, activeFaults: readonly string[]): void {
    this.last = sample;
    this.faults = activeFaults;
    this.render(false);
  }

  log(message: string): void {
    this.write(`  ${message}`);
    if (this.tty) this.render(true);
  }

  /** Ends the run's status line with its verdict line. */
  end(line: string): void {
    this.write(line);
  }

  private render(force: boolean): void {
    const line = statusLine(this.title, this.phaseName, (Date.now() - this.phaseSince) / 1000, this.last, this.faults);
    if (this.tty) {
      const width = this.out.columns ?? 120;
      this.out.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
      return;
    }
    if (!force && Date.now() - this.printedAt < this.everyMs) return;
    this.printedAt = Date.now();
    this.out.write(`${line}\n`);
  }

  private write(text: string): void {
    this.out.write(this.tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}
