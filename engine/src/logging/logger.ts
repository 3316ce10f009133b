import { pino, destination, stdTimeFunctions, type Logger as PinoLogger, type DestinationStream, type Level } from 'pino';
import { redact } from '../config/redact.js';

export type Logger = PinoLogger;
export type LogLevel = Level;
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/**
 * JSON, one line per event. Secrets are scrubbed from every logged object (DSNs, tokens),
 * because a spec or an error context can reach a log line from many places.
 */
export function createLogger(options: { level?: LogLevel; destination?: DestinationStream; name?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? (process.env.TIDEMARK_LOG_LEVEL as LogLevel | undefined) ?? 'info',
      base: { name: options.name ?? 'tidemark' },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          // Errors are serialised before redaction: redact() copies only enumerable fields, which
          // would drop an Error's message and leave the err serializer with a plain object.
          const scrubbed = args.map((a) => (typeof a === 'string' ? a : redact(serializeErrors(a)))) as typeof args;
          // A field the child logger already carries (pipeline, tenant, source, sink) would be
          // written twice; duplicate JSON keys break log shippers such as Elasticsearch.
          const first = scrubbed[0];
          if (first !== null && typeof first === 'object') scrubbed[0] = withoutBound(first as Record<string, unknown>, this.bindings()) as never;
          method.apply(this, scrubbed);
        },
      },
      serializers: { err: (e: unknown) => redact(e instanceof Error ? serializeError(e) : e) },
    },
    options.destination ?? destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

function withoutBound(fields: Record<string, unknown>, bound: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const key of Object.keys(fields)) {
    if (!(key in bound) || bound[key] !== fields[key]) continue;
    out ??= { ...fields };
    delete out[key];
  }
  return out ?? fields;
}

function serializeErrors(arg: unknown): unknown {
  if (arg instanceof Error) return { err: serializeError(arg) };
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return arg;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(arg)) out[k] = v instanceof Error ? serializeError(v) : v;
  return out;
}

function serializeError(e: unknown): Record<string, unknown> {
  if (e instanceof Error) {
    const out: Record<string, unknown> = { type: e.name, message: e.message };
    const tagged = e as Error & { code?: unknown; kind?: unknown; context?: unknown };
    if (tagged.code !== undefined) out.code = tagged.code;
    if (tagged.kind !== undefined) out.kind = tagged.kind;
    if (tagged.context !== undefined) out.context = tagged.context;
    if (e.cause !== undefined) out.cause = e.cause instanceof Error ? e.cause.message : String(e.cause);
    return out;
  }
  return { message: String(e) };
}
