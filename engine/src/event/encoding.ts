import { createAvroSerializer } from '../avro/avro-serializer.js';
import type { EncodingSpec, EnvelopeSpec } from '../config/sinks.js';
import { TidemarkError } from '../errors/index.js';
import type { Logger } from '../logging/logger.js';
import type { EncodingMetrics } from '../metrics/hooks.js';
import type { ChangeEvent } from './change-event.js';
import { createEnvelope, createJsonEnvelope } from './envelopes.js';

/** Turns an enveloped event into bytes (JSON; Avro has its own serializer, see avro/). */
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


/** What an encoding may need from the sink using it. */
export interface SerializerContext {
  /** `<sink type> sink <id>`, for error messages. */
  readonly who: string;
  readonly logger?: Logger;
  readonly metrics?: EncodingMetrics;
}

/**
 * Envelope + encoding, in two steps. `prepare` (async, once per batch, before any `serialize`)
 * does whatever needs I/O, so that `serialize` stays synchronous and cheap per event: JSON needs
 * nothing; Avro registers the batch's new schemas. Sinks call it as
 * `await serializer.prepare?.(events, destinationOf)` before building messages.
 */
export interface EventSerializer {
  readonly contentType: string;
  /**
   * Resolves everything `serialize` will need for these events; `destination` returns an
   * event's topic / stream / subject (null: the event will not be sent). Throws a retryable
   * error when that must wait (schema registry down), a non-retryable one when it cannot work.
   */
  prepare?(events: readonly ChangeEvent[], destination: (e: ChangeEvent) => string | null, options?: { keys?: boolean }): Promise<void>;
  /** Envelope + encoding. Throws a poison `TIDEMARK_ERR_SINK_SERIALIZATION` for an event that cannot be encoded. */
  serialize(event: ChangeEvent, destination?: string): Buffer;
  /** Encoded message key (Avro: the primary key record); absent: the key text as UTF-8. */
  serializeKey?(event: ChangeEvent, destination: string, text: string | null): Buffer | null;
  /** Forget cached schemas (POST /pipelines/{name}/schemas/reload). */
  reset?(): void;
  close?(): Promise<void>;
}

export function createSerializer(envelope: EnvelopeSpec, encoding: EncodingSpec, ctx: SerializerContext = { who: 'sink' }): EventSerializer {
  if (encoding !== 'json') return createAvroSerializer(encoding, envelope, ctx);
  // The debezium envelope is rendered as text directly: the same bytes, less work per event.
  const text = createJsonEnvelope(envelope);
  const wrap = createEnvelope(envelope);
  return {
    contentType: jsonEncoder.contentType,
    // routing.raw (outbox raw_payload): the payload itself is the message, without the envelope.
    serialize: (event) => (event.routing?.raw ? jsonEncoder.encode(event.after, event) : text ? encodeJsonText(text, event) : jsonEncoder.encode(wrap(event), event)),
  };
}

/** `json` or `avro`, for summaries and logs. */
export function encodingName(encoding: EncodingSpec): 'json' | 'avro' {
  return encoding === 'json' ? 'json' : 'avro';
}
