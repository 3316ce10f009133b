import type { EnvelopeSpec } from '../config/sinks.js';
import { TidemarkError } from '../errors/index.js';
import type { ChangeEvent } from './change-event.js';
import { createEnvelope, createJsonEnvelope } from './envelopes.js';

/** Turns an enveloped event into bytes. JSON today; Avro plugs in here later. */
export interface Encoder {
  readonly contentType: string;
  encode(value: unknown, event: ChangeEvent): Buffer;
}

export const jsonEncoder: Encoder = {
  contentType: 'application/json',
  encode(value, event) {
    try {
      return Buffer.from(JSON.stringify(value));
    } catch (e) {
      throw serializationError(event, e);
    }
  },
};

function encodeJsonText(text: (event: ChangeEvent) => string, event: ChangeEvent): Buffer {
  try {
    return Buffer.from(text(event));
  } catch (e) {
    throw serializationError(event, e);
  }
}

function serializationError(event: ChangeEvent, e: unknown): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_SINK_SERIALIZATION', `event ${event.id} (${event.source.db}.${event.source.table}) cannot be encoded as JSON: ${(e as Error).message}`, {
    cause: e,
    context: { event: event.id, table: `${event.source.db}.${event.source.table}` },
  });
}

const ENCODERS: Record<'json', Encoder> = { json: jsonEncoder };

export interface EventSerializer {
  readonly contentType: string;
  /** Envelope + encoding. Throws a poison `TIDEMARK_ERR_SINK_SERIALIZATION` for an event that cannot be encoded. */
  serialize(event: ChangeEvent): Buffer;
}

export function createSerializer(envelope: EnvelopeSpec, encoding: 'json'): EventSerializer {
  // JSON with the debezium envelope: rendered as text directly, the same bytes, less work per event.
  const text = encoding === 'json' ? createJsonEnvelope(envelope) : null;
  if (text) return { contentType: jsonEncoder.contentType, serialize: (event) => encodeJsonText(text, event) };
  const wrap = createEnvelope(envelope);
  const encoder = ENCODERS[encoding];
  // routing.raw (outbox raw_payload): the payload itself is the message, without the envelope.
  return { contentType: encoder.contentType, serialize: (event) => encoder.encode(event.routing?.raw ? event.after : wrap(event), event) };
}
