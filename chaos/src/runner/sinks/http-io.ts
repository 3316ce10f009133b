import type { SinkHistory } from '../../history/index.js';
import { readHttp, type HttpReceiver, type ReceivedRequest } from '../../readers/index.js';
import type { SinkLayout } from '../sink-layout.js';
import type { PayloadDecoding, SinkIo } from './sink-io.js';

/** The invocation's receiver is shared; a run owns the requests under its path. */
export class HttpIo implements SinkIo {
  readonly kind = 'http';
  readonly exactlyOnce = false;

  constructor(readonly name: string, private readonly receiver: HttpReceiver, private readonly layout: NonNullable<SinkLayout['http']>, private readonly decoding: PayloadDecoding = {}) {}

  async prepare(): Promise<void> {}

  async count(): Promise<number> {
    return this.mine().filter((r) => r.status >= 200 && r.status <= 299).length;
  }

  async read(): Promise<SinkHistory> {
    return readHttp(this.mine(), { sink: this.name, ...this.decoding });
  }

  async readAll(): Promise<SinkHistory[]> {
    return [await this.read()];
  }

  async close(): Promise<void> {}

  private mine(): ReceivedRequest[] {
    return this.receiver.requests().filter((r) => r.url.startsWith(this.layout.pathPrefix));
  }
}
