import { lostChecker, type RunFacts } from '../../checkers/index.js';
import type { SourceHistory } from '../../history/index.js';
import { acknowledged } from '../../runner/acknowledged.js';
import type { SinkIo } from '../../readers/index.js';
import { sleep } from '../../runner/wait.js';
import { withoutWarmup } from '../../runner/warm-up.js';

export interface CatchUpByReadsOptions {
  readonly sinks: readonly SinkIo[];
  readonly baseline: Readonly<Record<string, number>>;
  readonly history: SourceHistory;
  /** The tables the sinks receive, when the scenario narrows them (else every table). */
  readonly tables?: readonly string[];
  readonly deadlineAt: number;
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
}

/** Full reads are costly (a Kafka consumer group per read): at most one per sink this often. */
const FULL_READ_EVERY_MS = 2_000;

/**
 * "Check now"'s catch-up: waits until every sink holds every acknowledged version, or the
 * deadline. Cheap counts say when a full read is worth it; the full read (what a consumer sees)
 * decides, with the `lost` checker's own rule. A live session may be checked many times, each
 * over everything the sinks hold, so it reads whole histories rather than the runner's tails
 * (runner/catch-up.ts), which keep their place for one run's single judge.
 */
export async function catchUpByReads(o: CatchUpByReadsOptions): Promise<Record<string, number | null>> {
  const judged = (table: string) => !o.tables || o.tables.includes(table);
  const expected = o.history.txns.filter(acknowledged).reduce((n, t) => n + t.versions.filter((v) => judged(v.table)).length, 0);
  const caughtUp: Record<string, number | null> = Object.fromEntries(o.sinks.map((s) => [s.name, null]));
  const lastRead = new Map<string, number>();
  while (Date.now() <= o.deadlineAt) {
    const pending = o.sinks.filter((s) => caughtUp[s.name] === null);
    if (pending.length === 0) break;
    await Promise.all(
      pending.map(async (s) => {
        const held = (await s.count().catch(() => 0)) - (o.baseline[s.name] ?? 0);
        if (held < expected || Date.now() - (lastRead.get(s.name) ?? 0) < FULL_READ_EVERY_MS) return;
        const at = Date.now();
        lastRead.set(s.name, at);
        if (await holdsEverything(s, o.history, o.tables)) caughtUp[s.name] = at;
      }),
    );
    await sleep(300, o.signal);
  }
  for (const [name, at] of Object.entries(caughtUp)) if (at === null) o.log(`catch-up: ${name} did not hold every acknowledged version by the deadline`);
  return caughtUp;
}

async function holdsEverything(sink: SinkIo, history: SourceHistory, tables: readonly string[] | undefined): Promise<boolean> {
  const h = withoutWarmup((await sink.read().catch(() => null)) ?? { sink: sink.name, kind: sink.kind, exactlyOnce: sink.exactlyOnce, records: [] });
  const facts: RunFacts = { workloadStartedAt: 0, workloadEndedAt: 0, catchUpFrom: 0, deadlineMs: 0, checkedAt: 0, engine: { health: null, pipelines: [] }, sinks: tables ? { [sink.name]: { caughtUpAt: null, tables } } : {} };
  return lostChecker.check({ source: history, sinks: [h], faults: [], facts }).every((v) => v.validity === 'valid');
}
