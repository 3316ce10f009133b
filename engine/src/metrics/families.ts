import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Every metric family Tidemark exports: the reference's (DeltaForge) set under the `tidemark_`
 * prefix. Labels are bounded by configuration: pipeline names, source/sink/processor ids from
 * specs, stages, error kinds and codes from fixed tables. Never event keys or positions, and
 * tables only in schema sensing's families (opt-in; the reference labels them by table too).
 * docs/metrics.md describes each family; the Grafana test checks the dashboard against this list.
 */
const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_EVENT_BUCKETS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 20_000];
const BATCH_BYTE_BUCKETS = [1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864];

export function createFamilies(registry: Registry) {
  const reg = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name, help, labelNames, registers: reg });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Gauge<L>({ name, help, labelNames, registers: reg });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) => new Histogram<L>({ name, help, labelNames, buckets, registers: reg });

  return {
    buildInfo: gauge('tidemark_build_info', 'Always 1; labels carry the engine version and Node.js version.', ['version', 'node']),

    // Pipeline lifecycle (filled at scrape time from the pipeline manager).
    pipelineStatus: gauge('tidemark_pipeline_status', 'Lifecycle state: 1 running, 0.5 paused, 0.25 starting or stopping, 0 stopped, -1 failed.', ['pipeline']),
    pipelineInfo: gauge('tidemark_pipeline_info', 'Always 1 per pipeline; carries its tenant for dashboard filters.', ['pipeline', 'tenant']),
    pipelineRestarts: counter('tidemark_pipeline_restarts_total', 'Automatic restarts after a retryable failure (e.g. the source could not connect).', ['pipeline']),

    // Source.
    sourceEvents: counter('tidemark_source_events_total', 'Change events read from the source.', ['pipeline', 'source']),
    sourceBytes: counter('tidemark_source_bytes_total', 'Raw bytes read from the source (binlog / WAL).', ['pipeline', 'source']),
    sourceReconnects: counter('tidemark_source_reconnects_total', 'Source reconnections.', ['pipeline', 'source']),
    sourceLag: gauge('tidemark_source_lag_seconds', 'Seconds between the newest source commit read and now (replication lag).', ['pipeline', 'source']),

    // Coordinator and batching.
    batchEvents: histogram('tidemark_batch_events', 'Events per sealed batch.', ['pipeline'], BATCH_EVENT_BUCKETS),
    batchBytes: histogram('tidemark_batch_bytes', 'Bytes per sealed batch.', ['pipeline'], BATCH_BYTE_BUCKETS),
    bytes: counter('tidemark_bytes_total', 'Bytes of events sealed into batches.', ['pipeline']),
    stageLatency: histogram('tidemark_stage_latency_seconds', 'Time per batch in a coordinator stage (process: processors; deliver: sealed to committed).', ['pipeline', 'stage'], LATENCY_BUCKETS),
    processorLatency: histogram('tidemark_processor_latency_seconds', 'Time per batch in one processor.', ['pipeline', 'processor'], LATENCY_BUCKETS),
    processorErrors: counter('tidemark_processor_errors_total', 'Processor invocations that threw.', ['pipeline', 'processor']),
    processorEventsIn: counter('tidemark_processor_events_in_total', 'Events handed to a processor.', ['pipeline', 'processor']),
    processorEventsOut: counter('tidemark_processor_events_out_total', 'Events a processor returned (copies of a split event count each).', ['pipeline', 'processor']),
    processorDropped: counter('tidemark_processor_dropped_total', 'Events a processor dropped (nothing derived from them reached the next stage).', ['pipeline', 'processor']),
    processorLimits: counter('tidemark_processor_limit_exceeded_total', 'Batches a javascript processor was stopped on, by the limit that stopped it (cpu_ms, mem_mb, timeout_ms).', ['pipeline', 'processor', 'limit']),
    outboxTransformed: counter('tidemark_outbox_transformed_total', 'Outbox rows turned into routed messages.', ['pipeline', 'processor']),
    outboxDropped: counter('tidemark_outbox_dropped_total', 'Outbox rows dropped, by reason (non_insert, non_object, null_payload, strict_missing_fields).', ['pipeline', 'processor', 'reason']),
    inflightBatches: gauge('tidemark_pipeline_inflight_batches', 'Sealed batches waiting for commit (backpressure pauses the source at batch.max_inflight).', ['pipeline']),
    e2eLatency: histogram('tidemark_e2e_latency_seconds', 'Source commit time of the newest event of a batch to the batch being committed.', ['pipeline'], LATENCY_BUCKETS),
    checkpoints: counter('tidemark_checkpoints_total', 'Checkpoint saves, counted per sink they cover.', ['pipeline', 'sink']),

    // Sinks.
    sinkEvents: counter('tidemark_sink_events_total', 'Events delivered to the sink (poison events excluded).', ['pipeline', 'sink']),
    sinkBytes: counter('tidemark_sink_bytes_total', 'Bytes of batches delivered to the sink.', ['pipeline', 'sink']),
    sinkBatches: counter('tidemark_sink_batch_total', 'Batches delivered to the sink.', ['pipeline', 'sink']),
    sinkErrors: counter('tidemark_sink_errors_total', 'Failed delivery attempts, by error kind (retryable, non-retryable, fatal, poison).', ['pipeline', 'sink', 'kind']),
    sinkLatency: histogram('tidemark_sink_latency_seconds', 'Time of one successful deliver call (one batch).', ['pipeline', 'sink'], LATENCY_BUCKETS),
    txnCommits: counter('tidemark_sink_txn_commits_total', 'Sink transactions committed (Kafka exactly-once).', ['pipeline', 'sink']),
    txnAborts: counter('tidemark_sink_txn_aborts_total', 'Sink transactions aborted; should stay near 0.', ['pipeline', 'sink']),
    sinkCheckpointStatus: gauge('tidemark_sink_checkpoint_status', '1 when the sink keeps up (attached, backlog within batch.max_inflight), 0 when behind, detached or the pipeline is not running.', ['pipeline', 'sink', 'required']),
    sinkLastCheckpoint: gauge('tidemark_sink_last_checkpoint_timestamp_seconds', 'Unix time of the last checkpoint save covering this sink.', ['pipeline', 'sink']),
    sinkBacklog: gauge('tidemark_sink_backlog_batches', 'Batches queued for this sink and not yet acknowledged.', ['pipeline', 'sink']),

    // Avro encoding (the reference's deltaforge_avro_* families).
    avroEncoded: counter('tidemark_avro_encode_total', 'Events encoded as Avro, by schema path: ddl (from the source column types) or inferred (from JSON values).', ['pipeline', 'sink', 'path']),
    avroRegistrations: counter('tidemark_avro_schema_registrations_total', 'Schemas registered (or found) in the schema registry.', ['pipeline', 'sink']),
    avroCacheFallback: counter('tidemark_avro_sr_cache_fallback_total', 'Events encoded with cached schema ids while the schema registry was unreachable.', ['pipeline', 'sink']),
    avroFailures: counter('tidemark_avro_encode_failure_total', 'Avro encoding failures: sr_unavailable (a batch waits for the registry), schema_mismatch (an event does not fit its schema: poison), incompatible (the registry rejected a version).', ['pipeline', 'sink', 'reason']),

    // Schema sensing (the reference's deltaforge_schema_* families, docs/schema-sensing.md).
    sensingEvents: counter('tidemark_schema_events_total', 'Events schema sensing observed.', ['pipeline', 'table']),
    sensingCacheHits: counter('tidemark_schema_cache_hits_total', 'Sampled events whose structure was in the structure cache (analysis skipped).', ['pipeline', 'table']),
    sensingCacheMisses: counter('tidemark_schema_cache_misses_total', 'Sampled events analysed in full (structure not cached).', ['pipeline', 'table']),
    sensingEvolutions: counter('tidemark_schema_evolutions_total', 'Changes of a table\'s inferred schema (a new fingerprint).', ['pipeline', 'table']),
    sensingTables: gauge('tidemark_schema_tables_total', 'Tables with an inferred schema.', ['pipeline']),
    sensingDynamicMaps: gauge('tidemark_schema_dynamic_maps_total', 'Object paths classified as dynamic maps (keys folded).', ['pipeline']),
    sensingLatency: histogram('tidemark_schema_sensing_seconds', 'Time to analyse one sampled event.', ['pipeline', 'table'], [0.000_01, 0.000_05, 0.000_1, 0.000_5, 0.001, 0.005, 0.01, 0.05]),
    sensingDrift: counter('tidemark_schema_drift_total', 'Drift findings in sampled events, by drift type (unexpected_null, type_mismatch, undeclared_column, json_structure_change).', ['pipeline', 'table', 'drift_type']),

    // Dead letter queue (the journal reports these through JournalMetrics).
    dlqEvents: counter('tidemark_dlq_events_total', 'Poison events routed to the DLQ.', ['pipeline', 'sink', 'error_kind']),
    dlqEntries: gauge('tidemark_dlq_entries', 'Current unacked DLQ entries.', ['pipeline']),
    dlqSaturation: gauge('tidemark_dlq_saturation_ratio', 'DLQ entries / journal.dlq.max_entries (0..1).', ['pipeline']),
    dlqEvicted: counter('tidemark_dlq_evicted_total', 'DLQ entries evicted by overflow_policy drop_oldest (lost).', ['pipeline']),
    dlqRejected: counter('tidemark_dlq_rejected_total', 'Poison events not stored because of overflow_policy reject (lost).', ['pipeline']),
    dlqWriteFailures: counter('tidemark_dlq_write_failures_total', 'DLQ storage failures.', ['pipeline']),
    dlqBlocked: gauge('tidemark_dlq_blocked', '1 while the pipeline waits for DLQ room (overflow_policy block).', ['pipeline']),

    // Control plane.
    apiRequests: counter('tidemark_api_requests_total', 'REST API requests by route pattern, method and status class.', ['route', 'method', 'status']),
    apiLatency: histogram('tidemark_api_request_duration_seconds', 'REST API request duration.', ['route', 'method'], LATENCY_BUCKETS),
  };
}

export type MetricFamilies = ReturnType<typeof createFamilies>;
