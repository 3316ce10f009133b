import Fastify, { type FastifyInstance } from 'fastify';
import type { CheckpointBackend } from '../checkpoints/index.js';
import { redact } from '../config/index.js';
import type { Logger } from '../logging/logger.js';
import type { LogLevelControl, PipelineManager } from '../runtime/index.js';
import { installBearerAuth } from './auth.js';
import type { MetricsExposition } from './context.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { installRequestMetrics } from './request-metrics.js';
import { RouteCatalog } from './route-catalog.js';
import { controlRoutes } from './routes/control.js';
import { dlqRoutes } from './routes/dlq.js';
import { healthRoutes } from './routes/health.js';
import { inspectRoutes } from './routes/inspect.js';
import { sensingRoutes } from './routes/sensing.js';
import { pipelineRoutes } from './routes/pipelines.js';
import { systemRoutes } from './routes/system.js';

export interface ApiServerOptions {
  readonly manager: PipelineManager;
  readonly backend: CheckpointBackend;
  readonly logger: Logger;
  readonly logControl: LogLevelControl;
  readonly version?: string;
  /** Bearer token required on every route except /health and /ready. */
  readonly token?: string;
  readonly isReady?: () => boolean;
  /** Serve /metrics here too (when --metrics-addr equals --api-addr). */
  readonly metrics?: MetricsExposition;
  readonly recordRequest?: (route: string, method: string, status: number, seconds: number) => void;
}

export interface ApiServer {
  readonly app: FastifyInstance;
  readonly catalog: RouteCatalog;
  /** Every method+url fastify registered (HEAD excluded), from its onRoute hook. */
  readonly registered: ReadonlyArray<{ readonly method: string; readonly url: string }>;
}

/** The control plane: one fastify instance, one plugin per group of routes. */
export async function buildApiServer(o: ApiServerOptions): Promise<ApiServer> {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024, routerOptions: { ignoreTrailingSlash: true } });
  const registered: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') registered.push({ method, url: route.url });
  });

  // JSON only: a text/plain body would otherwise reach validation as a string.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    // An empty body is fine on action routes (POST .../pause with a JSON content type).
    if (body === '') return done(null, undefined);
    try {
      done(null, JSON.parse(body as string, (key, value: unknown) => (key === '__proto__' ? undefined : value)));
    } catch (e) {
      done(Object.assign(new Error(`request body is not valid JSON: ${(e as Error).message}`), { statusCode: 400 }), undefined);
    }
  });
  // Every JSON response passes through redact: no route can leak a DSN password or a token.
  app.setReplySerializer((payload) => JSON.stringify(redact(payload)));
  app.setErrorHandler(errorHandler(o.logger));
  app.setNotFoundHandler(notFoundHandler);
  installBearerAuth(app, o.token);
  if (o.recordRequest) installRequestMetrics(app, o.recordRequest);

  const catalog = new RouteCatalog();
  const ctx = { manager: o.manager, backend: o.backend, catalog, logControl: o.logControl, isReady: o.isReady ?? (() => true), version: o.version ?? 'dev' };
  await app.register(healthRoutes, ctx);
  await app.register(pipelineRoutes, ctx);
  await app.register(controlRoutes, ctx);
  await app.register(inspectRoutes, ctx);
  await app.register(sensingRoutes, ctx);
  await app.register(dlqRoutes, ctx);
  await app.register(systemRoutes, { ...ctx, metrics: o.metrics });
  await app.ready();
  return { app, catalog, registered };
}

/** A bare server for /metrics on its own address (no auth: keep it on a private interface). */
export async function buildMetricsServer(metrics: MetricsExposition): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
  app.setNotFoundHandler((_request, reply) => reply.status(404).type('text/plain').send('only /metrics is served here\n'));
  await app.ready();
  return app;
}

/** `host:port` or `[v6]:port`; port 0 picks a free one. */
export function parseAddress(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(addr);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new Error(`expected host:port (e.g. 127.0.0.1:8080), got "${addr}"`);
  return { host: (m[1] ?? m[2])!, port };
}

/** Listens and returns the bound `host:port` (useful with port 0). */
export async function listen(app: FastifyInstance, addr: string): Promise<string> {
  const { host, port } = parseAddress(addr);
  await app.listen({ host, port });
  const bound = app.server.address();
  const actualPort = bound && typeof bound === 'object' ? bound.port : port;
  return host.includes(':') ? `[${host}]:${actualPort}` : `${host}:${actualPort}`;
}
