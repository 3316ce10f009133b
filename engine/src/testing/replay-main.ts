/**
 * Test harness process: runs one pipeline whose source is a deterministic generated log and
 * whose sinks are real (from a sink spec), with SQLite checkpoints in a data dir. Crash tests
 * SIGKILL it at random instants and start it again on the same data dir.
 *
 *   node engine/dist/testing/replay-main.js <config.json>
 *
 * config: { pipeline, tenant, dataDir, events, txSize, keys?, payloadBytes?, sinks: [<sink spec>],
 *           batch?: {...}, commit_policy?: {...}, chunk?: number, chunkDelayMs?: number }
 * Prints one JSON line per committed checkpoint ({"checkpoint": offset}) and {"done": true}
 * when every event is committed, then exits 0.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SqliteCheckpointBackend } from '../checkpoints/index.js';
import { batchSpec, commitPolicySpec, sinkSpec } from '../config/index.js';
import { Coordinator } from '../coordinator/index.js';
import type { Position } from '../event/index.js';
import { createLogger } from '../logging/logger.js';
import { NOOP_METRICS } from '../metrics/hooks.js';
import { createSink } from '../sinks/registry.js';
import { generatedLog } from './generated-log.js';
import { MemorySource, type MemoryPosition } from './memory-source.js';

const configSchema = z.object({
  pipeline: z.string(),
  tenant: z.string().default('test'),
  dataDir: z.string(),
  events: z.number().int().positive(),
  txSize: z.number().int().positive().default(1),
  keys: z.number().int().positive().optional(),
  payloadBytes: z.number().int().positive().optional(),
  sinks: z.array(sinkSpec).min(1),
  batch: batchSpec.prefault({}),
  commit_policy: commitPolicySpec.prefault({}),
  /** Events per source read, and a pause between reads, so a kill can land mid-stream. */
  chunk: z.number().int().positive().default(512),
  chunkDelayMs: z.number().int().nonnegative().default(0),
});

async function main(): Promise<void> {
  const config = configSchema.parse(JSON.parse(readFileSync(process.argv[2]!, 'utf8')));
  const logger = createLogger({ level: (process.env.TIDEMARK_LOG_LEVEL as 'info') ?? 'warn' });
  const backend = new SqliteCheckpointBackend(join(config.dataDir, 'checkpoints.db'));
  const log = generatedLog({ events: config.events, txSize: config.txSize, keys: config.keys, payloadBytes: config.payloadBytes });
  const source = new MemorySource(log, { id: 'generated', chunk: config.chunk, chunkDelayMs: config.chunkDelayMs });
  const sinks = config.sinks.map((s) =>
    createSink(s, { pipeline: config.pipeline, tenant: config.tenant, logger: logger.child({ sink: s.config.id }), metrics: NOOP_METRICS.sink(s.config.id), dlqEnabled: false }),
  );
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const last = config.events - 1;
  const coordinator = new Coordinator({
    pipeline: config.pipeline,
    tenant: config.tenant,
    source: reportAcks(source, (p) => {
      const offset = (p as MemoryPosition).offset;
      process.stdout.write(`${JSON.stringify({ checkpoint: offset })}\n`);
      if (offset >= last) done();
    }),
    sinks,
    batch: config.batch,
    commitPolicy: config.commit_policy,
    store: backend.forPipeline(config.pipeline),
    logger,
    onStateChange: (state, failure) => {
      if (state === 'failed') {
        process.stdout.write(`${JSON.stringify({ failed: failure?.message, code: failure?.code })}\n`);
        process.exit(3);
      }
    },
  });
  await coordinator.start();
  // A sink that keeps its own checkpoint may already hold everything (the previous run died after
  // its last commit, before reporting): nothing is left to acknowledge, so finish here.
  const resumed = source.starts[source.starts.length - 1] as MemoryPosition | null | undefined;
  if (resumed && resumed.offset >= last) done();
  await finished;
  await coordinator.stop();
  await backend.close();
  process.stdout.write(`${JSON.stringify({ done: true })}\n`);
}

/** The source as the coordinator sees it, reporting every acknowledged position. */
function reportAcks(source: MemorySource, onAck: (p: Position) => void): MemorySource {
  const ack = source.acknowledge.bind(source);
  source.acknowledge = (p) => {
    ack(p);
    onAck(p);
  };
  return source;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
