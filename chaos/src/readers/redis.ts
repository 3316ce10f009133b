import { Redis } from 'ioredis';
import type { SinkHistory } from '../history/index.js';
import { RecordCollector, type ReaderOptions } from './decode/collector.js';
import type { RawRecord } from './decode/record.js';

export interface RedisReadOptions extends ReaderOptions {
  /** The DIRECT endpoint (`redisOptions(service, 'direct')`). */
  readonly host: string;
  readonly port: number;
  /** SCAN MATCH pattern for the stream keys (e.g. `cdc.*`); only keys of type stream are read. */
  readonly pattern: string;
  /** Entries per XRANGE call (default 1000). */
  readonly chunk?: number;
}

/** XRANGE payload field (docs/sinks/redis.md): the enveloped event; the other fields are metadata. */
const PAYLOAD_FIELD = 'event';

/**
 * Reads every entry of every stream matching the pattern, in entry-id order: `stream` = the
 * key, `seq` = index in the stream, `position` = `key@entry-id`. Metadata comes from the
 * entry's other fields (`idempotency_key`, `tidemark-*`). Entries are read as bytes: an Avro
 * payload is binary, and would not survive a round trip through a UTF-8 string.
 */
export async function readRedis(options: RedisReadOptions): Promise<SinkHistory> {
  const redis = new Redis({ host: options.host, port: options.port, lazyConnect: true, maxRetriesPerRequest: 3 });
  // Failures surface through the commands; without a listener ioredis prints every reconnect error.
  redis.on('error', () => undefined);
  await redis.connect();
  const collector = new RecordCollector(options);
  try {
    const raws: RawRecord[] = [];
    for (const key of await streamKeys(redis, options.pattern)) {
      let seq = 0;
      let start = '-';
      for (;;) {
        const entries = await redis.xrangeBuffer(key, start, '+', 'COUNT', options.chunk ?? 1000);
        for (const [idBytes, flat] of entries) {
          const id = idBytes.toString();
          const { payload, meta } = fields(flat);
          raws.push({ payload: payload ?? '', meta, stream: key, seq: seq++, position: `${key}@${id}`, sinkTxn: null });
        }
        if (entries.length < (options.chunk ?? 1000)) break;
        start = `(${entries[entries.length - 1]![0].toString()}`;
      }
    }
    await collector.addAll(raws);
    return collector.history('redis', options);
  } finally {
    redis.disconnect();
  }
}

async function streamKeys(redis: Redis, pattern: string): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500, 'TYPE', 'stream');
    for (const k of batch) keys.add(k);
    cursor = next;
  } while (cursor !== '0');
  return [...keys].sort();
}

/** The payload field as bytes; every other field as metadata text. */
function fields(flat: readonly Buffer[]): { payload: Buffer | undefined; meta: Record<string, string> } {
  const meta: Record<string, string> = {};
  let payload: Buffer | undefined;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i]!.toString().toLowerCase();
    if (name === PAYLOAD_FIELD) payload = flat[i + 1];
    else meta[name] = flat[i + 1]!.toString();
  }
  return { payload, meta };
}
