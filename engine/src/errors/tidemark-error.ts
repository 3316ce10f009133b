import { ERROR_CODES, type ErrorCode, type ErrorKind, type Remedy } from './registry.js';

/** Structured context: pipeline, source/sink id, batch id, file, YAML path ... never secrets. */
export type ErrorContext = Readonly<Record<string, string | number | boolean | null | undefined>>;

export class TidemarkError extends Error {
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly remedy: Remedy;
  readonly context: ErrorContext;

  constructor(code: ErrorCode, message: string, options: { context?: ErrorContext; cause?: unknown; kind?: ErrorKind } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TidemarkError';
    this.code = code;
    // A caller may re-classify at its boundary (e.g. a source treats a timeout as retryable).
    this.kind = options.kind ?? ERROR_CODES[code].kind;
    this.remedy = ERROR_CODES[code].remedy;
    this.context = options.context ?? {};
  }

  /** The same error with more context attached where it is caught. */
  withContext(extra: ErrorContext): TidemarkError {
    const e = new TidemarkError(this.code, this.message, { context: { ...this.context, ...extra }, cause: this.cause, kind: this.kind });
    e.stack = this.stack;
    return e;
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, kind: this.kind, remedy: this.remedy, message: this.message, context: this.context };
  }
}

export function isTidemarkError(e: unknown): e is TidemarkError {
  return e instanceof TidemarkError;
}

/** Plain programming errors are bugs: never retried (kafkajs does the same). */
export function isBug(e: unknown): boolean {
  return e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError;
}

/** Classification of any thrown value, defaulting unknown errors to retryable unless they are bugs. */
export function errorKind(e: unknown): ErrorKind {
  if (isTidemarkError(e)) return e.kind;
  return isBug(e) ? 'non-retryable' : 'retryable';
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
