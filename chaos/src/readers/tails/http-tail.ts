import type { SinkRecord } from '../../history/index.js';
import { decodeRecord, type RawRecord } from '../decode/record.js';
import type { HttpReceiver } from '../http-receiver.js';
import type { SinkTail, TailOptions } from './tail.js';

export interface HttpTailOptions extends TailOptions {
  readonly receiver: HttpReceiver;
  /** Only requests whose URL starts with this (the run's path). */
  readonly pathPrefix: string;
}

/**
 * The receiver's log from the request after the last one read: only accepted (2xx) requests
 * count, as in `readHttp`; `stream` = the URL path, `seq` = record index on that path, arrival =
 * when the body was complete. What was read is released from the receiver.
 */
export class HttpTail implements SinkTail {
  private next = 0;
  private readonly seqs = new Map<string, number>();
  /** Accepted requests under the prefix so far (the cheap count). */
  accepted = 0;
  /** Requests under the prefix the receiver refused (non-2xx answers and resets) so far. */
  refused = 0;

  constructor(private readonly o: HttpTailOptions) {}

  /** Counts accepted requests up to now without decoding them (the runner's cheap count). */
  count(): number {
    return this.accepted + this.o.receiver.requests().slice(this.next).filter((r) => this.mine(r.url) && r.status >= 200 && r.status <= 299).length;
  }

  async read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean> {
    const log = this.o.receiver.requests();
    const end = log.length;
    for (; this.next < end; this.next++) {
      const request = log[this.next]!;
      if (!this.mine(request.url)) continue;
      if (request.status < 200 || request.status > 299) {
        this.refused++;
        continue;
      }
      this.accepted++;
      const stream = request.url.split('?')[0]!;
      const add = (raw: Omit<RawRecord, 'seq' | 'stream' | 'sinkTxn' | 'arrivedAt'>) => {
        const seq = this.seqs.get(stream) ?? 0;
        this.seqs.set(stream, seq + 1);
        try {
          visit(decodeRecord({ ...raw, stream, seq, sinkTxn: null, arrivedAt: request.at }, this.o.primaryKeys));
        } catch (e) {
          undecodable(raw.position, e instanceof Error ? e.message : String(e));
        }
      };
      const parsed = tryParse(request.body);
      if (Array.isArray(parsed)) parsed.forEach((item: unknown, i) => add({ payload: { parsed: item }, meta: {}, position: `${stream}#${request.seq}[${i}]` }));
      else add({ payload: request.body, meta: request.headers, position: `${stream}#${request.seq}` });
    }
    this.o.receiver.release(end);
    return true;
  }

  async close(): Promise<void> {}

  private mine(url: string): boolean {
    return url.startsWith(this.o.pathPrefix);
  }
}

function tryParse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
