import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type MsgHdrs } from '@nats-io/transport-node';
import type { SinkHistory } from '../history/index.js';
import { RecordCollector, type ReaderOptions } from './decode/collector.js';
import type { RawRecord } from './decode/record.js';

export interface NatsReadOptions extends ReaderOptions {
  /** The DIRECT address (`natsServers(service, 'direct')`). */
  readonly servers: string;
  /** The JetStream stream the sink publishes into. */
  readonly stream: string;
  /** Give up when no message arrives for this long (default 5000 ms); the history is then `complete: false`. */
  readonly idleTimeoutMs?: number;
}

/**
 * Reads a JetStream stream with an ordered consumer from its first sequence to the last one the
 * stream held when the read began. `stream` = the stream name (JetStream orders the whole
 * stream, across subjects), `seq` = stream sequence, `position` = `stream@seq subject`.
 * Metadata comes from the message headers (`tidemark-*`; `Nats-Msg-Id` is the idempotency key).
 */
export async function readNats(options: NatsReadOptions): Promise<SinkHistory> {
  const nc = await connect({ servers: options.servers });
  const collector = new RecordCollector(options);
  try {
    const info = await (await jetstreamManager(nc)).streams.info(options.stream).catch((err: unknown) => {
      throw new Error(`cannot read JetStream stream ${options.stream} at ${options.servers}: ${err instanceof Error ? err.message : String(err)}`);
    });
    const last = info.state.last_seq;
    if (info.state.messages === 0) return collector.history('nats', options, { complete: true });
    const consumer = await jetstream(nc).consumers.get(options.stream, { deliver_policy: DeliverPolicy.All });
    const messages = await consumer.consume({ max_messages: 500 });
    const raws: RawRecord[] = [];
    let complete = false;
    let idle = setTimeout(() => void messages.close(), options.idleTimeoutMs ?? 5000);
    try {
      for await (const m of messages) {
        const meta = headerMap(m.headers);
        meta['tidemark-idempotency-key'] ??= meta['nats-msg-id'];
        raws.push({ payload: Buffer.from(m.data), meta, stream: options.stream, seq: m.seq, position: `${options.stream}@${m.seq} ${m.subject}`, sinkTxn: null });
        if (m.seq >= last) {
          complete = true;
          break;
        }
        clearTimeout(idle);
        idle = setTimeout(() => void messages.close(), options.idleTimeoutMs ?? 5000);
      }
    } finally {
      clearTimeout(idle);
      await messages.close();
    }
    await collector.addAll(raws);
    return collector.history('nats', options, { complete });
  } finally {
    await nc.close();
  }
}

function headerMap(headers: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of headers?.keys() ?? []) out[key.toLowerCase()] = headers?.last(key) ?? '';
  return out;
}
