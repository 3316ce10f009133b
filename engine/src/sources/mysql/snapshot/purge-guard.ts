import type { Control } from '../server/control.js';
import { listBinlogs } from '../server/server-state.js';

/**
 * Watches, while a snapshot runs, that the binlog file streaming will start from still exists.
 * A long snapshot on a server that expires binlogs would otherwise finish "successfully" and
 * only then fail to stream.
 */
export class PurgeGuard {
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(private readonly control: Control, private readonly file: string, private readonly intervalMs: number, private readonly onPurged: (oldest: string) => void, private readonly onError: (e: unknown) => void) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** The oldest binlog when `file` is gone, else null. */
  async check(): Promise<string | null> {
    const logs = await listBinlogs(this.control);
    return logs.some((l) => l.name === this.file) ? null : (logs[0]?.name ?? 'none');
  }

  private async tick(): Promise<void> {
    if (this.checking || this.timer === null) return;
    this.checking = true;
    try {
      const oldest = await this.check();
      if (oldest !== null && this.timer !== null) this.onPurged(oldest);
    } catch (e) {
      this.onError(e);
    } finally {
      this.checking = false;
    }
  }
}
