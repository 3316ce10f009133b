/**
 * Secrets never leave the process: every spec printed, logged or returned by the API goes
 * through `redact` first.
 */
const SECRET_KEY = /pass(word)?|secret|token|bearer|credential|api[_-]?key|authorization|private[_-]?key|sasl\.|ssl\.key/i;
const MASK = '***';

/** `scheme://user:pass@host` → `scheme://user:***@host`; `password=x` → `password=***`. */
export function redactString(value: string): string {
  return value
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)(@)/gi, `$1${MASK}$3`)
    .replace(/(\b(?:password|passwd|pwd|token|secret)\s*=\s*)('[^']*'|"[^"]*"|[^\s;&]+)/gi, `$1${MASK}`);
}

export function redact<T>(value: T): T {
  return walk(value, false) as T;
}

function walk(node: unknown, secret: boolean): unknown {
  if (typeof node === 'string') return secret ? MASK : redactString(node);
  if (Array.isArray(node)) return node.map((n) => walk(n, secret));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = walk(v, secret || SECRET_KEY.test(k));
    return out;
  }
  return node;
}
