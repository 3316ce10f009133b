import { describe, expect, it } from 'vitest';
import { PrometheusMetrics, type PipelineStatusView } from '../../../engine/src/metrics/index.js';

/** `name{labels} value` lines of the exposition, without comments. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

describe('PrometheusMetrics', () => {
  it('turns per-batch hook calls into the tidemark_* series with bounded labels', async () => {
    const m = new PrometheusMetrics({ processMetrics: false });
    const p = m.forPipeline('orders');
    p.source('mysql-1').events(120);
    p.source('mysql-1').bytes(4096);
    p.source('mysql-1').reconnected();
    p.source('mysql-1').lag(2.5);
    p.coordinator.batchSealed(100, 2048);
    p.coordinator.batchSealed(20, 512);
    p.coordinator.stage('deliver', 0.02);
    p.coordinator.endToEnd(0.3);
    p.coordinator.queueDepth(2);
    p.coordinator.checkpointSaved('kafka-1', true);
    p.sink('kafka-1').delivered(100, 2048, 0.004);
    p.sink('kafka-1').delivered(20, 512, 0.002);
    p.sink('kafka-1').failed('retryable');
    p.sink('kafka-1').txnCommitted();
    p.sink('kafka-1').txnAborted();
    p.processor('js-1').latency(0.001);
    p.processor('js-1').failed();
    const j = m.journal('orders');
    j.routed('kafka-1', 'serialization', 3);
    j.entries(3);
    j.saturation(0.0003);
    j.evicted(1);
    j.rejected(2);
    j.writeFailed();
    j.blocked(true);
    m.apiRequest('/pipelines/:name', 'GET', 404, 0.001);
    const s = samples(await m.text());
    expect(s.get('tidemark_source_events_total{pipeline="orders",source="mysql-1"}')).toBe(120);
    expect(s.get('tidemark_source_bytes_total{pipeline="orders",source="mysql-1"}')).toBe(4096);
    expect(s.get('tidemark_source_reconnects_total{pipeline="orders",source="mysql-1"}')).toBe(1);
    expect(s.get('tidemark_source_lag_seconds{pipeline="orders",source="mysql-1"}')).toBe(2.5);
    expect(s.get('tidemark_batch_events_count{pipeline="orders"}')).toBe(2);
    expect(s.get('tidemark_batch_events_sum{pipeline="orders"}')).toBe(120);
    expect(s.get('tidemark_batch_bytes_sum{pipeline="orders"}')).toBe(2560);
    expect(s.get('tidemark_bytes_total{pipeline="orders"}')).toBe(2560);
    expect(s.get('tidemark_stage_latency_seconds_count{pipeline="orders",stage="deliver"}')).toBe(1);
    expect(s.get('tidemark_e2e_latency_seconds_count{pipeline="orders"}')).toBe(1);
    expect(s.get('tidemark_pipeline_inflight_batches{pipeline="orders"}')).toBe(2);
    expect(s.get('tidemark_checkpoints_total{pipeline="orders",sink="kafka-1"}')).toBe(1);
    expect(s.get('tidemark_sink_last_checkpoint_timestamp_seconds{pipeline="orders",sink="kafka-1"}')).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(s.get('tidemark_sink_events_total{pipeline="orders",sink="kafka-1"}')).toBe(120);
    expect(s.get('tidemark_sink_bytes_total{pipeline="orders",sink="kafka-1"}')).toBe(2560);
    expect(s.get('tidemark_sink_batch_total{pipeline="orders",sink="kafka-1"}')).toBe(2);
    expect(s.get('tidemark_sink_latency_seconds_count{pipeline="orders",sink="kafka-1"}')).toBe(2);
    expect(s.get('tidemark_sink_errors_total{pipeline="orders",sink="kafka-1",kind="retryable"}')).toBe(1);
    expect(s.get('tidemark_sink_txn_commits_total{pipeline="orders",sink="kafka-1"}')).toBe(1);
    expect(s.get('tidemark_sink_txn_aborts_total{pipeline="orders",sink="kafka-1"}')).toBe(1);
    expect(s.get('tidemark_processor_latency_seconds_count{pipeline="orders",processor="js-1"}')).toBe(1);
    expect(s.get('tidemark_processor_errors_total{pipeline="orders",processor="js-1"}')).toBe(1);
    expect(s.get('tidemark_dlq_events_total{pipeline="orders",sink="kafka-1",error_kind="serialization"}')).toBe(3);
    expect(s.get('tidemark_dlq_entries{pipeline="orders"}')).toBe(3);
    expect(s.get('tidemark_dlq_evicted_total{pipeline="orders"}')).toBe(1);
    expect(s.get('tidemark_dlq_rejected_total{pipeline="orders"}')).toBe(2);
    expect(s.get('tidemark_dlq_write_failures_total{pipeline="orders"}')).toBe(1);
    expect(s.get('tidemark_dlq_blocked{pipeline="orders"}')).toBe(1);
    expect(s.get('tidemark_api_requests_total{route="/pipelines/:name",method="GET",status="4xx"}')).toBe(1);
  });

  it('encodes pipeline status and per-sink checkpoint health at scrape time', async () => {
    const m = new PrometheusMetrics({ processMetrics: false });
    const views: PipelineStatusView[] = [
      { name: 'a', tenant: 't1', status: 'running', maxInflight: 2, sinks: [{ id: 'k', required: true, backlog: 1, detached: false }, { id: 'slow', required: false, backlog: 9, detached: false }] },
      { name: 'b', tenant: 't1', status: 'paused', maxInflight: 2, sinks: [{ id: 'k', required: true, backlog: 0, detached: true }] },
      { name: 'c', tenant: 't2', status: 'stopped', maxInflight: 2, sinks: [] },
      { name: 'd', tenant: 't2', status: 'failed', maxInflight: 2, sinks: [{ id: 'k', required: true, backlog: 0, detached: false }] },
      { name: 'e', tenant: 't2', status: 'starting', maxInflight: 2, sinks: [] },
    ];
    m.observePipelines(() => views);
    let s = samples(await m.text());
    expect(['a', 'b', 'c', 'd', 'e'].map((p) => s.get(`tidemark_pipeline_status{pipeline="${p}"}`))).toEqual([1, 0.5, 0, -1, 0.25]);
    expect(s.get('tidemark_pipeline_info{pipeline="d",tenant="t2"}')).toBe(1);
    expect(s.get('tidemark_sink_checkpoint_status{pipeline="a",sink="k",required="true"}')).toBe(1);
    expect(s.get('tidemark_sink_checkpoint_status{pipeline="a",sink="slow",required="false"}')).toBe(0);
    expect(s.get('tidemark_sink_checkpoint_status{pipeline="b",sink="k",required="true"}')).toBe(0);
    expect(s.get('tidemark_sink_checkpoint_status{pipeline="d",sink="k",required="true"}')).toBe(0);
    expect(s.get('tidemark_sink_backlog_batches{pipeline="a",sink="slow"}')).toBe(9);
    views.splice(0, 4);
    s = samples(await m.text());
    expect(s.has('tidemark_pipeline_status{pipeline="a"}')).toBe(false);
  });

  it('forgets every series of a deleted pipeline and keeps the others', async () => {
    const m = new PrometheusMetrics({ processMetrics: false });
    for (const name of ['gone', 'kept']) {
      const p = m.forPipeline(name);
      p.sink('s').delivered(1, 10, 0.01);
      p.coordinator.batchSealed(1, 10);
      p.sink('s').failed('fatal');
    }
    await m.forgetPipeline('gone');
    const text = await m.text();
    expect(text).not.toContain('pipeline="gone"');
    expect(samples(text).get('tidemark_sink_events_total{pipeline="kept",sink="s"}')).toBe(1);
    expect(samples(text).get('tidemark_batch_events_count{pipeline="kept"}')).toBe(1);
  });

  it('keeps instances apart (private registries) and exports process metrics under the prefix', async () => {
    const a = new PrometheusMetrics();
    const b = new PrometheusMetrics({ processMetrics: false });
    a.forPipeline('x').sink('s').delivered(5, 1, 0.1);
    expect(await b.text()).not.toContain('pipeline="x"');
    expect(a.familyNames()).toContain('tidemark_process_resident_memory_bytes');
    expect(b.familyNames().every((n) => n.startsWith('tidemark_'))).toBe(true);
  });
});
