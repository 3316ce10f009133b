import type { EngineProcess } from '../engine/engine-process.js';
import type { LiveJudge } from './live-judge.js';
import type { SinkIo } from '../readers/index.js';
import { sleep } from './wait.js';

export interface CatchUpOptions {
  readonly judge: LiveJudge;
  readonly sinks: readonly SinkIo[];
  /** catchUpFrom + the scenario's deadline. */
  readonly deadlineAt: number;
  readonly signal: AbortSignal;
  readonly log: (message: string) => void;
}

/**
 * Waits until every sink holds every acknowledged version, or the deadline. Each round reads
 * what the sinks received since the last (incremental tails: what a consumer sees, Kafka
 * read_committed) and judges it with the `lost` rule. Returns when each sink first held
 * everything (the start of the read that showed it), null for a sink that never did.
 */
export async function catchUp(o: CatchUpOptions): Promise<Record<string, number | null>> {
  const caughtUp: Record<string, number | null> = Object.fromEntries(o.sinks.map((s) => [s.name, null]));
  while (Date.now() <= o.deadlineAt) {
    const at = Date.now();
    await o.judge.poll();
    for (const s of o.sinks) if (caughtUp[s.name] === null && o.judge.holdsEverything(s.name)) caughtUp[s.name] = at;
    if (Object.values(caughtUp).every((v) => v !== null)) break;
    await sleep(500, o.signal);
  }
  for (const [name, at] of Object.entries(caughtUp)) if (at === null) o.log(`catch-up: ${name} did not hold every acknowledged version by the deadline`);
  return caughtUp;
}

/** For an expected halt: waits until the pipeline reports `failed` (or the deadline). */
export async function awaitHalt(engine: EngineProcess, pipeline: string, deadlineAt: number, signal: AbortSignal): Promise<boolean> {
  while (Date.now() <= deadlineAt) {
    const status = await engine.api.getPipeline(pipeline).then((p) => p.status, () => null);
    if (status === 'failed') return true;
    await sleep(300, signal);
  }
  return false;
}
