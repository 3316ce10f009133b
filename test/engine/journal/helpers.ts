import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { journalSpec, type JournalSpec } from '../../../engine/src/config/index.js';
import { TidemarkError, type ErrorCode } from '../../../engine/src/errors/index.js';
import { DeadLetterJournal, JournalStore, type JournalMetrics } from '../../../engine/src/journal/index.js';
import { createLogger } from '../../../engine/src/logging/logger.js';
import type { PoisonedEvent } from '../../../engine/src/sinks/sink.js';
import { memoryEvent } from '../../../engine/src/testing/index.js';
import type { Clock } from '../../../engine/src/util/clock.js';
import { systemClock } from '../../../engine/src/util/clock.js';

let offset = 0;

export function poisoned(n: number, code: ErrorCode = 'TIDEMARK_ERR_SINK_SERIALIZATION', extra: Record<string, unknown> = {}): PoisonedEvent[] {
  return Array.from({ length: n }, () => {
    const e = memoryEvent(offset++, { key: offset, txId: `tx${offset}`, txIndex: 0, txEnd: true });
    return { event: { ...e, after: { ...e.after, ...extra } }, error: new TidemarkError(code, `cannot encode event ${e.id}`) };
  });
}

export class ManualClock implements Clock {
  constructor(public t = 1_700_000_000_000) {}
  now(): number {
    return this.t;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(Math.min(ms, 20), signal);
  }
  setTimer(ms: number, fn: () => void) {
    return systemClock.setTimer(ms, fn);
  }
}

export function recordingMetrics() {
  const calls = { routed: 0, evicted: 0, rejected: 0, writeFailed: 0, blocked: [] as boolean[], entries: [] as number[], saturation: [] as number[] };
  const metrics: JournalMetrics = {
    routed: (_s, _k, n) => (calls.routed += n),
    evicted: (n) => (calls.evicted += n),
    rejected: (n) => (calls.rejected += n),
    writeFailed: () => calls.writeFailed++,
    blocked: (b) => calls.blocked.push(b),
    entries: (n) => calls.entries.push(n),
    saturation: (r) => calls.saturation.push(r),
  };
  return { calls, metrics };
}

export function recordingLogger() {
  const lines: Array<{ level: string; msg: string; err?: { code?: string } }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as { level: string; msg: string });
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

const tempDirs: string[] = [];

export function tempJournalPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-journal-'));
  tempDirs.push(dir);
  return join(dir, 'journal', 'p.db');
}

/** For afterAll: removes every directory tempJournalPath made (journals must be closed first). */
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function openJournal(dlq: Partial<JournalSpec['dlq']> = {}, options: { maxEventBytes?: number; clock?: Clock; path?: string; metrics?: JournalMetrics; logger?: ReturnType<typeof createLogger> } = {}) {
  const spec = journalSpec.parse({ enabled: true, max_event_bytes: options.maxEventBytes ?? 262_144, dlq });
  const path = options.path ?? tempJournalPath();
  const journal = new DeadLetterJournal(new JournalStore(path), { pipeline: 'p', spec, clock: options.clock, metrics: options.metrics, logger: options.logger, blockPollMs: 20 });
  return { journal, path };
}
