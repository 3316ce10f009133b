import { describe, expect, it } from 'vitest';
import { batchSpec, commitPolicySpec } from '../../../engine/src/config/index.js';
import { MemoryCheckpointBackend } from '../../../engine/src/checkpoints/index.js';
import { Coordinator } from '../../../engine/src/coordinator/index.js';
import { TidemarkError } from '../../../engine/src/errors/index.js';
import type { Batch } from '../../../engine/src/event/index.js';
import { CLEAN_DELIVERY, type Sink } from '../../../engine/src/sinks/sink.js';
import { MemorySource, memoryEvent } from '../../../engine/src/testing/index.js';
import { systemClock, type Clock } from '../../../engine/src/util/clock.js';

/** A sink that fails its first delivery with the given context, then accepts. */
function flakySink(context: Record<string, number>): Sink & { calls: number } {
  return {
    id: 's', required: true, ownsCheckpoint: false, calls: 0,
    async open() {}, async close() {}, async readCheckpoint() { return null; },
    async deliver(_batch: Batch) {
      if (this.calls++ === 0) throw new TidemarkError('TIDEMARK_ERR_HTTP_THROTTLED', '429', { context });
      return CLEAN_DELIVERY;
    },
  };
}

async function retryDelays(context: Record<string, number>, random: number): Promise<number[]> {
  const sleeps: number[] = [];
  const clock: Clock = { ...systemClock, sleep: (ms, signal) => (sleeps.push(ms), systemClock.sleep(0, signal)) };
  const sink = flakySink(context);
  const source = MemorySource.fromEvents([memoryEvent(0, { key: 1, txId: 't', txIndex: 0, txEnd: true })]);
  const c = new Coordinator({
    pipeline: 'p', tenant: 't', source, sinks: [sink], batch: batchSpec.parse({ max_events: 1 }), commitPolicy: commitPolicySpec.parse({}),
    store: new MemoryCheckpointBackend().forPipeline('p'), clock, random: () => random, backoff: { baseMs: 100, capMs: 1000 },
  });
  await c.start();
  while (sink.calls < 2) await new Promise((r) => setTimeout(r, 5));
  await c.stop();
  // The first sleep is the retry; a later one is stop()'s own timeout.
  return sleeps.slice(0, 1);
}

describe('sink lane: Retry-After', () => {
  it('waits at least context.retryAfterMs before the retry', async () => {
    expect(await retryDelays({ retryAfterMs: 7000 }, 0.5)).toEqual([7000]);
  });
  it('keeps its own backoff when that is longer', async () => {
    expect(await retryDelays({ retryAfterMs: 10 }, 0.9)).toEqual([90]);
  });
  it('uses plain backoff without a hint', async () => {
    expect(await retryDelays({}, 0.5)).toEqual([50]);
  });
});
