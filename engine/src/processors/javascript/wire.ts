import type { ChangeEvent, RouteOverride, Row } from '../../event/index.js';
import { TidemarkError } from '../../errors/index.js';
import { deriveEvent } from '../derive.js';

/**
 * The batch as the script sees it, as JSON text: plain data only (the reference's event fields:
 * id, op, source, before, after, tx, ts_ms, primary_key, tags, routing; outbox when tagged).
 * Text, not objects, crosses into the isolate: nothing of the host comes along.
 */
export function encodeBatch(events: readonly ChangeEvent[]): string {
  return JSON.stringify(
    events.map((e) => {
      const { connector, name, db, table, position } = e.source;
      const schema = (position as { schema?: unknown }).schema;
      return {
        id: e.id,
        op: e.op,
        source: typeof schema === 'string' ? { connector, name, db, schema, table } : { connector, name, db, table },
        before: e.before,
        after: e.after,
        tx: e.tx,
        ts_ms: e.ts,
        primary_key: e.primaryKey,
        tags: e.tags ?? [],
        routing: e.routing ? { topic: e.routing.topic, key: e.routing.key, headers: e.routing.headers } : null,
        outbox: e.outbox,
      };
    }),
  );
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
