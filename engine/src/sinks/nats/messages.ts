import { headers as natsHeaders, type MsgHdrs } from '@nats-io/transport-node';
import type { Batch, ChangeEvent, EventSerializer, Template } from '../../event/index.js';
import { eventHeaders, idempotencyKey, routedDestination, routedKey } from '../../event/index.js';
import { isTidemarkError, TidemarkError } from '../../errors/index.js';
import type { PoisonedEvent } from '../sink.js';
import { subjectMatches, subjectProblem } from './subjects.js';

export interface NatsMessage {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers: MsgHdrs;
  /** Nats-Msg-Id: JetStream drops a second message with the same id within duplicate_window. */
  readonly msgId: string;
  readonly event: ChangeEvent;
}

export interface MessageContext {
  readonly tenant: string;
  readonly subject: Template;
  readonly key: Template | null;
  readonly serializer: EventSerializer;
  /** The server's max_payload (INFO), headers included. */
  readonly maxPayload: number;
  /** Filters of the configured stream; null when no stream is configured (not checked). */
  readonly streamSubjects: readonly string[] | null;
  readonly streamName: string | undefined;
  readonly dlqEnabled: boolean;
}

export function buildMessages(batch: Batch, ctx: MessageContext): { messages: NatsMessage[]; poisoned: PoisonedEvent[] } {
  const messages: NatsMessage[] = [];
  const poisoned: PoisonedEvent[] = [];
  for (const event of batch.events) {
    try {
      messages.push(buildMessage(event, ctx));
    } catch (e) {
      if (!isTidemarkError(e) || e.kind !== 'poison' || !ctx.dlqEnabled) throw e;
      poisoned.push({ event, error: e });
    }
  }
  return { messages, poisoned };
}

function buildMessage(event: ChangeEvent, ctx: MessageContext): NatsMessage {
  const table = `${event.source.db}.${event.source.table}`;
  const subject = routedDestination(event, ctx.subject, { what: 'subject', validate: subjectProblem });
  if (ctx.streamSubjects && !ctx.streamSubjects.some((f) => subjectMatches(f, subject))) {
    throw new TidemarkError('TIDEMARK_ERR_SINK_ROUTING', `subject "${subject}" of event ${event.id} (${table}) is not captured by stream ${ctx.streamName} (subjects: ${ctx.streamSubjects.join(', ')})`, {
      context: { event: event.id, table, subject },
    });
  }
  const data = ctx.serializer.serialize(event, subject);
  const msgId = idempotencyKey(ctx.tenant, event);
  const h = natsHeaders();
  // Headers travel in the same frame as the payload and count against max_payload ("NATS/1.0\r\n" ... "\r\n").
  let size = data.length + subject.length + 12 + `Nats-Msg-Id: ${msgId}\r\n`.length;
  const set = (k: string, v: string) => {
    const value = headerValue(v);
    h.set(k, value);
    size += Buffer.byteLength(`${k}: ${value}\r\n`);
  };
  const key = routedKey(event, ctx.key);
  if (key !== null) set('df-key', key);
  // Routing headers first: the tidemark metadata set after them wins a name clash.
  if (event.routing?.headers) for (const [k, v] of Object.entries(event.routing.headers)) set(k, v);
  for (const [k, v] of Object.entries(eventHeaders(event, ctx.tenant))) set(k, v);
  if (size > ctx.maxPayload) {
    throw new TidemarkError('TIDEMARK_ERR_SINK_TOO_LARGE', `event ${event.id} (${table}) makes a ${size}-byte NATS message, over the server's max_payload ${ctx.maxPayload}`, {
      context: { event: event.id, table, bytes: size },
    });
  }
  return { subject, data, headers: h, msgId, event };
}

/** NATS header values end at CR/LF; keep them on one line. */
function headerValue(v: string): string {
  return v.replace(/[\r\n]+/g, ' ');
}
