import { Redis } from 'ioredis';
import type { Endpoint } from '../../infra/index.js';
import type { SinkHistory } from '../../history/index.js';
import { readRedis } from '../redis.js';
import { RedisTail } from '../tails/redis-tail.js';
import type { PayloadDecoding, SinkFeed, SinkIo } from '../reader.js';

/** The streams a run's Redis sink writes: `streams` are counted, every key matching `pattern` is read. */
export interface RedisReadLayout {
  readonly exactlyOnce: boolean;
  readonly streams: readonly string[];
  readonly pattern: string;
}

export class RedisIo implements SinkIo {
  readonly kind = 'redis';
  readonly exactlyOnce: boolean;
  private readonly client: Redis;
  private tails: SinkFeed[] | null = null;

  constructor(readonly name: string, private readonly endpoint: Endpoint, private readonly layout: RedisReadLayout, private readonly decoding: PayloadDecoding = {}) {
    this.exactlyOnce = layout.exactlyOnce;
    this.client = new Redis({ ...endpoint, lazyConnect: true, maxRetriesPerRequest: 2 });
    this.client.on('error', () => undefined); // surfaced by the commands
  }

  async prepare(): Promise<void> {
    // Streams are created by the first XADD.
  }

  async count(): Promise<number> {
    const lengths = await Promise.all(this.layout.streams.map((s) => this.client.xlen(s)));
    return lengths.reduce((a, b) => a + b, 0);
  }

  async read(): Promise<SinkHistory> {
    return readRedis({ ...this.endpoint, pattern: this.layout.pattern, sink: this.name, exactlyOnce: this.exactlyOnce, ...this.decoding });
  }

  async readAll(): Promise<SinkHistory[]> {
    return [await this.read()];
  }

  feeds(primaryKeys: Readonly<Record<string, readonly string[]>>): SinkFeed[] {
    this.tails ??= [{ meta: { sink: this.name, kind: 'redis', exactlyOnce: this.exactlyOnce }, tail: new RedisTail({ ...this.endpoint, pattern: this.layout.pattern, primaryKeys, ...this.decoding }) }];
    return this.tails;
  }

  async close(): Promise<void> {
    for (const f of this.tails ?? []) await f.tail.close().catch(() => undefined);
    this.client.disconnect();
  }
}
