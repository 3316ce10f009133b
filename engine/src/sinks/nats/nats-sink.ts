import type { NatsConnection } from '@nats-io/transport-node';
import type { NatsSinkConfig } from '../../config/index.js';
import { compileTemplate, createSerializer, type Batch, type EventSerializer, type Position, type Template } from '../../event/index.js';
import { errorKind, TidemarkError, type ErrorKind } from '../../errors/index.js';
import { destinationOf, serializerContext, type DeliveryReport, type PoisonedEvent, type Sink, type SinkContext } from '../sink.js';
import { AckInbox } from './ack-inbox.js';
import { connectNats } from './connect.js';
import { classifyNatsError } from './errors.js';
import { buildMessages } from './messages.js';
import { ensureStream } from './stream.js';
import { subjectProblem } from './subjects.js';

/** nats-server's default, used until the server's INFO says otherwise. */
const DEFAULT_MAX_PAYLOAD = 1_048_576;

/**
 * NATS JetStream sink. Every event is published with Nats-Msg-Id = its idempotency key, the
 * whole batch at once through the ack inbox, and the batch is acknowledged only once every
 * publish was acked by the stream (an ack marked duplicate counts: the server already holds it). Replays within the
 * stream's duplicate_window therefore leave one copy.
 */
export class NatsSink implements Sink {
  readonly id: string;
  readonly required: boolean;
  readonly ownsCheckpoint = false;
  private readonly subject: Template;
  private readonly key: Template | null;
  private readonly serializer: EventSerializer;
  private nc: NatsConnection | null = null;
  private acks: AckInbox | null = null;
  private streamSubjects: string[] | null = null;

  constructor(private readonly config: NatsSinkConfig, private readonly ctx: SinkContext) {
    this.id = config.id;
    this.required = config.required;
    this.subject = compileTemplate(config.subject, ctx, { what: 'subject', validate: subjectProblem });
    this.key = config.key ? compileTemplate(config.key, ctx, { what: 'key' }) : null;
    this.serializer = createSerializer(config.envelope, config.encoding, serializerContext(`nats sink ${config.id}`, ctx));
  }

  async open(): Promise<void> {
    if (!this.nc || this.nc.isClosed()) {
      this.nc = await connectNats(this.config);
      this.acks = new AckInbox(this.nc, this.config.stream);
    }
    if (this.config.stream) this.streamSubjects = await ensureStream(this.nc, this.config, this.ctx.logger);
  }

  async readCheckpoint(): Promise<Position | null> {
    return null;
  }

  async deliver(batch: Batch): Promise<DeliveryReport> {
    const nc = this.nc;
    const acks = this.acks;
    if (!nc || !acks || nc.isClosed()) throw new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `sink ${this.id} is not open`, { context: { sink: this.id } });
    await this.serializer.prepare?.(batch.events, (e) => destinationOf(this.subject, e));
    const { messages, poisoned } = buildMessages(batch, {
      tenant: this.ctx.tenant,
      subject: this.subject,
      key: this.key,
      serializer: this.serializer,
      maxPayload: nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD,
      streamSubjects: this.streamSubjects,
      streamName: this.config.stream,
      dlqEnabled: this.ctx.dlqEnabled,
    });
    // Every ack must be back send_timeout_secs after the batch went out (and within batch_timeout_secs).
    const timeoutMs = Math.min(this.config.send_timeout_secs, this.config.batch_timeout_secs) * 1000;
    const results = await acks.publishAll(messages, timeoutMs);
    const failures: TidemarkError[] = [];
    results.forEach((r, i) => {
      if (!(r instanceof Error)) return;
      const error = classifyNatsError(r, this.id, `publish to ${messages[i]!.subject}`);
      if (error.kind === 'poison' && this.ctx.dlqEnabled) poisoned.push({ event: messages[i]!.event, error } satisfies PoisonedEvent);
      else failures.push(error);
    });
    if (failures.length > 0) throw worst(failures);
    return { poisoned };
  }

  async close(): Promise<void> {
    const nc = this.nc;
    this.nc = null;
    this.acks?.close();
    this.acks = null;
    await nc?.close().catch(() => {});
    await this.serializer.close?.();
  }

  async reloadSchemas(): Promise<void> {
    this.serializer.reset?.();
  }
}

const SEVERITY: Record<ErrorKind, number> = { fatal: 3, 'non-retryable': 2, poison: 1, retryable: 0 };

function worst(errors: readonly TidemarkError[]): TidemarkError {
  return errors.reduce((a, b) => (SEVERITY[errorKind(b)] > SEVERITY[errorKind(a)] ? b : a));
}
