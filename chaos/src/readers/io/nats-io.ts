import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { SinkHistory } from '../../history/index.js';
import { readNats } from '../nats.js';
import { NatsTail } from '../tails/nats-tail.js';
import type { PayloadDecoding, SinkFeed, SinkIo } from '../reader.js';

/** The JetStream stream a run's NATS sink publishes to (created by `prepare()`) and the subjects it takes. */
export interface NatsReadLayout {
  readonly stream: string;
  readonly subjects: string;
}

export class NatsIo implements SinkIo {
  readonly kind = 'nats';
  readonly exactlyOnce = false;
  private conn: Promise<{ nc: NatsConnection; jsm: JetStreamManager }> | null = null;
  private tails: SinkFeed[] | null = null;

  constructor(readonly name: string, private readonly servers: string, private readonly layout: NatsReadLayout, private readonly decoding: PayloadDecoding = {}) {}

  /** The run's stream, with a duplicate window longer than any scenario, so replays are dropped. */
  async prepare(): Promise<void> {
    const { jsm } = await this.connect();
    await jsm.streams.add({ name: this.layout.stream, subjects: [this.layout.subjects], duplicate_window: nanos(300_000) });
  }

  async count(): Promise<number> {
    const { jsm } = await this.connect();
    return (await jsm.streams.info(this.layout.stream)).state.messages;
  }

  read(): Promise<SinkHistory> {
    return readNats({ servers: this.servers, stream: this.layout.stream, sink: this.name, ...this.decoding });
  }

  async readAll(): Promise<SinkHistory[]> {
    return [await this.read()];
  }

  feeds(primaryKeys: Readonly<Record<string, readonly string[]>>): SinkFeed[] {
    this.tails ??= [{ meta: { sink: this.name, kind: 'nats', exactlyOnce: false }, tail: new NatsTail({ servers: this.servers, stream: this.layout.stream, primaryKeys, ...this.decoding }) }];
    return this.tails;
  }

  async close(): Promise<void> {
    for (const f of this.tails ?? []) await f.tail.close().catch(() => undefined);
    const c = this.conn;
    this.conn = null;
    if (c) await (await c).nc.close().catch(() => undefined);
  }

  private connect(): Promise<{ nc: NatsConnection; jsm: JetStreamManager }> {
    this.conn ??= (async () => {
      const nc = await connect({ servers: this.servers });
      return { nc, jsm: await jetstreamManager(nc) };
    })();
    return this.conn;
  }
}
