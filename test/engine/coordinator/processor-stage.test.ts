import { describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend } from '../../../engine/src/checkpoints/index.js';
import { Coordinator } from '../../../engine/src/coordinator/index.js';
import type { ChangeEvent } from '../../../engine/src/event/index.js';
import type { Processor } from '../../../engine/src/processors/processor.js';
import { MemorySink, MemorySource } from '../../../engine/src/testing/index.js';
import { buildLog } from '../../support/transactions.js';

const offsets = (events: readonly ChangeEvent[]) => events.map((e) => (e.source.position as { offset: number }).offset);
const log = buildLog(Array.from({ length: 10 }, (_, i) => ({ events: [{ key: i, table: 't1', size: 10 }] })));

async function run(processor: Processor) {
  const backend = new MemoryCheckpointBackend();
  const source = MemorySource.fromEvents(log, { id: 'src' });
  const sink = new MemorySink('out');
  const c = new Coordinator({
    pipeline: 'p', tenant: 't', source, sinks: [sink], processors: [processor],
    batch: { max_events: 2, max_bytes: 1e9, max_ms: 1000, respect_source_tx: true, max_inflight: 4 },
    commitPolicy: { mode: 'required' }, store: backend.forPipeline('p'), stopTimeoutMs: Infinity,
  });
  const failed = new Promise<void>((resolve) => {
    const poll = () => (c.state === 'failed' ? resolve() : setImmediate(poll));
    poll();
  });
  await c.start();
  await Promise.race([source.finished().then(() => c.stop()), failed]);
  const checkpoint = (await backend.forPipeline('p').load('src::sink::out'))?.position ?? null;
  return { c, sink, checkpoint, source };
}

describe('processor stage', () => {
  it('delivers what processors keep, in order, and checkpoints past what they drop', async () => {
    const { sink, checkpoint, c } = await run({ id: 'odd', process: (events) => events.filter((e) => (e.source.position as { offset: number }).offset % 2 === 1) });
    expect(c.state).toBe('stopped');
    expect(offsets(sink.events)).toEqual([1, 3, 5, 7, 9]);
    expect(checkpoint).toEqual({ offset: 9 });
  });

  it('an empty output still advances the checkpoint, and the source may release it', async () => {
    const { sink, checkpoint, source } = await run({ id: 'none', process: async () => [] });
    expect(sink.writes).toEqual([]);
    expect(checkpoint).toEqual({ offset: 9 });
    expect(source.acknowledged.at(-1)).toEqual({ offset: 9 });
  });

  it('a processor that throws stops the pipeline with an error naming the processor and the batch; nothing is delivered or checkpointed past it', async () => {
    let calls = 0;
    const { c, sink, checkpoint } = await run({
      id: 'js-1',
      process: (events) => {
        if (++calls === 2) throw new Error('boom');
        return events;
      },
    });
    expect(c.state).toBe('failed');
    expect(c.failure).toMatchObject({ code: 'TIDEMARK_ERR_PIPELINE_FAILED', kind: 'fatal', message: 'processor js-1 failed: boom', context: { processor: 'js-1', batch: 2 } });
    expect(offsets(sink.events)).toEqual([0, 1]);
    expect(checkpoint === null || (checkpoint as { offset: number }).offset <= 1).toBe(true);
  });
});
