import type { ChangeEvent, RouteOverride, Row } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { deriveEvent } from '../derive.js';

/**
 * The batch as the script sees it, as JSON text: plain data only (the reference's event fields:
 * id, op, source, before, after, tx, ts_ms, primary_key, tags, routing; outbox when tagged).
 * Text, not objects, crosses into the isolate: nothing of the host comes along. Compact: each
 * event is an array, and the source blocks and primary keys a batch repeats are sent once
 * (the bootstrap rebuilds the event objects; see bootstrap.ts for the layout).
 */
export function encodeBatch(events: readonly ChangeEvent[]): string {
  const sources: object[] = [];
  const sourceIndex = new Map<string, number>();
  const keys: Array<readonly string[]> = [];
  const keyIndex = new Map<readonly string[], number>();
  const rows: unknown[] = new Array(events.length);
  // Consecutive events mostly share a table: compare with the previous one before any lookup.
  let prev: ChangeEvent['source'] | null = null;
  let s = 0;
  let prevKey: readonly string[] | null = null;
  let k = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const src = e.source;
    if (prev === null || (src !== prev && !sameTable(src, prev))) {
      const schema = schemaOf(src);
      const id = `${src.connector}\u0000${src.name}\u0000${src.db}\u0000${src.table}\u0000${schema ?? ''}`;
      let found = sourceIndex.get(id);
      if (found === undefined) {
        sourceIndex.set(id, (found = sources.length));
        const { connector, name, db, table } = src;
        sources.push(schema !== undefined ? { connector, name, db, schema, table } : { connector, name, db, table });
      }
      s = found;
    }
    prev = src;
    if (e.primaryKey !== prevKey) {
      let found = keyIndex.get(e.primaryKey);
      if (found === undefined) {
        keyIndex.set(e.primaryKey, (found = keys.length));
        keys.push(e.primaryKey);
      }
      k = found;
      prevKey = e.primaryKey;
    }
    const r = e.routing;
    // Arrays, then one stringify: several times cheaper than concatenating per-event JSON.
    rows[i] = [e.id, e.op, s, k, e.before, e.after, e.tx.id, e.tx.index, e.tx.end, e.ts, e.tags ?? 0, r ? { topic: r.topic, key: r.key, headers: r.headers } : 0, e.outbox ?? 0];
  }
  return JSON.stringify({ s: sources, k: keys, e: rows });
}

function schemaOf(src: ChangeEvent['source']): string | undefined {
  const schema = (src.position as { schema?: unknown }).schema;
  return typeof schema === 'string' ? schema : undefined;
}

function sameTable(a: ChangeEvent['source'], b: ChangeEvent['source']): boolean {
  return a.table === b.table && a.db === b.db && a.name === b.name && a.connector === b.connector && schemaOf(a) === schemaOf(b);
}

export type LogLine = readonly [level: 'debug' | 'info' | 'warn' | 'error', text: string];

type ResultRow = [origin: number, before: unknown, after: unknown, tags: unknown, routing: unknown];

/**
 * The script's result back into events, checked again on this side: each row names the input
 * event it derives from, and carries only the fields a script may change (before, after, tags,
 * routing). Position, transaction, op and id always come from the input event.
 */
export function decodeResult(processorId: string, input: readonly ChangeEvent[], text: string): { events: ChangeEvent[]; logs: LogLine[] } {
  const parsed = JSON.parse(text) as { out: ResultRow[]; logs: LogLine[] };
  const events = parsed.out.map(([o, before, after, tags, routing], i) => {
    const origin = input[o];
    if (!Number.isInteger(o) || !origin) throw scriptError(processorId, `result item ${i} names no input event`);
    const where = `event ${origin.id}`;
    return deriveEvent(origin, {
      before: image(processorId, where, 'before', before),
      after: image(processorId, where, 'after', after),
      tags: tagList(processorId, where, tags),
      routing: routeOf(processorId, where, routing, origin.routing),
    });
  });
  return { events, logs: parsed.logs };
}

function image(processorId: string, where: string, field: string, v: unknown): Row | null {
  if (v === null) return null;
  if (typeof v === 'object' && !Array.isArray(v)) return v as Row;
  throw scriptError(processorId, `${where}: ${field} must be an object or null, got ${Array.isArray(v) ? 'an array' : typeof v}`);
}

function tagList(processorId: string, where: string, v: unknown): readonly string[] | null {
  if (v === null) return null;
  if (Array.isArray(v) && v.every((t) => typeof t === 'string')) return v.length === 0 ? null : (v as string[]);
  throw scriptError(processorId, `${where}: tags must be a list of strings`);
}

function routeOf(processorId: string, where: string, v: unknown, previous: RouteOverride | undefined): RouteOverride | null {
  // `raw` (outbox raw_payload) is about the payload, not the destination: route() keeps it.
  const raw = previous?.raw ? { raw: true } : {};
  if (v === null) return previous?.raw ? raw : null;
  const r = v as { topic?: unknown; key?: unknown; headers?: unknown };
  if (typeof v !== 'object' || (r.topic !== undefined && typeof r.topic !== 'string') || (r.key !== undefined && typeof r.key !== 'string')) {
    throw scriptError(processorId, `${where}: routing must be {topic?: string, key?: string, headers?: object}`);
  }
  const headers = r.headers as Record<string, unknown> | undefined;
  if (headers !== undefined && (headers === null || typeof headers !== 'object' || Object.values(headers).some((h) => typeof h !== 'string'))) {
    throw scriptError(processorId, `${where}: routing.headers must map names to strings`);
  }
  return { ...(r.topic !== undefined ? { topic: r.topic } : {}), ...(r.key !== undefined ? { key: r.key } : {}), ...(headers ? { headers: headers as Record<string, string> } : {}), ...raw };
}

function scriptError(processorId: string, message: string): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_PROCESSOR_SCRIPT', `javascript processor ${processorId}: ${message}`, { context: { processor: processorId } });
}
