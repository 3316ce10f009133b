import type { Position } from '../../event/index.js';
import type { KafkaClientAdapter } from './adapter.js';
import { decodeCheckpoint } from './checkpoint-record.js';
import { KafkaTimeoutError } from './deadline.js';
import { partitionForKey } from './murmur2.js';

/** First look-back from the end of the partition; grows fourfold until the key is found. */
const FIRST_WINDOW = 256;

/**
 * The newest committed checkpoint for `key`, read with isolation read_committed from the one
 * partition the key hashes to. It scans backwards from the high watermark in growing windows,
 * so the usual case (the sink wrote the last few records) reads a few hundred records however
 * long the topic is. Null when the topic or the key does not exist.
 *
 * Call it only when this sink's own producer has no transaction open (after InitProducerId):
 * a read_committed read waits for every transaction open below the high watermark to end.
 */
export async function readLatestCheckpoint(client: KafkaClientAdapter, topic: string, key: string, timeoutMs: number): Promise<Position | null> {
  const deadline = Date.now() + timeoutMs;
  const partitions = await client.partitionCount(topic);
  if (partitions === null) return null;
  const keyBytes = Buffer.from(key);
  const partition = partitionForKey(keyBytes, partitions);
  const { low, high } = await client.watermarks(topic, partition);
  let end = high;
  for (let window = FIRST_WINDOW; end > low; window *= 4) {
    const from = Math.max(low, end - window);
    const left = deadline - Date.now();
    if (left <= 0) throw new KafkaTimeoutError(`reading checkpoint ${key} from ${topic}[${partition}]`, timeoutMs);
    const records = await client.readCommitted(topic, partition, from, end, left);
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      if (r.key?.equals(keyBytes)) return decodeCheckpoint(r.value, { topic: `${topic}[${partition}]`, key, offset: String(r.offset) });
    }
    end = from;
  }
  return null;
}
