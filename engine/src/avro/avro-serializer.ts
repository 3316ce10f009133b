import type { AvroEncodingSpec, EnvelopeSpec } from '../config/sinks.js';
import type { ChangeEvent, Row } from '../event/change-event.js';
import type { EventSerializer, SerializerContext } from '../event/encoding.js';
import { isTidemarkError, TidemarkError } from '../errors/index.js';
import { NOOP_ENCODING_METRICS, type EncodingMetrics } from '../metrics/hooks.js';
import type { EventSchema } from '../schema/event-schema.js';
import { compileTable, type CompiledTable } from './compiled-table.js';
import { envelopeDatum } from './envelope-schema.js';
import { SchemaInference } from './inferred-schema.js';
import { createRegistryClient, type RegistryClient } from './registry-client.js';
import { subjectName } from './subjects.js';
import { HEADER_BYTES, writeHeader } from './wire-format.js';

const SCRATCH_BYTES = 64 * 1024;

/**
 * `encoding: avro`. Registry I/O happens once per batch, in `prepare`: every table version of
 * the batch is compiled (avsc) and its schemas registered under their subjects, in event order,
 * before anything is sent. `serialize` is then synchronous: a cache lookup, the datum, avsc's
 * encoder and the 5-byte header.
 *
 * - A schema already registered is never asked for again, so a registry outage does not stop
 *   batches whose schemas are all known (counted as cache fallback while the registry is down).
 * - A batch needing a new schema while the registry is down fails `prepare` with a retryable
 *   error: the sink's lane retries the whole batch with backoff; nothing of it is sent, so
 *   nothing can carry a wrong id, and backpressure holds the source meanwhile.
 * - A version the registry rejects as incompatible is a non-retryable error naming the subject.
 * - Events carry the schema they were decoded with (the one current at their position), so a
 *   replay after a crash registers/finds exactly that version again (registration is idempotent).
 */
export class AvroSerializer implements EventSerializer {
  readonly contentType = 'application/avro';
  private readonly byIdentity = new WeakMap<EventSchema, CompiledTable>();
  private readonly byFingerprint = new Map<string, CompiledTable>();
  private readonly inference = new SchemaInference();
  private readonly datum: ReturnType<typeof envelopeDatum>;
  private readonly metrics: EncodingMetrics;
  private client: RegistryClient | null;
  private registryDown = false;
  private scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  // Subject names per destination are rebuilt only when the destination changes.
  private lastDestination = '';
  private lastTable: CompiledTable | null = null;
  private lastSubject = '';

  constructor(
    private readonly spec: AvroEncodingSpec,
    private readonly envelope: EnvelopeSpec,
    private readonly ctx: SerializerContext,
    options: { client?: RegistryClient } = {},
  ) {
    this.datum = envelopeDatum(envelope);
    this.metrics = ctx.metrics ?? NOOP_ENCODING_METRICS;
    this.client = options.client ?? null;
  }

  async prepare(events: readonly ChangeEvent[], destination: (e: ChangeEvent) => string | null, options: { keys?: boolean } = {}): Promise<void> {
    const keys = options.keys ?? false;
    const wanted: Array<{ table: CompiledTable; subject: string; schema: string; part: 'key' | 'value' }> = [];
    const planned = new Set<string>();
    let ddl = 0;
    let cached = 0;
    for (const e of events) {
      const to = destination(e);
      if (to === null) continue;
      const table = this.table(e);
      if (table.path === 'ddl') ddl++;
      const want = (part: 'key' | 'value', schema: string, recordName: string): void => {
        const subject = subjectName(this.spec.subject_strategy, to, recordName, part);
        const id = `${part}\u0000${subject}`;
        if (table.ids.has(id) || planned.has(`${id}\u0000${table.eventSchema.fingerprint}`)) return;
        planned.add(`${id}\u0000${table.eventSchema.fingerprint}`);
        wanted.push({ table, subject, schema, part });
      };
      const before = wanted.length;
      want('value', table.valueSchema, table.valueRecordName);
      if (keys && table.key) want('key', table.key.schema, table.key.recordName);
      if (wanted.length === before) cached++;
    }
    this.metrics.encoded('ddl', ddl);
    this.metrics.encoded('inferred', events.length - ddl);
    if (wanted.length === 0) {
      if (this.registryDown) this.metrics.cacheFallback(cached);
      return;
    }
    const client = (this.client ??= await createRegistryClient(this.spec, this.ctx.who));
    for (const w of wanted) {
      let id: number;
      try {
        id = await client.register(w.subject, w.schema);
      } catch (e) {
        const error = isTidemarkError(e) ? e : new TidemarkError('TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE', `${this.ctx.who}: schema registry: ${(e as Error).message}`, { cause: e });
        if (error.kind === 'retryable') {
          if (!this.registryDown) this.ctx.logger?.warn({ subject: w.subject, err: error }, 'schema registry unavailable: the batch waits for it; events with cached schemas keep flowing');
          this.registryDown = true;
          this.metrics.failed('sr_unavailable', events.length);
        } else if (error.code === 'TIDEMARK_ERR_SCHEMA_INCOMPATIBLE') {
          this.metrics.failed('incompatible', events.length);
        }
        throw error;
      }
      if (this.registryDown) this.ctx.logger?.info({ subject: w.subject }, 'schema registry reachable again');
      this.registryDown = false;
      this.metrics.registered();
      w.table.ids.set(`${w.part}\u0000${w.subject}`, id);
      this.ctx.logger?.info({ subject: w.subject, id, table: `${w.table.eventSchema.db}.${w.table.eventSchema.table}`, fingerprint: w.table.eventSchema.fingerprint.slice(0, 12) }, 'avro schema registered');
    }
  }

