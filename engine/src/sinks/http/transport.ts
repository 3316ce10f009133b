import { Agent, request } from 'undici';
import { TidemarkError } from '../../errors/index.js';
import { redactUrl } from './status.js';

export interface HttpAnswer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: string;
}

const KEEP_BODY_CHARS = 300;

/**
 * One keep-alive connection pool per sink (undici, the library behind Node's fetch, used
 * directly for its connect timeout and lower overhead). Errors below HTTP (refused, reset,
 * timed out) come back as retryable TIDEMARK_ERR_SINK_UNAVAILABLE.
 */
export class HttpTransport {
  private readonly agent: Agent;

  constructor(options: { connectTimeoutMs: number; connections: number }) {
    this.agent = new Agent({ connect: { timeout: options.connectTimeoutMs }, connections: options.connections, keepAliveTimeout: 30_000, pipelining: 1 });
  }

  async send(url: string, method: string, headers: Record<string, string>, body: Buffer, signal: AbortSignal): Promise<HttpAnswer> {
    try {
      const res = await request(url, { method: method as 'POST', headers, body, signal, dispatcher: this.agent });
      const retryAfter = res.headers['retry-after'];
      if (res.statusCode >= 200 && res.statusCode < 300) {
        await res.body.dump();
        return { status: res.statusCode, retryAfter: null, body: '' };
      }
      const text = (await res.body.text().catch(() => '')).slice(0, KEEP_BODY_CHARS);
      return { status: res.statusCode, retryAfter: Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null), body: text };
    } catch (e) {
      throw transportError(e, url, signal);
    }
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }
}

/** undici errors that are about the request itself, not the network: retrying cannot help. */
const PERMANENT_CODES = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'ERR_INVALID_URL', 'UND_ERR_HEADERS_OVERFLOW']);

function transportError(e: unknown, url: string, signal: AbortSignal): TidemarkError {
  const where = redactUrl(url);
  const err = e as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code ?? err.name ?? 'unknown';
  if (signal.aborted) {
    return new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `HTTP request to ${where} timed out (${reasonOf(signal)})`, { cause: e, context: { url: where } });
  }
  if (PERMANENT_CODES.has(code)) {
    return new TidemarkError('TIDEMARK_ERR_SINK_REJECTED', `HTTP request to ${where} is invalid (${code}: ${err.message}); fix the sink's url or headers`, { cause: e, context: { url: where, code } });
  }
  return new TidemarkError('TIDEMARK_ERR_SINK_UNAVAILABLE', `HTTP request to ${where} failed (${code}: ${err.message ?? String(e)}); retrying`, { cause: e, context: { url: where, code } });
}

function reasonOf(signal: AbortSignal): string {
  const r = signal.reason as { message?: string } | undefined;
  return r?.message ?? 'aborted';
}
