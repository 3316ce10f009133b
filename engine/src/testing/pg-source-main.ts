/**
 * Test harness process for the Postgres source's crash tests: the real PostgresSource under a
 * Coordinator with SQLite checkpoints and a FileAppendSink (fsync per batch). Tests SIGKILL it
 * and start it again on the same data dir.
 *
 *   node engine/dist/testing/pg-source-main.js <config.json>
 *
 * config: { dsn, table, slot, publication, dataDir, ackMode?: 'checkpoint' | 'on-receive' (the
 *           test-only flush policy of engine/src/testing/on-receive-flush.ts),
 *           holdFromId?: number, maxEvents?: number }
 * With holdFromId the sink stalls (never stores) on the first batch holding a row with
 * id >= holdFromId, after printing {"holding": seq}. Prints {"started": true} once streaming and
 * {"checkpoint": lsn} per acknowledged position.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SqliteCheckpointBackend } from '../checkpoints/index.js';
import { postgresSourceConfig } from '../config/index.js';
import { Coordinator } from '../coordinator/index.js';
import { createLogger } from '../logging/logger.js';
import { PostgresSource } from '../sources/postgres/index.js';
import { FileAppendSink } from './file-append-sink.js';
import { onReceiveFlush } from './on-receive-flush.js';

const configSchema = z.object({
  dsn: z.string(),
  table: z.string(),
  slot: z.string(),
  publication: z.string(),
  dataDir: z.string(),
  ackMode: z.enum(['checkpoint', 'on-receive']).default('checkpoint'),
  holdFromId: z.number().int().optional(),
  maxEvents: z.number().int().positive().default(200),
});

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

async function main(): Promise<void> {
  const config = configSchema.parse(JSON.parse(readFileSync(process.argv[2]!, 'utf8')));
  const logger = createLogger({ level: (process.env.TIDEMARK_LOG_LEVEL as 'info') ?? 'warn' });
  const backend = new SqliteCheckpointBackend(join(config.dataDir, 'checkpoints.db'));
  const sourceConfig = postgresSourceConfig.parse({
    id: 'pg-crash',
    dsn: config.dsn,
    slot: config.slot,
    publication: config.publication,
    tables: [config.table],
    status_interval_secs: 1,
  });
  const source = new PostgresSource(sourceConfig, config.ackMode === 'on-receive' ? { flushPolicy: onReceiveFlush } : {});
  const acknowledge = source.acknowledge.bind(source);
  source.acknowledge = (p) => {
    acknowledge(p);
    print({ checkpoint: (p as { lsn: string }).lsn });
  };
  let holding = false;
  const sink = new FileAppendSink('file', join(config.dataDir, 'sink.jsonl'), async (batch) => {
    const hold = config.holdFromId;
    if (hold === undefined || holding || !batch.events.some((e) => Number(e.after?.id) >= hold)) return;
    holding = true;
    print({ holding: batch.seq });
    await new Promise(() => {});
  });
  const coordinator = new Coordinator({
    pipeline: 'pg-crash',
    tenant: 'test',
    source,
    sinks: [sink],
    batch: { max_events: config.maxEvents, max_bytes: 64 * 1024 * 1024, max_ms: 20, respect_source_tx: true, max_inflight: 4 },
    commitPolicy: { mode: 'required' },
    store: backend.forPipeline('pg-crash'),
    logger,
    onStateChange: (state, failure) => {
      if (state === 'failed') {
        print({ failed: failure?.message, code: failure?.code });
        process.exit(3);
      }
    },
  });
  await coordinator.start();
  print({ started: true });
  const stop = async () => {
    await coordinator.stop();
    await backend.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
