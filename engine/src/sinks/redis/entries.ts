import type { Batch, ChangeEvent, EventSerializer, Template } from '../../event/index.js';
import { eventHeaders, idempotencyKey, routedDestination, routedKey } from '../../event/index.js';
import { isTidemarkError, TidemarkError } from '../../errors/index.js';
import type { PoisonedEvent } from '../sink.js';

/** One XADD: the stream key and the entry's field/value pairs, flattened. */
export interface StreamEntry {
  readonly stream: string;
  readonly fields: ReadonlyArray<string | Buffer>;
  readonly event: ChangeEvent;
}

export interface EntryContext {
  readonly tenant: string;
  readonly stream: Template;
  readonly key: Template | null;
  readonly serializer: EventSerializer;
  readonly maxMessageBytes: number;
  readonly dlqEnabled: boolean;
}

/**
 * The entry layout (docs/sinks/redis.md): `event` (the enveloped payload, as the reference's
 * consumers read it), `idempotency_key`, `df-key` when the event has a key, `df-headers` (JSON)
 * when a processor set routing headers, then the `tidemark-*` metadata of `eventHeaders` (event
 * id, tx id/index/end, op, table). The stream key is the processor's `routing.topic` when set.
 */
export function buildEntries(batch: Batch, ctx: EntryContext): { entries: StreamEntry[]; poisoned: PoisonedEvent[] } {
  const entries: StreamEntry[] = [];
  const poisoned: PoisonedEvent[] = [];
  for (const event of batch.events) {
    try {
      entries.push(buildEntry(event, ctx));
    } catch (e) {
      if (!isTidemarkError(e) || e.kind !== 'poison' || !ctx.dlqEnabled) throw e;
      poisoned.push({ event, error: e });
    }
  }
  return { entries, poisoned };
}

function buildEntry(event: ChangeEvent, ctx: EntryContext): StreamEntry {
  const stream = routedDestination(event, ctx.stream, { what: 'stream' });
  const payload = ctx.serializer.serialize(event, stream);
  const fields: Array<string | Buffer> = ['event', payload, 'idempotency_key', idempotencyKey(ctx.tenant, event)];
  const key = routedKey(event, ctx.key);
  if (key !== null) fields.push('df-key', key);
  // The reference's place for routing headers in a stream entry: one JSON field.
  if (event.routing?.headers) fields.push('df-headers', JSON.stringify(event.routing.headers));
  for (const [k, v] of Object.entries(eventHeaders(event, ctx.tenant))) fields.push(k, v);
  let size = stream.length;
  for (const f of fields) size += f.length;
  if (size > ctx.maxMessageBytes) {
    throw new TidemarkError('TIDEMARK_ERR_SINK_TOO_LARGE', `event ${event.id} (${event.source.db}.${event.source.table}) makes a ${size}-byte stream entry, over max_message_bytes ${ctx.maxMessageBytes}`, {
      context: { event: event.id, table: `${event.source.db}.${event.source.table}`, bytes: size },
    });
  }
  return { stream, fields, event };
}
