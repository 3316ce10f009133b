import { TidemarkError } from '../errors/index.js';
import type { ChangeEvent } from './change-event.js';
import { primaryKeyString } from './idempotency.js';

export interface RoutingContext {
  readonly pipeline: string;
  readonly tenant: string;
}

/** A compiled topic/stream/subject/key/url template. */
export interface Template {
  readonly source: string;
  /** True when the template has no variables (resolved once, no per-event work). */
  readonly isStatic: boolean;
  /** Resolves for one event; throws a poison `TIDEMARK_ERR_SINK_ROUTING` when it comes out empty or invalid. */
  resolve(event: ChangeEvent): string;
}

type Part = string | ((e: ChangeEvent) => unknown);

/**
 * Variables: `${source.db}`, `${source.table}`, `${source.schema}`, `${source.connector}`,
 * `${op}`, `${tenant}` (also `${tenant_id}`), `${pipeline}`, `${after.<field>}`,
 * `${before.<field>}`, and a bare `${<field>}` for a field of the row image.
 * Unlike the reference, a missing field is a routing failure for that event (it goes to the
 * DLQ) rather than an empty string that would silently merge streams.
 */
export function compileTemplate(template: string, ctx: RoutingContext, options: { validate?: (value: string) => string | null; what?: string } = {}): Template {
  const parts: Part[] = [];
  const re = /\$\{([^}]+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m; m = re.exec(template)) {
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(variable(m[1]!.trim(), ctx));
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  const what = options.what ?? 'template';
  const validate = options.validate ?? (() => null);

  if (parts.every((p) => typeof p === 'string')) {
    const value = parts.join('');
    const problem = value === '' ? 'is empty' : validate(value);
    return {
      source: template,
      isStatic: true,
      resolve: (event) => {
        if (problem) throw routingError(what, template, value, problem, event);
        return value;
      },
    };
  }
  return {
    source: template,
    isStatic: false,
    resolve(event) {
      let out = '';
      for (const p of parts) {
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        const v = p(event);
        if (v === undefined || v === null || v === '') throw routingError(what, template, out, `variable resolved to ${v === '' ? 'an empty string' : 'nothing'}`, event);
        out += typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
      const problem = out === '' ? 'is empty' : validate(out);
      if (problem) throw routingError(what, template, out, problem, event);
      return out;
    },
  };
}

/** The default message key: the primary key as JSON, so per-key order maps onto one partition. */
export function defaultKey(event: ChangeEvent): string | null {
  return primaryKeyString(event);
}

/**
 * A sink's destination template with the processor override on top (the reference's order:
 * `ev.route()` → template → static value). An override is checked like a resolved template: an
 * empty or illegal one is a poison `TIDEMARK_ERR_SINK_ROUTING` for that event.
 */
export function withRouteOverride(template: Template, options: RouteOptions = {}): Template {
  return { source: template.source, isStatic: template.isStatic, resolve: (event) => routedDestination(event, template, options) };
}

export interface RouteOptions {
  readonly validate?: (value: string) => string | null;
  readonly what?: string;
}

/** The topic/stream/subject of one event: `routing.topic` when a processor set it, else the template's value. */
export function routedDestination(event: ChangeEvent, template: Template, options: RouteOptions = {}): string {
  const topic = event.routing?.topic;
  if (topic === undefined) return template.resolve(event);
  const problem = topic === '' ? 'is empty' : (options.validate?.(topic) ?? null);
  if (problem) throw routingError(`${options.what ?? 'template'} override (routing.topic)`, topic, topic, problem, event);
  return topic;
}

/** The message key: the processor's `routing.key`, else the sink's key template, else the primary key. */
export function routedKey(event: ChangeEvent, template: Template | null): string | null {
  const key = event.routing?.key;
  if (key !== undefined) return key;
  return template ? template.resolve(event) : primaryKeyString(event);
}

function variable(name: string, ctx: RoutingContext): (e: ChangeEvent) => unknown {
  switch (name) {
    case 'source.db':
      return (e) => e.source.db;
    case 'source.table':
      return (e) => e.source.table;
    case 'source.schema':
      return (e) => (e.source.position as { schema?: unknown }).schema ?? e.source.db;
    case 'source.connector':
      return (e) => e.source.connector;
    case 'source.name':
      return (e) => e.source.name;
    case 'op':
      return (e) => e.op;
    case 'tenant':
    case 'tenant_id':
      return () => ctx.tenant;
    case 'pipeline':
      return () => ctx.pipeline;
  }
  if (name.startsWith('after.')) {
    const field = name.slice(6);
    return (e) => e.after?.[field];
  }
  if (name.startsWith('before.')) {
    const field = name.slice(7);
    return (e) => e.before?.[field];
  }
  return (e) => (e.after ?? e.before)?.[name];
}

function routingError(what: string, template: string, partial: string, problem: string, event: ChangeEvent): TidemarkError {
  return new TidemarkError('TIDEMARK_ERR_SINK_ROUTING', `${what} "${template}" ${problem} for event ${event.id} (${event.source.db}.${event.source.table}, got "${partial}")`, {
    context: { event: event.id, template, table: `${event.source.db}.${event.source.table}` },
  });
}
