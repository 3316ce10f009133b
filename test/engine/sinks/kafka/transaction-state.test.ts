import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kafkaSinkConfig } from '../../../../engine/src/config/sinks.js';
import type { Batch, ChangeEvent, Position } from '../../../../engine/src/event/index.js';
import { isTidemarkError } from '../../../../engine/src/errors/index.js';
import { silentLogger } from '../../../../engine/src/logging/logger.js';
import { NOOP_SINK_METRICS } from '../../../../engine/src/metrics/hooks.js';
import { KafkaSink } from '../../../../engine/src/sinks/kafka/kafka-sink.js';
import { canTransition, TRANSACTION_STATES, TransactionStateMachine, type TransactionState } from '../../../../engine/src/sinks/kafka/transaction-state.js';
import { generatedLog } from '../../../../engine/src/testing/index.js';
import { FakeKafka, type Operation } from './fake-client.js';

const LEGAL: ReadonlyArray<[TransactionState, TransactionState]> = [
  ['recovering', 'beginning'],
  ['recovering', 'recovering'],
  ['ready', 'beginning'],
  ['ready', 'recovering'],
  ['unresolved', 'recovering'],
  ['beginning', 'sending'],
  ['beginning', 'recovering'],
  ['sending', 'committing'],
  ['sending', 'aborting'],
  ['sending', 'recovering'],
  ['committing', 'ready'],
  ['committing', 'unresolved'],
  ['aborting', 'recovering'],
];

describe('kafka exactly-once transaction state machine', () => {
  it('allows exactly the transitions of its table', () => {
    const legal = new Set(LEGAL.map(([a, b]) => `${a}>${b}`));
    for (const from of TRANSACTION_STATES) for (const to of TRANSACTION_STATES) expect([from, to, canTransition(from, to)]).toEqual([from, to, legal.has(`${from}>${to}`)]);
  });

  it('a failure leaves a commit unresolved, aborts a send unless fenced, and forgets a begin', () => {
    const at = (path: TransactionState[], fatal: boolean) => {
      const m = new TransactionStateMachine();
      for (const s of path) m.to(s);
      return m.failed(fatal);
    };
    expect(at(['beginning'], false)).toBe('recovering');
    expect(at(['beginning', 'sending'], false)).toBe('aborting');
    expect(at(['beginning', 'sending'], true)).toBe('recovering');
    expect(at(['beginning', 'sending', 'committing'], false)).toBe('unresolved');
    expect(at(['beginning', 'sending', 'committing'], true)).toBe('unresolved');
    const m = new TransactionStateMachine();
    expect(() => m.to('committing')).toThrow(/illegal kafka transaction transition recovering -> committing/);
  });
});

const log = generatedLog({ events: 60, txSize: 1, keys: 10 });
const retryable = () => Object.assign(new Error('connection lost'), { name: 'KafkaJSConnectionError' });
const offsetOf = (p: Position) => (p as { offset: number }).offset;

/** One scripted failure: which operation, and for a commit whether it landed before failing. */
const faultArb = fc.record({ op: fc.constantFrom<Operation>('connect', 'begin', 'send', 'commit', 'read'), landed: fc.boolean(), atDelivery: fc.nat(12) });

describe('kafka exactly-once sink under scripted failures (model)', () => {
  it('Kafka ends up holding every event exactly once, in order, however begin/send/commit/read fail', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }), fc.array(faultArb, { maxLength: 6 }), fc.array(fc.boolean(), { maxLength: 40 }), async (sizes, faults, refreshes) => {
        const kafka = new FakeKafka();
        const config = kafkaSinkConfig.parse({ id: 'k', brokers: 'x:1', topic: 'data', exactly_once: true, client: 'kafkajs', send_timeout_secs: 2 });
        const sink = new KafkaSink(config, { pipeline: 'p', tenant: 't', logger: silentLogger(), metrics: NOOP_SINK_METRICS, dlqEnabled: false }, kafka);
        await sink.open();
        let skipThrough = await sink.readCheckpoint();
        let offset = 0;
        let deliveries = 0;
        let refresh = 0;
        for (const [seq, size] of sizes.entries()) {
          const events: ChangeEvent[] = Array.from({ length: Math.min(size, 60 - offset) }, (_, i) => log.at(offset + i));
          if (events.length === 0) break;
          offset += events.length;
          const sealed: Batch = { seq, events, bytes: 0, position: events.at(-1)!.source.position };
          // The sink lane: deliver what the sink does not hold; after a failure re-read its checkpoint (which may fail too) and retry.
          for (let attempt = 0; ; attempt++) {
            expect(attempt).toBeLessThan(50);
            for (const f of faults.filter((x) => x.atDelivery === deliveries)) kafka.fail(f.op, retryable(), f.landed);
            deliveries++;
            const through = skipThrough;
            const rest = through === null ? events : events.filter((e) => offsetOf(e.source.position) > offsetOf(through));
            if (rest.length === 0) break;
            try {
              await sink.deliver({ ...sealed, events: rest });
              skipThrough = null;
              break;
            } catch (e) {
              expect(isTidemarkError(e) && e.kind === 'retryable').toBe(true);
              if (refreshes[refresh++ % Math.max(1, refreshes.length)] ?? true) {
                try {
                  skipThrough = await sink.readCheckpoint();
                } catch {
                  // The lane keeps its old skip point and retries.
                }
              }
            }
          }
        }
        const held = kafka.committed('data').map((r) => (JSON.parse(r.value!.toString()) as { after: { v: number } }).after.v);
        expect(held).toEqual(Array.from({ length: offset }, (_, i) => i));
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
