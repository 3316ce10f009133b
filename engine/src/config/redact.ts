/**
 * Secrets never leave the process: every spec printed, logged or returned by the API goes
 * through `redact` first.
 */
const SECRET_KEY = /pass(word)?|secret|token|bearer|credential|api[_-]?key|authorization|private[_-]?key|sasl\.|ssl\.key/i;
const MASK = '***';

/**
 * `scheme://user:pass@host` → `scheme://user:***@host`. The scheme is matched only from the start
 * of its run of scheme characters (the lookbehind): unanchored, a long alphanumeric value (a 24 kB
 * row image in a DLQ listing) was rescanned from every one of its positions, quadratic time that
 * blocked the API for minutes.
 */
const URL_USERINFO = /(?<![a-z0-9+.-])([a-z0-9+.-]+:\/\/[^:/@\s]*:)([^@\s]*)(@)/gi;

/** `scheme://user:pass@host` → `scheme://user:***@host`; `password=x` → `password=***`. */
export function redactString(value: string): string {
  // No `@`, no credentials in a URL: skips the scan for most values (row data included).
  return (value.includes('@') ? value.replace(URL_USERINFO, `$1${MASK}$3`) : value)
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
