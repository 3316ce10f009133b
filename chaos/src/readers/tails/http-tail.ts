import type { SinkRecord } from '../../history/index.js';
import { AvroFrames } from '../decode/avro-frames.js';
import { decodeRecord, type RawRecord } from '../decode/record.js';
import type { HttpReceiver, ReceivedRequest } from '../http-receiver.js';
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

  private readonly frames: AvroFrames | null;

  constructor(private readonly options: HttpTailOptions) {
    this.frames = options.registryUrl ? new AvroFrames(options.registryUrl) : null;
  }

  /** Counts accepted requests up to now without decoding them (the runner's cheap count). */
  count(): number {
    return this.accepted + this.options.receiver.requests().slice(this.next).filter((r) => this.mine(r.url) && r.status >= 200 && r.status <= 299).length;
  }

  async read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean> {
    const log = this.options.receiver.requests();
    const end = log.length;
    // Schemas first: a registry that does not answer fails the read before a request is taken.
    if (this.frames) await this.frames.prepare(log.slice(this.next, end).filter((r) => this.mine(r.url) && isAvro(r)).map((r) => r.bytes));
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
          visit(decodeRecord({ ...raw, payload: this.frames ? this.frames.payload(raw.payload) : raw.payload, stream, seq, sinkTxn: null, arrivedAt: request.at }, this.options.primaryKeys));
        } catch (e) {
          undecodable(raw.position, e instanceof Error ? e.message : String(e));
        }
      };
      if (isAvro(request)) {
        add({ payload: request.bytes, meta: request.headers, position: `${stream}#${request.seq}` });
        continue;
      }
      const parsed = tryParse(request.body);
      if (Array.isArray(parsed)) parsed.forEach((item: unknown, i) => add({ payload: { parsed: item }, meta: {}, position: `${stream}#${request.seq}[${i}]` }));
      else add({ payload: request.body, meta: request.headers, position: `${stream}#${request.seq}` });
    }
    this.options.receiver.release(end);
    return true;
  }

  async close(): Promise<void> {
    await this.frames?.close();
  }

  private mine(url: string): boolean {
    return url.startsWith(this.options.pathPrefix);
  }
}

/** An `application/avro` body is one Confluent-framed event (binary: read from `bytes`). */
function isAvro(request: ReceivedRequest): boolean {
  return request.headers['content-type']?.startsWith('application/avro') ?? false;
}

function tryParse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
