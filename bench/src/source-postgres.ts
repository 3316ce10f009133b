import { postgresSourceConfig } from '@tidemark/engine/config/index';
import type { Position } from '@tidemark/engine/event/index';
import { silentLogger } from '@tidemark/engine/logging/logger';
import { PostgresSource } from '@tidemark/engine/sources/postgres/index';
import { ChangeAssembler } from '@tidemark/engine/sources/postgres/change-assembler';
import { parseDsn } from '@tidemark/engine/sources/postgres/dsn';
import { comparePgPositions } from '@tidemark/engine/sources/postgres/position';
import { decodePgoutput, xlogDataPayload, XLOG_DATA } from '@tidemark/engine/sources/postgres/protocol/index';
import { ReplicationConnection } from '@tidemark/engine/sources/postgres/replication-connection';
import { ReplicationStream } from '@tidemark/engine/sources/postgres/replication-stream';
import { SchemaRegistry } from '@tidemark/engine/sources/postgres/schema-registry';
import { TypeCatalog } from '@tidemark/engine/sources/postgres/types/type-catalog';
import type { Source, SourceContext } from '@tidemark/engine/sources/source';
import { pgOptions, startTopology } from '@tidemark/chaos/infra/index';
import pg from 'pg';
import { drainToNullSink } from './drain.js';
import type { BenchResult } from './report.js';

const TX_ROWS = 1000;

/**
 * 1. Drains a backlog through the real Postgres source: the slots and publication exist
 *    before the load, `events` rows are written in transactions of 1,000 while nothing reads,
 *    then source -> coordinator (batches of 2,000) -> null sink runs until every row arrived.
 *    This is bounded by how fast the server's walsender decodes WAL on this machine.
 * 2. The client side alone: the same stream captured from a second slot and replayed in
 *    process through the source's decoder and transaction assembler into the coordinator.
 */
export async function benchSourcePostgres(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 1_000_000;
  const topology = await startTopology(['postgres'], { provider: 'native' });
  try {
    const o = pgOptions(topology.get('postgres').info(), 'direct');
    const dsn = `postgres://${o.user}@${o.host}:${o.port}/${o.database}`;
    const loadSeconds = await loadBacklog(o, total);
    const source = new PostgresSource(postgresSourceConfig.parse({ id: 'bench', dsn, slot: 'bench_slot', publication: 'bench_pub', tables: ['public.bench_orders'] }));
    const endToEnd = await drainToNullSink(source, total);
    const captured = await capture(dsn, total);
    const clientOnly = await drainToNullSink(new ReplaySource(captured), total);
    return [
      { name: 'source-postgres: server -> source -> null sink', events: total, seconds: endToEnd.seconds, peakRssMb: endToEnd.peakRssMb, notes: `${endToEnd.batches} batches; backlog written in ${loadSeconds.toFixed(1)} s` },
      { name: 'source-postgres: client side only (replayed)', events: total, seconds: clientOnly.seconds, peakRssMb: clientOnly.peakRssMb, notes: `${captured.length} captured messages decoded, assembled, batched` },
    ];
  } finally {
    await topology.down();
  }
}

/**
 * Creates bench_orders, publication bench_pub and the given logical slots (pgoutput), then writes
 * rows 1..total in transactions of 1,000 while nothing reads: a backlog every slot must decode.
 * Returns the seconds the load took.
 */
export async function loadBacklog(o: pg.ClientConfig, total: number, slots: readonly string[] = ['bench_slot', 'bench_capture']): Promise<number> {
  const admin = new pg.Client(o);
  await admin.connect();
  try {
    await admin.query('CREATE TABLE bench_orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, paid boolean NOT NULL, created_at timestamptz NOT NULL)');
    await admin.query('CREATE PUBLICATION bench_pub FOR TABLE bench_orders');
    for (const slot of slots) await admin.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
    const started = performance.now();
    await admin.query(`DO $$ BEGIN
      FOR t IN 0..${Math.ceil(total / TX_ROWS) - 1} LOOP
        INSERT INTO bench_orders SELECT g, 'customer-' || (g % 1000), (g % 10000) / 100.0, g % 2 = 0, now()
          FROM generate_series(t * ${TX_ROWS} + 1, least((t + 1) * ${TX_ROWS}, ${total})) g;
        COMMIT;
      END LOOP; END $$`);
    return (performance.now() - started) / 1000;
  } finally {
    await admin.end();
  }
}

/** Copies every CopyData message of the capture slot until the transaction of the `total`-th insert committed. */
async function capture(dsn: string, total: number): Promise<Buffer[]> {
  const connection = await ReplicationConnection.open(parseDsn(dsn, 'bench').settings, 'bench-capture');
  const chunks: Buffer[] = [];
  let inserts = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const stream = new ReplicationStream(connection.client, {
    slot: 'bench_capture',
    publication: 'bench_pub',
    startLsn: 0n,
    statusIntervalMs: 10_000,
    status: () => ({ written: 0n, flushed: 0n }),
    handler: {
      onXLogData: (chunk) => {
        chunks.push(Buffer.from(chunk));
        // Up to the Commit after the last insert: without it the last transaction never ends and
        // the replay drain would wait for it for ever (the commit may come in a later socket read).
        if (chunk[25] === 0x49) inserts++;
        else if (chunk[25] === 0x43 && inserts >= total) done();
      },
      onKeepalive: () => {},
    },
  });
  await stream.start();
  await finished;
  await stream.stop();
  return chunks;
}

/** The source's decode + assemble path over captured bytes, honouring pause like a socket would. */
class ReplaySource implements Source {
  readonly id = 'replay';
  private paused = false;
  private wake: (() => void) | null = null;
  private stopped = false;
  constructor(private readonly chunks: readonly Buffer[]) {}

  async start(ctx: SourceContext): Promise<Position> {
    const schemas = new SchemaRegistry({
      kv: ctx.kv,
      namespace: 'bench',
      types: new TypeCatalog(async () => []),
      isCaptured: () => true,
      fetchTable: async () => undefined,
      logger: silentLogger(),
    });
    await schemas.init([]);
    const assembler = new ChangeAssembler({ sourceId: 'bench', database: 'bench', generation: 0, schemas, isOutbox: () => false, coveredBySnapshot: () => false, emit: (e) => ctx.emit(e) }, null);
    void this.pump(assembler);
    return { lsn: '0/0', xid: null, i: -1 };
  }

  private async pump(assembler: ChangeAssembler): Promise<void> {
    for (let i = 0; i < this.chunks.length && !this.stopped; ) {
      if (this.paused) await new Promise<void>((resolve) => (this.wake = resolve));
      // About one socket read's worth of messages per turn.
      for (const end = Math.min(this.chunks.length, i + 512); i < end; i++) {
        const chunk = this.chunks[i]!;
        if (chunk[0] === XLOG_DATA) void assembler.handle(decodePgoutput(xlogDataPayload(chunk)));
      }
      await new Promise((r) => setImmediate(r));
    }
  }

  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    this.wake?.();
  }
  acknowledge(): void {}
  comparePositions(a: Position, b: Position): number {
    return comparePgPositions(a, b);
  }
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
  }
}
