import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';
import type { JournalMetrics } from '../journal/metrics.js';
import type { CoordinatorMetrics, EncodingMetrics, PipelineMetrics, ProcessorMetrics, SensingMetrics, SensingTableMetrics, SinkMetrics, SourceMetrics } from './hooks.js';
import { createFamilies, type MetricFamilies } from './families.js';
import { observeLiveHeap } from './live-heap.js';

/** What the metrics module needs to know about pipelines at scrape time (implemented by the runtime). */
export interface PipelineStatusView {
  readonly name: string;
  readonly tenant: string;
  readonly status: 'starting' | 'running' | 'paused' | 'stopping' | 'stopped' | 'failed';
  readonly maxInflight: number;
  readonly sinks: ReadonlyArray<{ readonly id: string; readonly required: boolean; readonly backlog: number; readonly detached: boolean }>;
}

const STATUS_VALUE: Record<PipelineStatusView['status'], number> = { running: 1, paused: 0.5, starting: 0.25, stopping: 0.25, stopped: 0, failed: -1 };

/**
 * The prom-client implementation of the metric hooks. One instance per process; each pipeline
 * gets label-bound hooks from `forPipeline`. A private Registry (not prom-client's global one)
 * keeps tests and several engines in one process apart.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly f: MetricFamilies;
  private statusSource: () => readonly PipelineStatusView[] = () => [];

  constructor(options: { version?: string; processMetrics?: boolean } = {}) {
    this.f = createFamilies(this.registry);
    this.f.buildInfo.set({ version: options.version ?? 'dev', node: process.version }, 1);
    if (options.processMetrics ?? true) {
      collectDefaultMetrics({ register: this.registry, prefix: 'tidemark_' });
      observeLiveHeap(this.registry);
    }
  }

  /** Pipeline status gauges are read from here on every scrape. */
  observePipelines(source: () => readonly PipelineStatusView[]): void {
    this.statusSource = source;
  }

  forPipeline(pipeline: string): PipelineMetrics {
    const f = this.f;
    const p = { pipeline };
    const sources = new Map<string, SourceMetrics>();
    const sinks = new Map<string, SinkMetrics>();
    const processors = new Map<string, ProcessorMetrics>();
    const encodings = new Map<string, EncodingMetrics>();
    let sensing: SensingMetrics | undefined;
    const stage = { process: f.stageLatency.labels({ pipeline, stage: 'process' }), deliver: f.stageLatency.labels({ pipeline, stage: 'deliver' }) };
    const coordinator: CoordinatorMetrics = {
      batchSealed: (events, bytes) => {
        f.batchEvents.observe(p, events);
        f.batchBytes.observe(p, bytes);
        f.bytes.inc(p, bytes);
      },
      stage: (name, seconds) => (name === 'process' || name === 'deliver' ? stage[name] : f.stageLatency.labels({ pipeline, stage: name })).observe(seconds),
      checkpointSaved: (sink, ok) => {
        if (!ok) return;
        f.checkpoints.inc({ pipeline, sink });
        f.sinkLastCheckpoint.set({ pipeline, sink }, Date.now() / 1000);
      },
      endToEnd: (seconds) => f.e2eLatency.observe(p, seconds),
      queueDepth: (batches) => f.inflightBatches.set(p, batches),
      // The DLQ journal reports routed events with their error kind; counting here too would double them.
      poisoned: () => {},
    };
    return {
      coordinator,
      source: (id) => cached(sources, id, () => this.sourceHooks(pipeline, id)),
      sink: (id) => cached(sinks, id, () => this.sinkHooks(pipeline, id)),
      processor: (id) => cached(processors, id, () => this.processorHooks(pipeline, id)),
      encoding: (id) => cached(encodings, id, () => this.encodingHooks(pipeline, id)),
      sensing: () => (sensing ??= this.sensingHooks(pipeline)),
    };
  }

  /** The journal's metrics interface for one pipeline's DLQ. */
  journal(pipeline: string): JournalMetrics {
    const f = this.f;
    const p = { pipeline };
    return {
      routed: (sink, errorKind, count) => f.dlqEvents.inc({ pipeline, sink, error_kind: errorKind }, count),
      entries: (count) => f.dlqEntries.set(p, count),
      saturation: (ratio) => f.dlqSaturation.set(p, ratio),
      evicted: (count) => f.dlqEvicted.inc(p, count),
      rejected: (count) => f.dlqRejected.inc(p, count),
      writeFailed: () => f.dlqWriteFailures.inc(p),
      blocked: (isBlocked) => f.dlqBlocked.set(p, isBlocked ? 1 : 0),
    };
  }

  restarted(pipeline: string): void {
    this.f.pipelineRestarts.inc({ pipeline });
  }

  /** `route` is the route pattern (bounded), never the raw URL. */
  apiRequest(route: string, method: string, statusCode: number, seconds: number): void {
    this.f.apiRequests.inc({ route, method, status: `${Math.floor(statusCode / 100)}xx` });
    this.f.apiLatency.observe({ route, method }, seconds);
  }

  /** Drops every series of a deleted pipeline so dashboards do not show it forever. */
  async forgetPipeline(pipeline: string): Promise<void> {
    for (const name of this.familyNames()) {
      const metric = this.registry.getSingleMetric(name) as Metric<string> | undefined;
      if (!metric) continue;
      const { values } = await metric.get();
      const seen = new Set<string>();
      for (const v of values) {
        if (v.labels.pipeline !== pipeline) continue;
        const { le: _bucket, ...labels } = v.labels;
        const key = JSON.stringify(labels);
        if (seen.has(key)) continue;
        seen.add(key);
        (metric as unknown as { remove(l: Record<string, string | number>): void }).remove(labels as Record<string, string | number>);
      }
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text; pipeline status gauges are refreshed first. */
  async text(): Promise<string> {
    this.refreshStatus();
    return this.registry.metrics();
  }

  /** Names of every exported family (histograms without their _bucket/_sum/_count suffixes). */
  familyNames(): string[] {
    return this.registry.getMetricsAsArray().map((m) => m.name);
  }

  private refreshStatus(): void {
    const f = this.f;
    f.pipelineStatus.reset();
    f.pipelineInfo.reset();
    f.sinkCheckpointStatus.reset();
    f.sinkBacklog.reset();
    for (const p of this.statusSource()) {
      f.pipelineStatus.set({ pipeline: p.name }, STATUS_VALUE[p.status]);
      f.pipelineInfo.set({ pipeline: p.name, tenant: p.tenant }, 1);
      const live = p.status === 'running' || p.status === 'paused';
      for (const s of p.sinks) {
        const ok = live && !s.detached && s.backlog <= p.maxInflight;
        f.sinkCheckpointStatus.set({ pipeline: p.name, sink: s.id, required: String(s.required) }, ok ? 1 : 0);
        f.sinkBacklog.set({ pipeline: p.name, sink: s.id }, s.backlog);
      }
    }
  }

  private sourceHooks(pipeline: string, source: string): SourceMetrics {
    const l = { pipeline, source };
    const events = this.f.sourceEvents.labels(l);
    const bytes = this.f.sourceBytes.labels(l);
    return {
      events: (n) => events.inc(n),
      bytes: (n) => bytes.inc(n),
      reconnected: () => this.f.sourceReconnects.inc(l),
      lag: (seconds) => this.f.sourceLag.set(l, seconds),
    };
  }

  private sinkHooks(pipeline: string, sink: string): SinkMetrics {
    const l = { pipeline, sink };
    const events = this.f.sinkEvents.labels(l);
    const bytes = this.f.sinkBytes.labels(l);
    const batches = this.f.sinkBatches.labels(l);
    const latency = this.f.sinkLatency.labels(l);
    return {
      delivered: (n, b, seconds) => {
        events.inc(n);
        bytes.inc(b);
        batches.inc();
        latency.observe(seconds);
      },
      failed: (kind) => this.f.sinkErrors.inc({ ...l, kind }),
      txnCommitted: () => this.f.txnCommits.inc(l),
      txnAborted: () => this.f.txnAborts.inc(l),
    };
  }

  private encodingHooks(pipeline: string, sink: string): EncodingMetrics {
    const l = { pipeline, sink };
    return {
      encoded: (path, n) => n > 0 && this.f.avroEncoded.inc({ ...l, path }, n),
      registered: () => this.f.avroRegistrations.inc(l),
      cacheFallback: (n) => n > 0 && this.f.avroCacheFallback.inc(l, n),
      failed: (reason, n) => this.f.avroFailures.inc({ ...l, reason }, n),
    };
  }

  private sensingHooks(pipeline: string): SensingMetrics {
    const f = this.f;
    const tables = new Map<string, SensingTableMetrics>();
    const forTable = (table: string): SensingTableMetrics => {
      const l = { pipeline, table };
      const events = f.sensingEvents.labels(l);
      const hits = f.sensingCacheHits.labels(l);
      const misses = f.sensingCacheMisses.labels(l);
      const latency = f.sensingLatency.labels(l);
      return {
        event: () => events.inc(),
        cache: (hit) => (hit ? hits : misses).inc(),
        evolution: () => f.sensingEvolutions.inc(l),
        latency: (seconds) => latency.observe(seconds),
        drift: (type) => f.sensingDrift.inc({ ...l, drift_type: type }),
      };
    };
    return {
      table: (table) => cached(tables, table, () => forTable(table)),
      tables: (n) => f.sensingTables.set({ pipeline }, n),
      dynamicMaps: (n) => f.sensingDynamicMaps.set({ pipeline }, n),
    };
  }

  private processorHooks(pipeline: string, processor: string): ProcessorMetrics {
    const l = { pipeline, processor };
    const latency = this.f.processorLatency.labels(l);
    const input = this.f.processorEventsIn.labels(l);
    const output = this.f.processorEventsOut.labels(l);
    const dropped = this.f.processorDropped.labels(l);
    return {
      latency: (s) => latency.observe(s),
      failed: () => this.f.processorErrors.inc(l),
      events: (i, o, d) => {
        input.inc(i);
        output.inc(o);
        dropped.inc(d);
      },
      limitExceeded: (limit) => this.f.processorLimits.inc({ ...l, limit }),
      outbox: (transformed, drops) => {
        this.f.outboxTransformed.inc(l, transformed);
        for (const [reason, n] of Object.entries(drops)) if (n > 0) this.f.outboxDropped.inc({ ...l, reason }, n);
      },
    };
  }
}

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
