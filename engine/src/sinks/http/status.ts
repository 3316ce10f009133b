import { TidemarkError } from '../../errors/index.js';

/** Longest Retry-After we honour; a receiver asking for more is capped so the pipeline keeps probing. */
export const MAX_RETRY_AFTER_MS = 300_000;

export interface HttpFailure {
  readonly status: number;
  readonly url: string;
  readonly retryAfter: string | null;
  /** First few hundred characters of the response body, for the operator. */
  readonly body: string;
  readonly batchMode: boolean;
}

/**
 * The reference's retry table as data: which statuses retry, and with which code. Anything not
 * listed: 2xx succeed, other 4xx (and unfollowed 3xx) are permanent.
 */
const STATUS_RULES: ReadonlyArray<{ readonly match: (s: number) => boolean; readonly code: 'TIDEMARK_ERR_HTTP_THROTTLED' | 'TIDEMARK_ERR_HTTP_SERVER_ERROR' | 'TIDEMARK_ERR_SINK_AUTH' | 'TIDEMARK_ERR_HTTP_REJECTED'; readonly remedy: string }> = [
  { match: (s) => s === 408 || s === 429, code: 'TIDEMARK_ERR_HTTP_THROTTLED', remedy: 'retrying after Retry-After / backoff' },
  { match: (s) => s >= 500, code: 'TIDEMARK_ERR_HTTP_SERVER_ERROR', remedy: 'retrying with backoff' },
  { match: (s) => s === 401 || s === 403, code: 'TIDEMARK_ERR_SINK_AUTH', remedy: 'fix auth or headers in the sink config' },
  { match: () => true, code: 'TIDEMARK_ERR_HTTP_REJECTED', remedy: 'retrying cannot fix this; fix the url, method, headers or the receiver' },
];

/** The classified error for a non-2xx answer. 413 in per-event mode is the event's fault (poison). */
export function statusError(f: HttpFailure, now: number = Date.now()): TidemarkError {
  const context = { url: redactUrl(f.url), status: f.status };
  const said = f.body ? `: ${f.body}` : '';
  if (f.status === 413 && !f.batchMode) {
    return new TidemarkError('TIDEMARK_ERR_SINK_TOO_LARGE', `HTTP 413 Payload Too Large from ${context.url} for one event${said}`, { context });
  }
  const rule = STATUS_RULES.find((r) => r.match(f.status))!;
  const hint = f.status === 413 ? 'lower batch.max_bytes or turn batch_mode off' : rule.remedy;
  const retryAfterMs = rule.code === 'TIDEMARK_ERR_HTTP_THROTTLED' || rule.code === 'TIDEMARK_ERR_HTTP_SERVER_ERROR' ? parseRetryAfter(f.retryAfter, now) : null;
  return new TidemarkError(rule.code, `HTTP ${f.status} from ${context.url} (${hint})${said}`, {
    context: retryAfterMs === null ? context : { ...context, retryAfterMs },
  });
}

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  // An HTTP-date names a weekday and month; Date.parse alone would read "-5" as a year.
  const at = /[a-z]/i.test(v) ? Date.parse(v) : Number.NaN;
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** Drops userinfo and the query string, which may carry credentials. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    if (u.search) u.search = '?…';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}
