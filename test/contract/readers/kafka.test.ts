import { Kafka, logLevel } from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { address, kafkaBrokers, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { KafkaIo } from '../../../chaos/src/readers/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../../chaos/src/workload/schema.js';
import { createEnvelope, eventHeaders, type ChangeEvent } from '../../../engine/src/event/index.js';
import { comparable, expectedRecord, TENANT, workloadEvents } from '../../chaos/readers/fixtures.js';
import { sharedTopology } from '../../support/infra.js';
import { readerContract, type ReaderTarget } from '../reader-contract.js';

let kafka: ServiceInfo;
beforeAll(async () => {
  kafka = (await sharedTopology(['kafka'])).services.find((s) => s.name === 'kafka') as ServiceInfo;
});

/** One topic per table, three partitions: the engine writes through the proxy, the reader reads direct. */
function kafkaTarget(exactlyOnce: boolean): ReaderTarget {
  return {
    kind: 'kafka',
    exactlyOnce,
    histories: 2,
    // Transaction markers take offsets: an exactly-once topic's count includes them.
    exactCount: !exactlyOnce,
    place: async (name, tables) => ({
      io: new KafkaIo('k', kafkaBrokers(kafka, 'direct'), { exactlyOnce, topics: tables.map((t) => `${name}.${t}`), partitions: 3 }),
      sink: { type: 'kafka', config: { id: 'k', brokers: address(kafka, 'proxy'), topic: `${name}.\${source.table}`, exactly_once: exactlyOnce, client: 'kafkajs' } },
    }),
    port: () => kafka.direct.port,
  };
}

describe('kafka reader (at-least-once topics)', () => readerContract('rc-kafka-alo', () => kafkaTarget(false), { connects: true }));
describe('kafka reader (exactly-once topics)', () => readerContract('rc-kafka-eos', () => kafkaTarget(true), { connects: true }));

describe('kafka reader and an aborted transaction', () => {
  it('read_committed hides the aborted records, read_uncommitted shows them, in readAll() and in the feeds', async () => {
    const topic = `rc-kafka-abort-${Date.now()}`;
    const events = workloadEvents(10, 21);
    const [committedA, aborted, committedB] = [events.slice(0, 4), events.slice(4, 7), events.slice(7, 10)] as ChangeEvent[][];
    const io = new KafkaIo('k', kafkaBrokers(kafka, 'direct'), { exactlyOnce: true, topics: [topic], partitions: 1 });
    const producer = new Kafka({ brokers: kafkaBrokers(kafka, 'direct'), logLevel: logLevel.NOTHING }).producer({ transactionalId: topic, idempotent: true, maxInFlightRequests: 1 });
    const wrap = createEnvelope({ type: 'native' });
    const inTxn = async (batch: ChangeEvent[], end: 'commit' | 'abort') => {
      const txn = await producer.transaction();
      await txn.send({ topic, messages: batch.map((e) => ({ key: e.source.table, value: JSON.stringify(wrap(e)), headers: eventHeaders(e, TENANT) })) });
      await (end === 'commit' ? txn.commit() : txn.abort());
    };
    try {
      await io.prepare();
      await producer.connect();
      await inTxn(committedA!, 'commit');
      await inTxn(aborted!, 'abort');
      await inTxn(committedB!, 'commit');
      const visible = [...committedA!, ...committedB!].map((e) => expectedRecord(e));
      const everything = [...committedA!, ...aborted!, ...committedB!].map((e) => expectedRecord(e));

      const [committed, uncommitted] = await io.readAll();
      expect([committed?.isolation, uncommitted?.isolation]).toEqual(['read_committed', 'read_uncommitted']);
      expect(committed?.records.map(comparable)).toEqual(visible);
      expect(uncommitted?.records.map(comparable)).toEqual(everything);
      expect(await io.read()).toEqual(committed);

      const [committedFeed, uncommittedFeed] = io.feeds(WORKLOAD_PRIMARY_KEYS);
      expect([committedFeed?.meta.isolation, uncommittedFeed?.meta.isolation]).toEqual(['read_committed', 'read_uncommitted']);
      for (const [feed, expected] of [[committedFeed, visible], [uncommittedFeed, everything]] as const) {
        const got: Partial<ReturnType<typeof comparable>>[] = [];
        await feed!.tail.read((r) => got.push(comparable(r)), (position, error) => got.push({ op: `undecodable ${position}: ${error}` } as never));
        expect(got).toEqual(expected);
      }
    } finally {
      await producer.disconnect();
      await io.close();
    }
  }, 60_000);
});
