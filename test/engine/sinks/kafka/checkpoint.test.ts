import { describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint, samePosition } from '../../../../engine/src/sinks/kafka/checkpoint-record.js';
import { readLatestCheckpoint } from '../../../../engine/src/sinks/kafka/checkpoint-reader.js';
import { FakeKafka } from './fake-client.js';

const where = { topic: 'c[0]', key: 'p/s', offset: '7' };
const record = (key: string, offset: number) => ({ key: Buffer.from(key), value: encodeCheckpoint({ position: { offset }, batch: 1, events: 1 }), headers: {}, partition: 0 });

describe('checkpoint records', () => {
  it('round-trip a position', () => {
    expect(decodeCheckpoint(encodeCheckpoint({ position: { file: 'b.1', pos: 4 }, batch: 3, events: 9 }), where)).toEqual({ file: 'b.1', pos: 4 });
  });

  it('refuse anything else with a fatal, named error', () => {
    expect(() => decodeCheckpoint(Buffer.from('nope'), where)).toThrow(/checkpoint record p\/s at c\[0\] offset 7 is not JSON/);
    expect(() => decodeCheckpoint(Buffer.from('{"v":2}'), where)).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_KAFKA_CHECKPOINT', kind: 'fatal' }));
    expect(() => decodeCheckpoint(null, where)).toThrow(/version-1/);
  });

  it('compare positions by canonical JSON', () => {
    expect(samePosition({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(samePosition({ a: 1 }, { a: '1' })).toBe(false);
  });
});

describe('reading the newest checkpoint of a key', () => {
  it('finds it behind many records of other keys, reading backwards in growing windows', async () => {
    const kafka = new FakeKafka();
    kafka.topics.set('c', 1);
    const mine = [record('p/s', 1), record('p/s', 2)];
    const others = Array.from({ length: 1500 }, (_, i) => record(`other/${i}`, i));
    kafka.append([{ topic: 'c', messages: [...mine, ...others] }], true);
    expect(await readLatestCheckpoint(kafka, 'c', 'p/s', 5_000)).toEqual({ offset: 2 });
    expect(kafka.calls).toEqual(['read 1246-1502', 'read 222-1246', 'read 0-222']);
  });

  it('takes the newest committed record and ignores aborted ones', async () => {
    const kafka = new FakeKafka();
    kafka.topics.set('c', 1);
    kafka.append([{ topic: 'c', messages: [record('p/s', 1), record('p/s', 2)] }], true);
    kafka.append([{ topic: 'c', messages: [record('p/s', 3)] }], false);
    expect(await readLatestCheckpoint(kafka, 'c', 'p/s', 5_000)).toEqual({ offset: 2 });
  });

  it('is null without the topic or the key', async () => {
    const kafka = new FakeKafka();
    expect(await readLatestCheckpoint(kafka, 'c', 'p/s', 5_000)).toBeNull();
    kafka.topics.set('c', 1);
    kafka.append([{ topic: 'c', messages: [record('x/y', 1)] }], true);
    expect(await readLatestCheckpoint(kafka, 'c', 'p/s', 5_000)).toBeNull();
  });
});
