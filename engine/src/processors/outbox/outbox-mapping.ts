import type { OutboxProcessorSpec } from '../../config/processors.js';
import type { RouteOverride, Row } from '../../event/index.js';

/** Why an outbox row produced no message (the reference's `deltaforge_outbox_dropped_total` reasons). */
export type OutboxDropReason = 'non_insert' | 'non_object' | 'null_payload' | 'strict_missing_fields';

export type OutboxMapping =
  | { readonly kind: 'message'; readonly after: Row; readonly routing: RouteOverride }
  | { readonly kind: 'drop'; readonly reason: OutboxDropReason; readonly missing?: readonly string[] };

export type OutboxOptions = Pick<OutboxProcessorSpec, 'topic' | 'default_topic' | 'key' | 'raw_payload' | 'strict' | 'columns' | 'additional_headers'>;

/**
 * One outbox row (`op`, the raw row as the source decoded it) to a message, as the reference's
 * OutboxProcessor does it:
 * 1. topic: the `topic` template over the raw row's columns, else the row's topic column, else
 *    `default_topic`, else none (the sink's own template then applies);
 * 2. key: the `key` template, else the aggregate id;
 * 3. headers: df-event-id, df-aggregate-type, df-aggregate-id, df-event-type and
 *    `additional_headers`, stringified; null, missing, objects and arrays are skipped;
 * 4. the payload column becomes the message (`after`; JSON text is parsed);
 * 5. non-inserts, null or non-object rows are dropped with a reason; with `strict`, a missing
 *    topic, payload, aggregate_type, aggregate_id or event_type drops with the fields named
 *    (the processor turns that into a batch failure).
 */
export function mapOutboxRow(op: string, row: unknown, o: OutboxOptions): OutboxMapping {
  // A snapshot read of an outbox table is old messages, not new ones: like an update, not sent.
  if (op !== 'c') return { kind: 'drop', reason: 'non_insert' };
  if (row === null || row === undefined) return { kind: 'drop', reason: 'null_payload' };
  if (typeof row !== 'object' || Array.isArray(row)) return { kind: 'drop', reason: 'non_object' };
  const raw = row as Row;
  const c = o.columns;
  const topic = resolveTemplate(o.topic, raw) ?? scalarText(raw[c.topic]) ?? o.default_topic ?? null;
  const payload = parseJsonText(raw[c.payload]);
  const missing = [
    ...(topic === null ? ['topic'] : []),
    ...(payload === undefined || payload === null ? [`payload (${c.payload})`] : []),
    ...[c.aggregate_type, c.aggregate_id, c.event_type].filter((col) => scalarText(raw[col]) === null),
  ];
  if (o.strict && missing.length > 0) return { kind: 'drop', reason: 'strict_missing_fields', missing };
  const after = payload === undefined ? withoutColumns(raw, c) : payload;
  if (after === null) return { kind: 'drop', reason: 'null_payload' };
  if (typeof after !== 'object' || Array.isArray(after)) return { kind: 'drop', reason: 'non_object' };
  const headers: Record<string, string> = {};
  const put = (name: string, value: unknown): void => {
    const text = scalarText(value);
    if (text !== null) headers[name] = text;
  };
  put('df-event-id', raw[c.event_id]);
  put('df-aggregate-type', raw[c.aggregate_type]);
  put('df-aggregate-id', raw[c.aggregate_id]);
  put('df-event-type', raw[c.event_type]);
  for (const [name, column] of Object.entries(o.additional_headers)) put(name, raw[column]);
  const key = resolveTemplate(o.key, raw) ?? scalarText(raw[c.aggregate_id]);
  const routing: { -readonly [K in keyof RouteOverride]: RouteOverride[K] } = { headers };
  if (topic !== null) routing.topic = topic;
  if (key !== null) routing.key = key;
  if (o.raw_payload) routing.raw = true;
  return { kind: 'message', after: after as Row, routing };
}

/** `${column}` placeholders over the raw row; null when any is missing, null or not a scalar. */
export function resolveTemplate(template: string | undefined, row: Row): string | null {
  if (template === undefined) return null;
  let failed = false;
  const out = template.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
    const text = scalarText(row[name.trim()]);
    if (text === null) failed = true;
    return text ?? '';
  });
  return failed || out === '' ? null : out;
}

/** Strings as they are, numbers and booleans as text; null, missing, objects and arrays: null. */
function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return null;
}

/** A JSON document stored as text (a TEXT column, a JSON column some servers return as text). */
function parseJsonText(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!t.startsWith('{') && !t.startsWith('[')) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v;
  }
}

/** No payload column: the message is the row without the outbox bookkeeping columns. */
function withoutColumns(raw: Row, c: OutboxOptions['columns']): Row {
  const skip = new Set([c.aggregate_type, c.aggregate_id, c.event_type, c.topic, c.event_id]);
  const out: Row = {};
  for (const [k, v] of Object.entries(raw)) if (!skip.has(k)) out[k] = v;
  return out;
}