  serialize(event: ChangeEvent, destination = ''): Buffer {
    const table = this.table(event);
    const id = this.idFor(table, destination, 'value', table.valueRecordName);
    let datum: Record<string, unknown>;
    try {
      datum = this.datum(event, (image) => (image === null ? null : table.rows.encode(image as Row)));
    } catch (e) {
      this.metrics.failed('schema_mismatch', 1);
      throw this.poison(event, table, (e as Error).message, e);
    }
    return this.frame(table.valueType, id, datum, event, table);
  }

  /** An Avro key: the primary key record, or a `string` schema for a templated key; null without a key. */
  serializeKey(event: ChangeEvent, destination: string, text: string | null): Buffer | null {
    const table = this.table(event);
    if (!table.key || text === null) return text === null ? null : Buffer.from(text);
    const id = this.idFor(table, destination, 'key', table.key.recordName);
    const image = (event.op === 'd' ? event.before : (event.after ?? event.before)) ?? {};
    const key = table.key;
    const datum: Record<string, unknown> = {};
    try {
      for (let i = 0; i < key.indexes.length; i++) datum[key.fields[i]!] = table.rows.column(key.indexes[i]!, image[table.eventSchema.columns[key.indexes[i]!]!.name]);
    } catch (e) {
      throw this.poison(event, table, `key: ${(e as Error).message}`, e);
    }
    return this.frame(table.key.type, id, datum, event, table);
  }

  /** POST /schemas/reload: forget compiled schemas and ids; the next batches look them up again. */
  reset(): void {
    this.byFingerprint.clear();
    this.lastTable = null;
    this.lastDestination = '';
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.client = null;
  }

  private table(e: ChangeEvent): CompiledTable {
    const schema = e.schema;
    if (schema !== undefined) {
      const hit = this.byIdentity.get(schema);
      if (hit !== undefined && this.byFingerprint.has(schema.fingerprint)) return hit;
    }
    const resolved = schema ?? this.inference.schemaOf(e);
    let table = this.byFingerprint.get(resolved.fingerprint);
    if (!table) {
      table = compileTable(this.spec, this.envelope, e.source.name, resolved, schema ? 'ddl' : 'inferred');
      this.byFingerprint.set(resolved.fingerprint, table);
    }
    if (schema !== undefined) this.byIdentity.set(schema, table);
    return table;
  }

  private idFor(table: CompiledTable, destination: string, part: 'key' | 'value', recordName: string): number {
    let subject: string;
    if (part === 'value' && table === this.lastTable && destination === this.lastDestination) subject = this.lastSubject;
    else {
      subject = subjectName(this.spec.subject_strategy, destination, recordName, part);
      if (part === 'value') {
        this.lastTable = table;
        this.lastDestination = destination;
        this.lastSubject = subject;
      }
    }
    const id = table.ids.get(`${part}\u0000${subject}`);
    // prepare() runs before serialize() for every batch; reaching this is a bug, never an event's fault.
    if (id === undefined) throw new Error(`avro ${part} schema of ${table.eventSchema.db}.${table.eventSchema.table} for subject ${subject} was not prepared`);
    return id;
  }

  private frame(type: CompiledTable['valueType'], id: number, datum: Record<string, unknown>, event: ChangeEvent, table: CompiledTable): Buffer {
    let end: number;
    try {
      end = type.encode(datum, this.scratch, HEADER_BYTES);
      if (end < 0) {
        // Too small: avsc returns minus the size it needs.
        this.scratch = Buffer.allocUnsafe(Math.max(-end + HEADER_BYTES, this.scratch.length * 2));
        end = type.encode(datum, this.scratch, HEADER_BYTES);
      }
    } catch (e) {
      this.metrics.failed('schema_mismatch', 1);
      throw this.poison(event, table, invalidPath(type, datum) ?? (e as Error).message, e);
    }
    writeHeader(this.scratch, id);
    return Buffer.from(this.scratch.subarray(0, end));
  }

  private poison(event: ChangeEvent, table: CompiledTable, reason: string, cause: unknown): TidemarkError {
    const t = `${event.source.db}.${event.source.table}`;
    return new TidemarkError('TIDEMARK_ERR_SINK_SERIALIZATION', `${this.ctx.who}: event ${event.id} (${t}) does not fit its Avro schema (${table.path === 'ddl' ? 'from the source\'s column types' : 'inferred'}): ${reason}`, {
      cause,
      context: { event: event.id, table: t },
    });
  }
}

/** avsc's own message names no field; its validator can: `after.amount: "abc"`. */
function invalidPath(type: CompiledTable['valueType'], datum: unknown): string | null {
  let found: string | null = null;
  type.isValid(datum, {
    errorHook: (path: string[], value: unknown) => {
      found ??= `${path.join('.')}: ${String(typeof value === 'string' ? JSON.stringify(value) : value).slice(0, 60)} does not fit the field's type`;
    },
  });
  return found;
}

/** Builds the Avro serializer (the registry client is created on first use). */
export function createAvroSerializer(spec: AvroEncodingSpec, envelope: EnvelopeSpec, ctx: SerializerContext, options: { client?: RegistryClient } = {}): AvroSerializer {
  return new AvroSerializer(spec, envelope, ctx, options);
}
