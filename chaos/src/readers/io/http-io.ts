import type { SinkHistory } from '../../history/index.js';
import { readHttp } from '../http.js';
import type { HttpReceiver, ReceivedRequest } from '../http-receiver.js';
import { HttpTail } from '../tails/http-tail.js';
import type { PayloadDecoding, SinkFeed, SinkIo } from '../reader.js';

/** Where a run's HTTP sink posts: every request under this path prefix is the run's. */
export interface HttpReadLayout {
  readonly pathPrefix: string;
}

/** The invocation's receiver is shared; a run owns the requests under its path. */
export class HttpIo implements SinkIo {
  readonly kind = 'http';
  readonly exactlyOnce = false;
  private feed: SinkFeed | null = null;

  constructor(readonly name: string, private readonly receiver: HttpReceiver, private readonly layout: HttpReadLayout, private readonly decoding: PayloadDecoding = {}) {}

  async prepare(): Promise<void> {}

  async count(): Promise<number> {
    if (this.feed) return (this.feed.tail as HttpTail).count();
    return this.mine().filter((r) => r.status >= 200 && r.status <= 299).length;
  }

  async read(): Promise<SinkHistory> {
    return readHttp(this.mine(), { sink: this.name, ...this.decoding });
  }

  async readAll(): Promise<SinkHistory[]> {
    return [await this.read()];
  }

  feeds(primaryKeys: Readonly<Record<string, readonly string[]>>): SinkFeed[] {
    this.feed ??= { meta: { sink: this.name, kind: 'http', exactlyOnce: false }, tail: new HttpTail({ receiver: this.receiver, pathPrefix: this.layout.pathPrefix, primaryKeys, ...this.decoding }) };
    return [this.feed];
  }

  async close(): Promise<void> {
    await this.feed?.tail.close().catch(() => undefined);
  }

  private mine(): ReceivedRequest[] {
    return this.receiver.requests().filter((r) => r.url.startsWith(this.layout.pathPrefix));
  }
}
