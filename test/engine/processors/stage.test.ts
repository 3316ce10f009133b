import { describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend } from '../../../engine/src/checkpoints/index.js';
import { Coordinator } from '../../../engine/src/coordinator/index.js';
import type { DeadLetterQueue } from '../../../engine/src/coordinator/dead-letter.js';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import { TidemarkError } from '../../../engine/src/errors/index.js';
import type { Processor } from '../../../engine/src/processors/processor.js';
import type { PoisonedEvent } from '../../../engine/src/sinks/sink.js';
import { MemorySink, MemorySource } from '../../../engine/src/testing/index.js';
import { buildLog } from '../../support/transactions.js';

const offset = (e: ChangeEvent) => (e.source.position as { offset: number }).offset;

/** Ten one-event transactions on key 1..10. */
const LOG = buildLog(Array.from({ length: 10 }, (_, i) => ({ events: [{ key: i + 1, table: 't1', size: 10 }] })));

class ListDlq implements DeadLetterQueue {
  readonly entries: Array<{ sinkId: string; seq: number; poisoned: readonly PoisonedEvent[] }> = [];
  async write(sinkId: string, seq: number, poisoned: readonly PoisonedEvent[]): Promise<void> {
    this.entries.push({ sinkId, seq, poisoned });
  }
}

async function runPipeline(processors: Processor[], o: { dlq?: DeadLetterQueue; maxEvents?: number; maxInflight?: number } = {}) {
  const source = MemorySource.fromEvents(LOG, { id: 'src', chunk: 100 });
  const sink = new MemorySink('k');
  const store = new MemoryCheckpointBackend().forPipeline('p');
  const states: string[] = [];
  const coordinator = new Coordinator({
    pipeline: 'p', tenant: 't', source, sinks: [sink], processors, dlq: o.dlq ?? null,
    batch: { max_events: o.maxEvents ?? 3, max_bytes: 1e9, max_ms: 5, respect_source_tx: true, max_inflight: o.maxInflight ?? 4 },
    commitPolicy: { mode: 'required' }, store, stopTimeoutMs: 5_000,
    onStateChange: (s) => states.push(s),
  });
  await coordinator.start();
  await Promise.race([source.finished(), new Promise((r) => setTimeout(r, 2_000))]);
  await coordinator.stop();
  const checkpoint = (await store.load('src::sink::k'))?.position ?? null;
  return { sink, checkpoint, coordinator, states, source };
}

const failingOn = (offsets: number[], error: () => Error): Processor => ({
  id: 'script',
  process: (events) => {
    if (events.some((e) => offsets.includes(offset(e)))) throw error();
    return events;
  },
});

const limitError = () => new TidemarkError('TIDEMARK_ERR_PROCESSOR_LIMIT', 'javascript processor script: the script went over limits.timeout_ms (500 ms of wall-clock time per batch) and was stopped', { context: { limit: 'timeout_ms' } });

describe('processor stage in the coordinator', () => {
  it('a processor that drops every event still moves the checkpoint to the end of the log', async () => {
    const { sink, checkpoint } = await runPipeline([{ id: 'drop-all', process: () => [] }]);
    expect(sink.events).toEqual([]);
    expect(checkpoint).toEqual(LOG[LOG.length - 1]!.source.position);
  });

  it('delivers only the survivors, in order, each with its own position', async () => {
    const { sink, checkpoint } = await runPipeline([{ id: 'odd', process: (events) => events.filter((e) => offset(e) % 2 === 1) }]);
    expect(sink.events.map(offset)).toEqual([1, 3, 5, 7, 9]);
    expect(checkpoint).toEqual(LOG[9]!.source.position);
  });

  it('with a journal, a poison batch goes to the DLQ whole and the pipeline moves on', async () => {
    const dlq = new ListDlq();
    const { sink, checkpoint, coordinator } = await runPipeline([failingOn([4], limitError)], { dlq, maxEvents: 3 });
    expect(coordinator.state).toBe('stopped');
    // Batches are [0,1,2] [3,4,5] [6,7,8] [9]: the second one is in the DLQ, not half delivered.
    expect(dlq.entries).toHaveLength(1);
    expect(dlq.entries[0]!.sinkId).toBe('processor:script');
    expect(dlq.entries[0]!.poisoned.map((p) => offset(p.event))).toEqual([3, 4, 5]);
    expect(dlq.entries[0]!.poisoned[0]!.error.code).toBe('TIDEMARK_ERR_PROCESSOR_LIMIT');
    expect(sink.events.map(offset)).toEqual([0, 1, 2, 6, 7, 8, 9]);
    expect(checkpoint).toEqual(LOG[9]!.source.position);
  });

  it('without a journal, the pipeline stops with the processor, the limit and what to do', async () => {
    const { sink, coordinator } = await runPipeline([failingOn([4], limitError)], { maxEvents: 3 });
    expect(coordinator.state).toBe('failed');
    expect(coordinator.failure).toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_LIMIT', kind: 'non-retryable', context: { processor: 'script' } });
    expect(coordinator.failure!.message).toMatch(/javascript processor script: the script went over limits\.timeout_ms .*spec\.journal is not enabled/);
    expect(sink.events.map(offset)).not.toContain(3);
  });

  it('a processor that invents an event stops the pipeline (contract)', async () => {
    const forge: Processor = { id: 'forge', process: (events) => events.map((e) => ({ ...e, tx: { ...e.tx, id: 'forged' } })) };
    const { coordinator } = await runPipeline([forge]);
    expect(coordinator.failure).toMatchObject({ code: 'TIDEMARK_ERR_PROCESSOR_CONTRACT', kind: 'fatal' });
  });

  it('batches waiting for a slow processor count as in flight: the source pauses', async () => {
    let maxInflight = 0;
    let coordinatorRef: Coordinator | null = null;
    const slow: Processor = {
      id: 'slow',
      process: async (events) => {
        maxInflight = Math.max(maxInflight, coordinatorRef?.inflight ?? 0);
        await new Promise((r) => setTimeout(r, 5));
        return events;
      },
    };
    const source = MemorySource.fromEvents(LOG, { id: 'src', chunk: 1 });
    const sink = new MemorySink('k');
    const coordinator = new Coordinator({
      pipeline: 'p', tenant: 't', source, sinks: [sink], processors: [slow],
      batch: { max_events: 1, max_bytes: 1e9, max_ms: 1000, respect_source_tx: true, max_inflight: 2 },
      commitPolicy: { mode: 'required' }, store: new MemoryCheckpointBackend().forPipeline('p'), stopTimeoutMs: 5_000,
    });
    coordinatorRef = coordinator;
    await coordinator.start();
    await source.finished();
    await coordinator.stop();
    expect(source.pauses).toBeGreaterThan(0);
    expect(sink.events.map(offset)).toEqual(LOG.map(offset));
    // One source chunk may land after pause(): at most one batch over the limit.
    expect(maxInflight).toBeLessThanOrEqual(3);
  });
});
