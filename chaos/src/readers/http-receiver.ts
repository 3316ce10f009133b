import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers from now on: a status (default 200), a delay, a Retry-After. */
export interface HttpBehaviour {
  readonly status?: number;
  readonly delayMs?: number;
  /** Sent as Retry-After (seconds) with 429 and 503. */
  readonly retryAfterS?: number;
  /** Drop the connection without answering (a reset): logged with status 0. */
  readonly reset?: boolean;
  /** Answer 413 Payload Too Large to bodies longer than this (a receiver's size limit). */
  readonly maxBodyBytes?: number;
}

/** One request as it arrived (complete body), with the status it was answered with. */
export interface ReceivedRequest {
  /** Arrival order, from 0. */
  readonly seq: number;
  /** ms since the Unix epoch, when the body was complete. */
  readonly at: number;
  readonly method: string;
  /** Path and query of the request URL. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The body as it arrived: Avro (`application/avro`) is binary and does not survive `body`'s UTF-8. */
  readonly bytes: Buffer;
  /** What the receiver decided when the body arrived; 2xx means accepted. */
  readonly status: number;
}

export interface HttpReceiver {
  /** Base URL, e.g. http://127.0.0.1:40123 — give the sink `${url}/cdc` or any path. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order (released ones without body and headers). */
  requests(): readonly ReceivedRequest[];
  /**
   * Frees the bodies and headers of the requests before `seq` (their seq, time, URL and status
   * stay): a long run's readers release what they have judged, so the log does not hold every
   * payload.
   */
  release(beforeSeq: number): void;
  /** Changes how later requests are answered (fault injection: 503, 429, 400, slow). */
  behave(behaviour: HttpBehaviour): void;
  /** A size limit kept apart from the faults' behaviour: bodies over it get 413 (undefined: none). */
  limit(maxBodyBytes: number | undefined): void;
  close(): Promise<void>;
}

/**
 * The endpoint the engine's HTTP sink posts to during a run: node:http on 127.0.0.1 and a free
 * port. It logs every request in arrival order and answers according to the current behaviour;
 * `readHttp` turns the log into a sink history.
 */
export async function startHttpReceiver(initial: HttpBehaviour = {}): Promise<HttpReceiver> {
  const log: ReceivedRequest[] = [];
  let released = 0;
  let behaviour: HttpBehaviour = initial;
  let maxBody: number | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = behaviour;
      const bytes = Buffer.concat(chunks);
      const cap = now.maxBodyBytes ?? maxBody;
      const status = now.reset ? 0 : cap !== undefined && bytes.length > cap ? 413 : (now.status ?? 200);
      log.push({ seq: log.length, at: Date.now(), method: req.method ?? 'GET', url: req.url ?? '/', headers: flatten(req.headers), body: bytes.toString('utf8'), bytes, status });
      if (now.reset) {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (now.retryAfterS !== undefined && (status === 429 || status === 503)) headers['retry-after'] = String(now.retryAfterS);
      const answer = () => {
        if (!res.destroyed) res.writeHead(status, headers).end(JSON.stringify({ status }));
      };
      if (now.delayMs) setTimeout(answer, now.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests: () => log,
    release(beforeSeq) {
      for (; released < Math.min(beforeSeq, log.length); released++) {
        const r = log[released]!;
        log[released] = { seq: r.seq, at: r.at, method: r.method, url: r.url, headers: {}, body: '', bytes: EMPTY, status: r.status };
      }
    },
    behave(next) {
      behaviour = next;
    },
    limit(bytes) {
      maxBody = bytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const EMPTY = Buffer.alloc(0);

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
