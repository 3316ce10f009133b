import type { RowImage } from '../../history/index.js';

export type DecodedOp = 'c' | 'u' | 'd' | 'r' | 't';

/** What an envelope says about one change, whichever envelope it came in. */
export interface DecodedChange {
  readonly op: DecodedOp;
  readonly before: RowImage | null;
  readonly after: RowImage | null;
  readonly db: string | null;
  readonly table: string | null;
}

const OPS = new Set<string>(['c', 'u', 'd', 'r', 't']);
const CLOUDEVENT_OPS: Readonly<Record<string, DecodedOp>> = { created: 'c', updated: 'u', deleted: 'd', snapshot: 'r', truncated: 't' };

/**
 * Decodes the engine's three envelopes (engine/src/event/envelopes.ts), told apart by shape:
 *   native       {before, after, source: {db, table, ...}, op, ts_ms}
 *   debezium     {schema, payload: {before, after, source: {db, table, ...}, op, ts_ms}}
 *   cloudevents  {specversion, type: "<prefix>.<created|updated|...>", subject: "db.table",
 *                 data: {before, after, op}}
 * Throws, naming what is missing, on anything else.
 */
export function decodeEnvelope(value: unknown): DecodedChange {
  if (!isObject(value)) throw new Error(`payload is ${describe(value)}, not an envelope object`);
  if ('specversion' in value) return cloudEvent(value);
  if (isObject(value.payload) && 'op' in value.payload) return change(value.payload, 'debezium payload');
  if ('op' in value) return change(value, 'native envelope');
  throw new Error(`payload has none of the known envelope shapes (fields: ${Object.keys(value).join(', ') || 'none'})`);
}

function change(body: Record<string, unknown>, what: string): DecodedChange {
  const source = isObject(body.source) ? body.source : {};
  return {
    op: op(body.op, what),
    before: image(body.before, `${what} before`),
    after: image(body.after, `${what} after`),
    db: typeof source.db === 'string' ? source.db : null,
    table: typeof source.table === 'string' ? source.table : null,
  };
}

function cloudEvent(value: Record<string, unknown>): DecodedChange {
  if (!isObject(value.data)) throw new Error(`cloudevent ${String(value.id)} has no data object`);
  const subject = typeof value.subject === 'string' ? value.subject : '';
  const dot = subject.indexOf('.');
  const typeSuffix = typeof value.type === 'string' ? value.type.slice(value.type.lastIndexOf('.') + 1) : '';
  const dataOp = value.data.op ?? CLOUDEVENT_OPS[typeSuffix];
  return {
    op: op(dataOp, 'cloudevent data'),
    before: image(value.data.before, 'cloudevent data.before'),
    after: image(value.data.after, 'cloudevent data.after'),
    db: dot > 0 ? subject.slice(0, dot) : null,
    table: dot > 0 ? subject.slice(dot + 1) : subject || null,
  };
}

function op(value: unknown, what: string): DecodedOp {
  if (typeof value === 'string' && OPS.has(value)) return value as DecodedOp;
  throw new Error(`${what} has op ${describe(value)}; expected one of c, u, d, r, t`);
}

function image(value: unknown, what: string): RowImage | null {
  if (value === null || value === undefined) return null;
  if (isObject(value)) return value;
  throw new Error(`${what} is ${describe(value)}, not a row object or null`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
}
