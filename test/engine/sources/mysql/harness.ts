import mysql from 'mysql2/promise';
import { pino } from 'pino';
import { startTopology, mysqlOptions, type Topology } from '../../../../chaos/src/infra/index.js';
import { MemoryCheckpointBackend, type CheckpointBackend, type CheckpointStore } from '../../../../engine/src/checkpoints/index.js';
import { mysqlSourceConfig, type BatchSpec, type MysqlSourceConfig } from '../../../../engine/src/config/index.js';
import { Coordinator } from '../../../../engine/src/coordinator/index.js';
import type { ChangeEvent, Position } from '../../../../engine/src/event/index.js';
import type { Source, SourceContext } from '../../../../engine/src/sources/source.js';
import { silentLogger, type Logger } from '../../../../engine/src/logging/logger.js';
import { NOOP_METRICS, NOOP_SOURCE_METRICS, type PipelineMetrics, type SourceMetrics } from '../../../../engine/src/metrics/hooks.js';
import { MysqlSource, type MysqlTunables } from '../../../../engine/src/sources/mysql/index.js';
import { MemorySink } from '../../../../engine/src/testing/index.js';
import { waitFor } from '../../../support/poll.js';

export type ServiceName = 'mysql' | 'mysql-b';

/** A private MariaDB (and replica when asked) behind Toxiproxy. */
export function startMariadb(withReplica = false): Promise<Topology> {
  return startTopology(withReplica ? ['mysql', 'mysql-b'] : ['mysql'], { provider: 'native' });
}

/** DSN the source uses: through the proxy, as the CDC user. */
export function cdcDsn(topo: Topology, name: ServiceName = 'mysql', via: 'proxy' | 'direct' = 'proxy'): string {
  const o = mysqlOptions(topo.get(name), via, 'cdc');
  return `mysql://${o.user}:${o.password}@${o.host}:${o.port}/${o.database}`;
}

/** An admin connection straight to the server (workloads never go through the proxy). */
export async function admin(topo: Topology, name: ServiceName = 'mysql'): Promise<mysql.Connection> {
  return mysql.createConnection({ ...mysqlOptions(topo.get(name), 'direct', 'admin'), multipleStatements: true, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
}

export const FAST: Partial<MysqlTunables> = { purgeCheckMs: 200, queryTimeoutMs: 10_000, reconnectBackoff: { baseMs: 100, capMs: 1000 }, metricsIntervalMs: 100 };

export interface RunOptions {
  readonly config: Partial<MysqlSourceConfig> & { dsn: string; id?: string };
  readonly backend?: CheckpointBackend;
  readonly batch?: Partial<BatchSpec>;
  readonly sink?: MemorySink;
  readonly tunables?: Partial<MysqlTunables>;
  readonly metrics?: Partial<SourceMetrics>;
  readonly logger?: Logger;
}

/** One engine run: a MysqlSource under a real Coordinator, delivering into a MemorySink. */
export class Run {
  readonly source: MysqlSource;
  readonly sink: MemorySink;
  readonly coordinator: Coordinator;
  readonly store: CheckpointStore;

  /** Every event the source emitted in this run, before batching and the sink lanes' filtering. */
  readonly emitted: ChangeEvent[] = [];
  /** What start() resolved with. */
  startedAfter: Position | null = null;

  constructor(o: RunOptions) {
    const config = mysqlSourceConfig.parse({ id: 'src', ...o.config });
    this.source = new MysqlSource(config, { pipeline: 'p', tenant: 't', logger: o.logger ?? silentLogger() }, { ...FAST, ...o.tunables });
    const inner = this.source;
    const tap: Source = {
      id: inner.id,
      start: async (ctx: SourceContext) => (this.startedAfter = await inner.start({ ...ctx, emit: (e) => (this.emitted.push(e), ctx.emit(e)) })),
      pause: () => inner.pause(),
      resume: () => inner.resume(),
      acknowledge: (p) => inner.acknowledge(p),
      comparePositions: (a, b) => inner.comparePositions(a, b),
      stop: () => inner.stop(),
    };
    this.sink = o.sink ?? new MemorySink('sink');
    this.store = (o.backend ?? new MemoryCheckpointBackend()).forPipeline('p');
    const sourceMetrics: SourceMetrics = { ...NOOP_SOURCE_METRICS, ...o.metrics };
    const metrics: PipelineMetrics = { ...NOOP_METRICS, source: () => sourceMetrics };
    this.coordinator = new Coordinator({
      pipeline: 'p',
      tenant: 't',
      source: tap,
      sinks: [this.sink],
      batch: { max_events: 500, max_bytes: 16 * 1024 * 1024, max_ms: 50, respect_source_tx: true, max_inflight: 4, ...o.batch },
      commitPolicy: { mode: 'required' } as never,
      store: this.store,
      logger: o.logger ?? silentLogger(),
      metrics,
      stopTimeoutMs: 5000,
    });
  }

  async start(): Promise<void> {
    await this.coordinator.start();
    if (this.coordinator.state !== 'running') throw this.coordinator.failure ?? new Error(`pipeline is ${this.coordinator.state}`);
  }

  get events(): ChangeEvent[] {
    return this.sink.events;
  }

  stop(): Promise<void> {
    return this.coordinator.stop();
  }

  /** As if the process died: nothing flushed, no checkpoint saved from here on. */
  async crash(): Promise<void> {
    this.coordinator.crash();
    await this.source.stop();
  }
}

/** Polls until `check` returns true. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(what, check, { timeoutMs, intervalMs: 25 });
}

/** A pino logger that keeps every line, for asserting on warnings. */
export function capturingLogger(): { logger: Logger; lines: Array<{ level: string; msg: string } & Record<string, unknown>> } {
  const lines: Array<{ level: string; msg: string } & Record<string, unknown>> = [];
  const logger = pino({ level: 'debug', formatters: { level: (label) => ({ level: label }) } }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}
