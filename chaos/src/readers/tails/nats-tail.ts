import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import type { SinkRecord } from '../../history/index.js';
import { AvroFrames } from '../decode/avro-frames.js';
import { decodeRecord } from '../decode/record.js';
import type { SinkTail, TailOptions } from './tail.js';

export interface NatsTailOptions extends TailOptions {
  /** The DIRECT address. */
  readonly servers: string;
  readonly stream: string;
  /** Give up a read when no message arrives for this long (default 5000 ms). */
  readonly idleTimeoutMs?: number;
}

/**
 * The JetStream stream from the sequence after the last one read up to the last one it holds
 * when the read begins, through an ordered consumer (cheap, ephemeral): `stream` = the stream
 * name, `seq` = stream sequence, arrival = the publish time JetStream recorded.
 */
export class NatsTail implements SinkTail {
  private nc: Promise<NatsConnection> | null = null;
  private readSeq = 0;
  private readonly frames: AvroFrames | null;

  constructor(private readonly options: NatsTailOptions) {
    this.frames = options.registryUrl ? new AvroFrames(options.registryUrl) : null;
  }

  async read(visit: (r: SinkRecord) => void, undecodable: (position: string, error: string) => void): Promise<boolean> {
    const nc = await (this.nc ??= connect({ servers: this.options.servers }));
    const info = await (await jetstreamManager(nc)).streams.info(this.options.stream);
    const last = info.state.last_seq;
    if (last <= this.readSeq) return true;
    const consumer = await jetstream(nc).consumers.get(this.options.stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.readSeq + 1 });
    const messages = await consumer.consume({ max_messages: 500 });
    const idleMs = this.options.idleTimeoutMs ?? 5000;
    let idle = setTimeout(() => void messages.close(), idleMs);
    let complete = false;
    try {
      for await (const m of messages) {
        const meta = headerMap(m.headers);
        meta['tidemark-idempotency-key'] ??= meta['nats-msg-id'];
        const position = `${this.options.stream}@${m.seq} ${m.subject}`;
        const data = Buffer.from(m.data);
        // A registry that does not answer fails the read here; the tail resumes at this message.
        if (this.frames) await this.frames.prepare([data]);
        try {
          visit(decodeRecord({ payload: this.frames ? this.frames.payload(data) : data, meta, stream: this.options.stream, seq: m.seq, position, sinkTxn: null, arrivedAt: Number(m.timestampNanos / 1_000_000n) }, this.options.primaryKeys));
        } catch (e) {
          undecodable(position, e instanceof Error ? e.message : String(e));
        }
        this.readSeq = m.seq;
        if (m.seq >= last) {
          complete = true;
          break;
        }
        clearTimeout(idle);
        idle = setTimeout(() => void messages.close(), idleMs);
      }
    } finally {
      clearTimeout(idle);
      await messages.close();
    }
    return complete;
  }

  async close(): Promise<void> {
    await this.frames?.close();
    const nc = this.nc;
    this.nc = null;
    if (nc) await (await nc).close().catch(() => undefined);
  }
}

function headerMap(headers: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of headers?.keys() ?? []) out[key.toLowerCase()] = headers?.last(key) ?? '';
  return out;
}
