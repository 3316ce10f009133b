import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
  /** What the receiver answered. */
  readonly status: number;
}

export type Responder = (req: { method: string; path: string; headers: IncomingHttpHeaders; body: string; n: number }) => { status: number; headers?: Record<string, string> };

/** An HTTP receiver for tests: records every request, answers as `respond` says (default 200). */
export class Receiver {
  readonly log: Received[] = [];
  respond: Responder = () => ({ status: 200 });
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Accepted (2xx) requests only: what the receiver keeps. */
  get accepted(): Received[] {
    return this.log.filter((r) => r.status >= 200 && r.status < 300);
  }

  async start(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const answer = this.respond({ method: req.method!, path: req.url!, headers: req.headers, body, n: this.log.length });
        this.log.push({ method: req.method!, path: req.url!, headers: req.headers, body, at: Date.now(), status: answer.status });
        res.writeHead(answer.status, answer.headers ?? {}).end(answer.status >= 400 ? `nope ${answer.status}` : 'ok');
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts open keep-alive connections, like a crashed endpoint. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
