import { Redis } from 'ioredis';
import type { SinkRecord } from '../../history/index.js';
import { AvroFrames } from '../decode/avro-frames.js';
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

interface Entry {
  readonly id: string;
  readonly payload: Buffer | string;
  /** The other fields, as text, names in lower case. */
  readonly meta: Record<string, string>;
}

/**
 * Every stream matching the pattern, from the entry after the last one read: `stream` = the key,
 * `seq` = index in the stream, `position` = `key@entry-id`, arrival = the entry id's milliseconds.
 */
export class RedisTail implements SinkTail {
  private readonly redis: Redis;
  private readonly cursors = new Map<string, { lastId: string; seq: number }>();
  private connected: Promise<void> | null = null;
  private readonly frames: AvroFrames | null;

  constructor(private readonly options: RedisTailOptions) {
    this.redis = new Redis({ host: options.host, port: options.port, lazyConnect: true, maxRetriesPerRequest: 3 });
    this.redis.on('error', () => undefined); // surfaced by the commands
    this.frames = options.registryUrl ? new AvroFrames(options.registryUrl) : null;
  }

  async read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean> {
    await (this.connected ??= this.redis.connect());
    const chunk = this.options.chunk ?? 1000;
    for (const key of await this.streamKeys()) {
      const cursor = this.cursors.get(key) ?? { lastId: '-', seq: 0 };
      this.cursors.set(key, cursor);
      for (;;) {
        const entries = await this.range(key, cursor.lastId === '-' ? '-' : `(${cursor.lastId}`, chunk);
        // Schemas first: a registry that does not answer fails the read before an entry is taken.
        if (this.frames) await this.frames.prepare(entries.map((e) => e.payload));
        for (const { id, payload, meta } of entries) {
          const position = `${key}@${id}`;
          try {
            visit(decodeRecord({ payload: this.frames ? this.frames.payload(payload) : payload, meta, stream: key, seq: cursor.seq++, position, sinkTxn: null, arrivedAt: Number(id.slice(0, id.indexOf('-'))) }, this.options.primaryKeys));
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

  /**
   * Entries after `start`. Avro payloads are binary and would not survive a round trip through
   * a UTF-8 string, so an Avro tail reads bytes (XRANGE as buffers); a JSON one reads text.
   */
  private async range(key: string, start: string, chunk: number): Promise<Entry[]> {
    if (!this.frames) {
      return (await this.redis.xrange(key, start, '+', 'COUNT', chunk)).map(([id, flat]) => {
        const meta: Record<string, string> = {};
        for (let i = 0; i + 1 < flat.length; i += 2) meta[flat[i]!.toLowerCase()] = flat[i + 1]!;
        return { id, payload: meta[PAYLOAD_FIELD] ?? '', meta };
      });
    }
    return (await this.redis.xrangeBuffer(key, start, '+', 'COUNT', chunk)).map(([id, flat]) => {
      const meta: Record<string, string> = {};
      let payload: Buffer | string = '';
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const name = flat[i]!.toString().toLowerCase();
        if (name === PAYLOAD_FIELD) payload = flat[i + 1]!;
        else meta[name] = flat[i + 1]!.toString();
      }
      return { id: id.toString(), payload, meta };
    });
  }

  async close(): Promise<void> {
    await this.frames?.close();
    this.redis.disconnect();
  }

  private async streamKeys(): Promise<string[]> {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', this.options.pattern, 'COUNT', 500, 'TYPE', 'stream');
      for (const k of batch) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
    return [...keys].sort();
  }
}
