import { canonicalKey, type SinkRecord } from '../../history/index.js';
import { decodeEnvelope } from './envelope.js';

/** Metadata names as the engine writes them (engine/src/event/headers.ts; Redis adds `idempotency_key`). */
export const META = {
  idempotencyKey: 'tidemark-idempotency-key',
  txId: 'tidemark-tx-id',
  txIndex: 'tidemark-tx-index',
  txEnd: 'tidemark-tx-end',
  table: 'tidemark-table',
} as const;

/**
 * The `compact` metadata layout: one `tidemark` header (or field) holding the same facts as JSON,
 * `{"v":1,"event-id":…,"idempotency-key":…,"tx-id":…,"tx-index":n,"tx-end":bool,"op":…,"table":…}`
 * (engine/src/event/headers.ts, `metadata_headers: compact`).
 */
export const COMPACT_META = 'tidemark';
const COMPACT_FIELDS = ['event-id', 'idempotency-key', 'tx-id', 'tx-index', 'tx-end', 'op', 'table'] as const;

/** One message as a sink holds it, before decoding. */
export interface RawRecord {
  /** The envelope: JSON text/bytes, or a value already parsed (an item of an HTTP batch). */
  readonly payload: Buffer | string | { readonly parsed: unknown };
  /** tidemark-* metadata (headers or fields), names in lower case; empty when the sink has none. */
  readonly meta: Readonly<Record<string, string | undefined>>;
  readonly stream: string;
  readonly seq: number;
  readonly position: string;
  readonly sinkTxn: number | null;
  /** When the sink stored it (ms since the epoch), when known. */
  readonly arrivedAt?: number;
}

/**
 * Decodes one message into a SinkRecord: the change from the envelope, the key built from the
 * table's primary key columns (`canonicalKey`, as the workload builds it), `writer`/`version`
 * from the row image (before for deletes), and idempotency/tx metadata from headers or fields.
 * Throws when the payload is not an envelope.
 */
export function decodeRecord(raw: RawRecord, primaryKeys: Readonly<Record<string, readonly string[]>>): SinkRecord {
  const change = decodeEnvelope(parsePayload(raw.payload));
  const meta = expandCompact(raw.meta);
  const [metaDb, metaTable] = splitTable(meta[META.table]);
  const table = change.table ?? metaTable;
  if (!table) throw new Error('neither the envelope nor the tidemark-table metadata names the table');
  const image = change.op === 'd' ? change.before : (change.after ?? change.before);
  return {
    seq: raw.seq,
    stream: raw.stream,
    table,
    db: change.db ?? metaDb,
    // Own keys only: a table named `toString` must not find Object.prototype.toString.
    key: image ? canonicalKey((Object.hasOwn(primaryKeys, table) ? primaryKeys[table] : undefined) ?? [], image) : '{}',
    op: change.op,
    version: integer(image?.version),
    writer: integer(image?.writer),
    before: change.before,
    after: change.after,
    idempotencyKey: meta[META.idempotencyKey] ?? meta.idempotency_key ?? null,
    txId: meta[META.txId] ?? null,
    txIndex: integer(meta[META.txIndex]),
    txEnd: meta[META.txEnd] === undefined ? null : meta[META.txEnd] === '1' || meta[META.txEnd] === 'true',
    position: raw.position,
    sinkTxn: raw.sinkTxn,
    ...(raw.arrivedAt !== undefined ? { arrivedAt: raw.arrivedAt } : {}),
  };
}

/** Spreads a `compact` metadata value into the `full` names; separate headers, where both exist, win. */
function expandCompact(meta: RawRecord['meta']): RawRecord['meta'] {
  const compact = meta[COMPACT_META];
  if (compact === undefined) return meta;
  let parsed: unknown;
  try {
    parsed = JSON.parse(compact);
  } catch (err) {
    throw new Error(`the ${COMPACT_META} metadata is not JSON (${(err as Error).message}): ${compact.slice(0, 60)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`the ${COMPACT_META} metadata is not a JSON object: ${compact.slice(0, 60)}`);
  const out: Record<string, string | undefined> = { ...meta };
  for (const name of COMPACT_FIELDS) {
    const value = (parsed as Record<string, unknown>)[name];
    if (value !== undefined && value !== null) out[`tidemark-${name}`] ??= String(value);
  }
  return out;
}

function parsePayload(payload: RawRecord['payload']): unknown {
  if (typeof payload === 'object' && !Buffer.isBuffer(payload)) return payload.parsed;
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new Error(`payload is not JSON (${(err as Error).message}): ${text.slice(0, 60)}`);
  }
}

function splitTable(qualified: string | undefined): [string | null, string | null] {
  if (!qualified) return [null, null];
  const dot = qualified.indexOf('.');
  return dot < 0 ? [null, qualified] : [qualified.slice(0, dot), qualified.slice(dot + 1)];
}

function integer(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return null;
}

