import { describe, expect, it } from 'vitest';
import { kafkaSinkConfig } from '../../../../engine/src/config/sinks.js';
import type { Batch, ChangeEvent } from '../../../../engine/src/event/index.js';
import { silentLogger } from '../../../../engine/src/logging/logger.js';
import { NOOP_SINK_METRICS } from '../../../../engine/src/metrics/hooks.js';
import { KafkaSink } from '../../../../engine/src/sinks/kafka/kafka-sink.js';
import { generatedLog } from '../../../../engine/src/testing/index.js';
import { FakeKafka } from './fake-client.js';

const CHECKPOINTS = '__tidemark_checkpoints';
const log = generatedLog({ events: 100, txSize: 1, keys: 10 });
const events = (from: number, to: number): ChangeEvent[] => Array.from({ length: to - from }, (_, i) => log.at(from + i));
const batch = (evs: ChangeEvent[], seq = 1): Batch => ({ seq, events: evs, bytes: 0, position: evs[evs.length - 1]!.source.position });
const retryable = Object.assign(new Error('connection lost'), { name: 'KafkaJSConnectionError' });

function sink(kafka: FakeKafka, extra: Record<string, unknown> = {}, dlqEnabled = true): KafkaSink {
  const config = kafkaSinkConfig.parse({ id: 'k', brokers: 'x:1', topic: 'data', exactly_once: true, client: 'kafkajs', send_timeout_secs: 2, ...extra });
  return new KafkaSink(config, { pipeline: 'p', tenant: 't', logger: silentLogger(), metrics: NOOP_SINK_METRICS, dlqEnabled }, kafka);
}
const values = (kafka: FakeKafka) => kafka.committed('data').map((r) => JSON.parse(r.value!.toString()).after.v as number);

describe('kafka sink, exactly-once logic', () => {
  it('creates the compacted checkpoint topic and writes data and checkpoint in one transaction', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka);
    await s.open();
    expect(kafka.calls).toContain(`create ${CHECKPOINTS}`);
    expect(await s.readCheckpoint()).toBeNull();
    kafka.calls.length = 0;
    await s.deliver(batch(events(0, 5)));
    expect(kafka.calls).toEqual(['begin', `send data:5,${CHECKPOINTS}:1`, 'commit']);
    expect(values(kafka)).toEqual([0, 1, 2, 3, 4]);
    const other = sink(kafka);
    await other.open();
    expect(await other.readCheckpoint()).toEqual({ offset: 4 });
  });

  it('aborts a transaction whose send failed and replaces the producer', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka);
    await s.open();
    kafka.fail('send', retryable);
    await expect(s.deliver(batch(events(0, 3)))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SINK_UNAVAILABLE', kind: 'retryable' });
    expect(kafka.calls.slice(-3)).toEqual(['send data:3,__tidemark_checkpoints:1', 'abort', 'disconnect']);
    await s.deliver(batch(events(0, 3)));
    expect(kafka.producers).toBe(2);
    expect(values(kafka)).toEqual([0, 1, 2]);
  });

  it('after a commit whose acknowledgement was lost, re-reads the checkpoint and sends nothing twice', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka);
    await s.open();
    await s.deliver(batch(events(0, 3), 1));
    kafka.fail('commit', retryable, true);
    await expect(s.deliver(batch(events(3, 6), 2))).rejects.toMatchObject({ kind: 'retryable' });
    // The coordinator's own re-read failed too: the sink must still resolve the outcome itself.
    kafka.calls.length = 0;
    await s.deliver(batch(events(3, 6), 2));
    expect(kafka.calls).not.toContain('begin');
    expect(values(kafka)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('after a commit that did not land, sends the batch again once', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka);
    await s.open();
    kafka.fail('commit', retryable, false);
    await expect(s.deliver(batch(events(0, 4)))).rejects.toMatchObject({ kind: 'retryable' });
    await s.deliver(batch(events(0, 4)));
    expect(values(kafka)).toEqual([0, 1, 2, 3]);
  });

  it('skips the part of a batch a lost commit already holds (the coordinator re-sliced it)', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka);
    await s.open();
    kafka.fail('commit', retryable, true);
    await expect(s.deliver(batch(events(0, 3)))).rejects.toMatchObject({ kind: 'retryable' });
    // A bigger batch containing the landed one (after a restart the batcher may cut differently).
    await s.deliver(batch(events(0, 6)));
    expect(values(kafka)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('treats a fenced producer as fatal and does not abort', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka);
    await s.open();
    kafka.fail('commit', Object.assign(new Error('There is a newer producer with the same transactionalId which fences the current one'), { name: 'KafkaJSProtocolError', type: 'PRODUCER_FENCED', code: 90 }));
    await expect(s.deliver(batch(events(0, 2)))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SINK_FENCED', kind: 'fatal' });
    expect(kafka.calls).not.toContain('abort');
  });

  it('retries a transient checkpoint read (new topic without a leader yet)', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka);
    await s.open();
    await s.deliver(batch(events(0, 2)));
    kafka.fail('read', Object.assign(new Error('not the leader'), { name: 'KafkaJSProtocolError', type: 'NOT_LEADER_FOR_PARTITION', code: 6, retriable: true }));
    expect(await s.readCheckpoint()).toEqual({ offset: 1 });
  });
});

describe('kafka sink, poison events and at-least-once', () => {
  it('without a DLQ, throws the first poison error and sends nothing', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka, { exactly_once: false, topic: 't.${after.route}' }, false);
    await s.open();
    await expect(s.deliver(batch(events(0, 3)))).rejects.toMatchObject({ code: 'TIDEMARK_ERR_SINK_ROUTING', kind: 'poison' });
    expect(kafka.log).toHaveLength(0);
  });

  it('with a DLQ, reports poison events and delivers their neighbours', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka, { exactly_once: false, key: '${after.missing}' }, true);
    await s.open();
    const evs = events(0, 3).map((e, i) => (i === 1 ? e : { ...e, after: { ...e.after, missing: 'k' } }));
    const report = await s.deliver(batch(evs));
    expect(report.poisoned.map((p) => p.event.id)).toEqual([evs[1]!.id]);
    expect(values(kafka)).toEqual([0, 2]);
  });

  it('at-least-once: a failed send replaces the producer; nothing is read back', async () => {
    const kafka = new FakeKafka();
    const s = sink(kafka, { exactly_once: false });
    await s.open();
    expect(s.ownsCheckpoint).toBe(false);
    expect(await s.readCheckpoint()).toBeNull();
    kafka.fail('send', retryable);
    await expect(s.deliver(batch(events(0, 2)))).rejects.toMatchObject({ kind: 'retryable' });
    await s.deliver(batch(events(0, 2)));
    expect(kafka.producers).toBe(2);
    expect(kafka.calls).not.toContain('begin');
    expect(kafka.calls.some((c) => c.startsWith('create'))).toBe(false);
  });

  it('rejects an illegal static topic at construction', () => {
    expect(() => sink(new FakeKafka(), { topic: 'bad topic' })).toThrow(/topic "bad topic" has characters/);
  });
});
