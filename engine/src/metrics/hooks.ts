import type { ErrorKind } from '../errors/index.js';

/**
 * What components report, independent of how it is exported. The Prometheus implementation
 * lives in `metrics/prometheus.ts`; tests and benchmarks use `NOOP_METRICS`.
 * Callers aggregate: these are called per batch or per read chunk, not per event.
 */
export interface SourceMetrics {
  events(count: number): void;
  bytes(count: number): void;
  reconnected(): void;
  /** Seconds between the newest event's commit time and now. */
  lag(seconds: number): void;
}

export interface SinkMetrics {
  delivered(events: number, bytes: number, seconds: number): void;
  failed(kind: ErrorKind): void;
  txnCommitted(): void;
  txnAborted(): void;
}

export type CoordinatorStage = 'batch' | 'process' | 'deliver' | 'checkpoint';

export interface CoordinatorMetrics {
  batchSealed(events: number, bytes: number): void;
  stage(stage: CoordinatorStage, seconds: number): void;
  checkpointSaved(sinkId: string, ok: boolean): void;
  /** Source commit time to checkpoint, per batch (of its newest event). */
  endToEnd(seconds: number): void;
  queueDepth(batches: number): void;
  poisoned(sinkId: string, kind: string): void;
}

/** Reported by the processor stage around every processor invocation (one call per batch). */
export interface ProcessorMetrics {
  latency(seconds: number): void;
  failed(): void;
  /** Events into and out of the processor for one batch, and input events with nothing derived from them. */
  events(input: number, output: number, dropped: number): void;
  /** A javascript processor stopped on a batch by one of its limits (`cpu_ms`, `mem_mb`, `timeout_ms`). */
  limitExceeded(limit: string): void;
  /** Outbox: rows turned into messages, and rows dropped per reason (non_insert, non_object, null_payload, strict_missing_fields). */
  outbox(transformed: number, dropped: Readonly<Record<string, number>>): void;
}

/** Avro encoding of one sink (the reference's deltaforge_avro_* families); called per batch. */
export interface EncodingMetrics {
  /** `ddl`: schema derived from the source's column types; `inferred`: from the JSON values (no source schema). */
  encoded(path: 'ddl' | 'inferred', events: number): void;
  /** A schema registered (or found) in the registry. */
  registered(): void;
  /** Events encoded with cached schema ids while the registry was unreachable. */
  cacheFallback(events: number): void;
  /** `sr_unavailable`: a batch waits for the registry; `schema_mismatch`: an event does not fit its schema (poison); `incompatible`: the registry rejected a version. */
  failed(reason: 'sr_unavailable' | 'schema_mismatch' | 'incompatible', events: number): void;
}

/** Schema sensing of one table (docs/schema-sensing.md). */
export interface SensingTableMetrics {
  /** Every event the sensor saw. */
  event(): void;
  /** A sampled event's structure was (true) or was not (false) in the structure cache. */
  cache(hit: boolean): void;
  evolution(): void;
  /** Seconds one sampled event took to analyse. */
  latency(seconds: number): void;
  drift(type: string): void;
}

/** Schema sensing of a pipeline: per-table hooks plus the pipeline-wide gauges. */
export interface SensingMetrics {
  table(table: string): SensingTableMetrics;
  tables(count: number): void;
  dynamicMaps(count: number): void;
}

export interface PipelineMetrics {
  source(id: string): SourceMetrics;
  sink(id: string): SinkMetrics;
  processor(id: string): ProcessorMetrics;
  readonly coordinator: CoordinatorMetrics;
  /** Avro encoding metrics of a sink; absent where nobody collects them. */
  encoding?(sinkId: string): EncodingMetrics;
  /** Schema sensing metrics; absent where nobody collects them. */
  sensing?(): SensingMetrics;
}

const noop = (): void => {};
export const NOOP_SOURCE_METRICS: SourceMetrics = { events: noop, bytes: noop, reconnected: noop, lag: noop };
export const NOOP_SINK_METRICS: SinkMetrics = { delivered: noop, failed: noop, txnCommitted: noop, txnAborted: noop };
export const NOOP_PROCESSOR_METRICS: ProcessorMetrics = { latency: noop, failed: noop, events: noop, limitExceeded: noop, outbox: noop };
export const NOOP_COORDINATOR_METRICS: CoordinatorMetrics = { batchSealed: noop, stage: noop, checkpointSaved: noop, endToEnd: noop, queueDepth: noop, poisoned: noop };
export const NOOP_ENCODING_METRICS: EncodingMetrics = { encoded: noop, registered: noop, cacheFallback: noop, failed: noop };
export const NOOP_SENSING_TABLE_METRICS: SensingTableMetrics = { event: noop, cache: noop, evolution: noop, latency: noop, drift: noop };
export const NOOP_SENSING_METRICS: SensingMetrics = { table: () => NOOP_SENSING_TABLE_METRICS, tables: noop, dynamicMaps: noop };
export const NOOP_METRICS: PipelineMetrics = {
  source: () => NOOP_SOURCE_METRICS,
  sink: () => NOOP_SINK_METRICS,
  processor: () => NOOP_PROCESSOR_METRICS,
  coordinator: NOOP_COORDINATOR_METRICS,
};
