import { createHash } from 'node:crypto';
import type { HttpSinkConfig } from '../../config/index.js';
import type { Batch, ChangeEvent, EventSerializer, Template } from '../../event/index.js';
import { eventHeaders, idempotencyKey, routedKey } from '../../event/index.js';
import { isTidemarkError } from '../../errors/index.js';
import type { PoisonedEvent } from '../sink.js';

export interface HttpRequestPlan {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly events: readonly ChangeEvent[];
  /** Requests with the same lane are sent one after another, in order (per url and key). */
  readonly lane: string;
}

export interface PlanContext {
  readonly tenant: string;
  readonly url: Template;
  readonly serializer: EventSerializer;
  /** The Avro destination (subject strategies): the sink id, since a URL makes a poor subject. */
  readonly sinkId: string;
  /** Static headers plus Authorization and Content-Type. */
  readonly baseHeaders: Record<string, string>;
  readonly batchMode: boolean;
  readonly dlqEnabled: boolean;
}

/**
 * Turns a batch into HTTP requests: one per event, or one JSON array per url in batch mode.
 * Events whose url or body cannot be built are poison; without a DLQ the first one is thrown.
 */
export function planRequests(batch: Batch, ctx: PlanContext): { requests: HttpRequestPlan[]; poisoned: PoisonedEvent[] } {
  const poisoned: PoisonedEvent[] = [];
  const built: Array<{ event: ChangeEvent; url: string; body: Buffer }> = [];
  for (const event of batch.events) {
    try {
      built.push({ event, url: ctx.url.resolve(event), body: ctx.serializer.serialize(event, ctx.sinkId) });
    } catch (e) {
      if (!isTidemarkError(e) || e.kind !== 'poison' || !ctx.dlqEnabled) throw e;
      poisoned.push({ event, error: e });
    }
  }
  const requests = ctx.batchMode ? perUrl(built, ctx) : built.map((b) => perEvent(b, ctx));
  return { requests, poisoned };
}

/**
 * One request per event. A processor's routing headers are added (lower-cased; the sink's own
 * headers, auth and the tidemark metadata win a clash) and its routing key orders the lane.
 * `routing.topic` does not apply: the reference routes HTTP by its url template only.
 */
function perEvent(b: { event: ChangeEvent; url: string; body: Buffer }, ctx: PlanContext): HttpRequestPlan {
  const headers: Record<string, string> = {};
  const routed = b.event.routing?.headers;
  if (routed) for (const [k, v] of Object.entries(routed)) headers[k.toLowerCase()] = headerSafe(v);
  Object.assign(headers, ctx.baseHeaders, { 'idempotency-key': headerSafe(idempotencyKey(ctx.tenant, b.event)) });
  for (const [k, v] of Object.entries(eventHeaders(b.event, ctx.tenant))) headers[k] = headerSafe(v);
  return { url: b.url, headers, body: b.body, events: [b.event], lane: `${b.url}\n${routedKey(b.event, null) ?? ''}` };
}

/** Batch mode: one request per distinct url, events in batch order, as a JSON array. */
function perUrl(built: ReadonlyArray<{ event: ChangeEvent; url: string; body: Buffer }>, ctx: PlanContext): HttpRequestPlan[] {
  const groups = new Map<string, Array<{ event: ChangeEvent; body: Buffer }>>();
  for (const b of built) {
    const g = groups.get(b.url);
    if (g) g.push(b);
    else groups.set(b.url, [b]);
  }
  return [...groups].map(([url, items]) => {
    const parts: Buffer[] = [Buffer.from('[')];
    items.forEach((it, i) => parts.push(...(i === 0 ? [it.body] : [COMMA, it.body])));
    parts.push(Buffer.from(']'));
    const keys = items.map((it) => idempotencyKey(ctx.tenant, it.event));
    const first = items[0]!.event;
    const last = items[items.length - 1]!.event;
    return {
      url,
      headers: {
        ...ctx.baseHeaders,
        // Stable for the same batch content, so a retried request carries the same key.
        'idempotency-key': createHash('sha256').update(keys.join('\n')).digest('hex'),
        'tidemark-event-count': String(items.length),
        'tidemark-first-event-id': first.id,
        'tidemark-last-event-id': last.id,
      },
      body: Buffer.concat(parts),
      events: items.map((it) => it.event),
      lane: url,
    };
  });
}

const COMMA = Buffer.from(',');

/** Header values must be visible ASCII; anything else (a table named in UTF-8) is percent-encoded. */
export function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

/** Static headers, auth and content type; header names lower-cased so later ones override. */
export function baseHeaders(config: HttpSinkConfig, contentType: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': contentType };
  for (const [k, v] of Object.entries(config.headers)) headers[k.toLowerCase()] = v;
  if (config.auth && 'bearer' in config.auth) headers.authorization = `Bearer ${config.auth.bearer}`;
  if (config.auth && 'basic' in config.auth) headers.authorization = `Basic ${Buffer.from(`${config.auth.basic.username}:${config.auth.basic.password}`).toString('base64')}`;
  return headers;
}
