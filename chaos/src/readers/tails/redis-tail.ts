import { Redis } from 'ioredis';
import type { SinkRecord } from '../../history/index.js';
import { decodeRecord } from '../decode/record.js';
import type { SinkTail, TailOptions } from './tail.js';

export interface RedisTailOptions extends TailOptions {
  /** The DIRECT endpoint. */
  readonly host: string;
  readonly port: number;
  /** SCAN MATCH pattern of the stream keys; streams that appear later are found on the next read. */
  readonly pattern: string;
  /** Entries per XRANGE call (default 1000). */
  readonly chunk?: number;
}

/** XRANGE payload field (docs/sinks/redis.md); the other fields are metadata. */
const PAYLOAD_FIELD = 'event';

/**
 * Every stream matching the pattern, from the entry after the last one read: `stream` = the key,
 * `seq` = index in the stream, `position` = `key@entry-id`, arrival = the entry id's milliseconds.
 */
export class RedisTail implements SinkTail {
  private readonly redis: Redis;
  private readonly cursors = new Map<string, { lastId: string; seq: number }>();
  private connected: Promise<void> | null = null;

  constructor(private readonly o: RedisTailOptions) {
    this.redis = new Redis({ host: o.host, port: o.port, lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined); // surfaced by the commands
  }

  async read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean> {
    await (this.connected ??= this.redis.connect());
    const chunk = this.o.chunk ?? 1000;
    for (const key of await this.streamKeys()) {
      const cursor = this.cursors.get(key) ?? { lastId: '-', seq: 0 };
      this.cursors.set(key, cursor);
      for (;;) {
        const entries = await this.redis.xrange(key, cursor.lastId === '-' ? '-' : `(${cursor.lastId}`, '+', 'COUNT', chunk);
        for (const [id, flat] of entries) {
          const fields: Record<string, string> = {};
          for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!.toLowerCase()] = flat[i + 1]!;
          const position = `${key}@${id}`;
          try {
            visit(decodeRecord({ payload: fields[PAYLOAD_FIELD] ?? '', meta: fields, stream: key, seq: cursor.seq++, position, sinkTxn: null, arrivedAt: Number(id.slice(0, id.indexOf('-'))) }, this.o.primaryKeys));
          } catch (e) {
            undecodable(position, e instanceof Error ? e.message : String(e));
          }
          cursor.lastId = id;
        }
        if (entries.length < chunk) break;
      }
    }
    return true;
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async streamKeys(): Promise<string[]> {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', this.o.pattern, 'COUNT', 500, 'TYPE', 'stream');
      for (const k of batch) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
    return [...keys].sort();
  }
}
