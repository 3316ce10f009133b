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
          const scrubbed = args.map((a) => (typeof a === 'string' ? a : redact(a))) as typeof args;
          method.apply(this, scrubbed);
        },
      },
      serializers: { err: (e: unknown) => redact(serializeError(e)) },
    },
    options.destination ?? destination({ fd: 2, sync: false }),
  );
}

/** A logger that drops everything, for tests and benchmarks. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
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
