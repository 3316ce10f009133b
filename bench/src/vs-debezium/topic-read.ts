import { randomUUID } from 'node:crypto';
import { tryLoadConfluent, type RdMessage } from '@tidemark/engine/sinks/kafka/confluent-module';

export interface TopicContents {
  /** Per partition, the offsets of data records (markers excluded), ascending. */
  readonly dataOffsets: number[][];
  readonly records: number;
  /** Distinct row ids 1..rows seen in the keys: `rows` means nothing was lost. */
  readonly distinctRows: number;
  readonly valueBytes: number;
  readonly keyBytes: number;
  /** The first values read, to replay through Kafka's own producer (the ceiling). */
  readonly sampleValues: Buffer[];
}

const SAMPLE_VALUES = 2_000;

/**
 * Reads a whole topic read_committed with librdkafka, after the system under test stopped
 * writing: where the data records sit (for `timeline`), and whether every row id 1..rows is there.
 * Keys are `{"id":<n>}` in both systems (Debezium's JSON converter without schemas, Tidemark's
 * default key).
 */
export async function readTopic(brokers: string, topic: string, ends: readonly number[], rows: number): Promise<TopicContents> {
  const rd = tryLoadConfluent();
  if (!rd) throw new Error('@confluentinc/kafka-javascript is not installed: the benchmark reads topics with it');
  const consumer = new rd.KafkaConsumer(
    { 'bootstrap.servers': brokers, 'group.id': `vs-debezium-${randomUUID()}`, 'enable.auto.commit': false, 'isolation.level': 'read_committed', 'enable.partition.eof': true },
    {},
  );
  const dataOffsets = ends.map(() => [] as number[]);
  const seen = new Uint8Array(rows + 1);
  let distinctRows = 0;
  let records = 0;
  let valueBytes = 0;
  let keyBytes = 0;
  const sampleValues: Buffer[] = [];
  const done = ends.map((end) => end === 0);
  consumer.on('partition.eof', (eof) => {
    if (eof.offset >= ends[eof.partition]!) done[eof.partition] = true;
  });
  await new Promise<void>((resolve, reject) => consumer.connect({ timeout: 30_000 }, (err) => (err ? reject(err) : resolve())));
  try {
    consumer.setDefaultConsumeTimeout(200);
    consumer.assign(ends.map((_, partition) => ({ topic, partition, offset: 0 })));
    const deadline = Date.now() + 10 * 60_000;
    while (!done.every(Boolean)) {
      if (Date.now() > deadline) throw new Error(`reading ${topic} took over 10 minutes`);
      const batch = await new Promise<RdMessage[]>((resolve, reject) => consumer.consume(10_000, (err, messages) => (err ? reject(err) : resolve(messages))));
      for (const m of batch) {
        dataOffsets[m.partition]!.push(m.offset);
        records++;
        if (m.offset >= ends[m.partition]! - 1) done[m.partition] = true;
        const value = m.value;
        if (value) {
          valueBytes += value.length;
          if (sampleValues.length < SAMPLE_VALUES) sampleValues.push(Buffer.from(value));
        }
        const key = typeof m.key === 'string' ? Buffer.from(m.key) : m.key;
        if (!key) continue;
        keyBytes += key.length;
        const id = rowId(key);
        if (id > 0 && id <= rows && seen[id] === 0) {
          seen[id] = 1;
          distinctRows++;
        }
      }
    }
  } finally {
    await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
  }
  return { dataOffsets, records, distinctRows, valueBytes, keyBytes, sampleValues };
}

/** The first run of digits in a key like `{"id":123}`; 0 when there is none. */
function rowId(key: Buffer): number {
  let id = 0;
  let inDigits = false;
  for (const byte of key) {
    if (byte >= 0x30 && byte <= 0x39) {
      id = id * 10 + (byte - 0x30);
      inDigits = true;
    } else if (inDigits) break;
  }
  return id;
}
