import { describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_MS, parseRetryAfter, redactUrl, statusError } from '../../../../engine/src/sinks/http/status.js';
import { headerSafe } from '../../../../engine/src/sinks/http/requests.js';

const fail = (status: number, extra: Partial<Parameters<typeof statusError>[0]> = {}) => statusError({ status, url: 'https://user:pw@api.example.com/hook?token=abc', retryAfter: null, body: '', batchMode: false, ...extra });

describe('HTTP status classification (the reference retry table)', () => {
  it.each([
    [500, 'TIDEMARK_ERR_HTTP_SERVER_ERROR', 'retryable'],
    [503, 'TIDEMARK_ERR_HTTP_SERVER_ERROR', 'retryable'],
    [408, 'TIDEMARK_ERR_HTTP_THROTTLED', 'retryable'],
    [429, 'TIDEMARK_ERR_HTTP_THROTTLED', 'retryable'],
    [401, 'TIDEMARK_ERR_SINK_AUTH', 'non-retryable'],
    [403, 'TIDEMARK_ERR_SINK_AUTH', 'non-retryable'],
    [400, 'TIDEMARK_ERR_HTTP_REJECTED', 'non-retryable'],
    [404, 'TIDEMARK_ERR_HTTP_REJECTED', 'non-retryable'],
    [422, 'TIDEMARK_ERR_HTTP_REJECTED', 'non-retryable'],
    [301, 'TIDEMARK_ERR_HTTP_REJECTED', 'non-retryable'],
    [413, 'TIDEMARK_ERR_SINK_TOO_LARGE', 'poison'],
  ])('%i -> %s (%s)', (status, code, kind) => {
    const e = fail(status);
    expect(e.code).toBe(code);
    expect(e.kind).toBe(kind);
    expect(e.message).toContain(`${status}`);
  });

  it('413 in batch mode is the batch, not one event: non-retryable with a remedy', () => {
    const e = fail(413, { batchMode: true });
    expect(e).toMatchObject({ code: 'TIDEMARK_ERR_HTTP_REJECTED', kind: 'non-retryable' });
    expect(e.message).toContain('batch.max_bytes');
  });

  it('never puts credentials from the url into the error', () => {
    const e = fail(400, { body: 'bad field' });
    expect(e.message).not.toMatch(/pw|token=abc|user/);
    expect(e.message).toContain('bad field');
    expect(redactUrl('http://a:b@h/x?q=1')).toBe('http://h/x?%E2%80%A6');
  });

  it('surfaces Retry-After on 429 and 503 as context.retryAfterMs', () => {
    expect(fail(429, { retryAfter: '3' }).context.retryAfterMs).toBe(3000);
    expect(fail(503, { retryAfter: '1' }).context.retryAfterMs).toBe(1000);
    expect(fail(400, { retryAfter: '3' }).context.retryAfterMs).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds and HTTP dates, caps and clamps', () => {
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 12 ', now)).toBe(12_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('99999', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('headerSafe', () => {
  it('keeps visible ASCII and percent-encodes the rest', () => {
    expect(headerSafe('acme|db.t|tx-1|0')).toBe('acme|db.t|tx-1|0');
    expect(headerSafe('bücher')).toBe('b%C3%BCcher');
  });
});
