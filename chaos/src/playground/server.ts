import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redact } from '@tidemark/engine/config/index';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { PlanError } from '../runner/plan.js';
import { COOKIE, hostAllowed, tokenSource } from './auth.js';
import { engineApiRoutes } from './routes/engine-api.js';
import { labRoutes } from './routes/lab.js';
import { liveRoutes } from './routes/live.js';
import { runRoutes } from './routes/runs.js';
import { PlaygroundError, type Playground } from './playground.js';
import { RunBusyError } from './runs/run-manager.js';
import { pageHtml } from './web-page.js';
import { STYLES } from './web-styles.js';

export interface ServerOptions {
  readonly playground: Playground;
  /** Required on every request when set (a non-loopback --host). */
  readonly token: string | null;
}

// dist/playground/server.js → dist/playground/web/*.js (compiled by web/tsconfig.json).
const WEB_DIR = fileURLToPath(new URL('./web/', import.meta.url).href.replace('/src/playground/', '/dist/playground/'));
const UPLOT_DIR = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
const ASSET = /^[a-z0-9-]+(\/[a-z0-9-]+)?\.js(\.map)?$/;

/** Maps thrown errors to statuses: bad input 400, conflicts 409, everything else 500. */
function statusOf(e: unknown): number {
  if (e instanceof PlaygroundError) return e.status;
  if (e instanceof PlanError) return 400;
  if (e instanceof RunBusyError) return 409;
  const code = (e as { statusCode?: number }).statusCode;
  return typeof code === 'number' && code >= 400 && code < 600 ? code : 500;
}

/**
 * The playground's HTTP server (fastify, as the engine's API): the page, its assets, the state
 * stream (SSE) and the actions. With a token, every request must carry it (header, cookie set
 * by the printed URL, or ?token=); on loopback the Host header must name this machine.
 */
export async function buildServer(o: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  app.setReplySerializer((payload) => JSON.stringify(redact(payload)));
  app.setErrorHandler((error, _request, reply) => {
    const status = statusOf(error);
    void reply.status(status).send({ error: error instanceof Error ? error.message : String(error) });
  });

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!o.token) {
      if (!hostAllowed(request.headers.host)) return reply.status(403).send({ error: `Host "${request.headers.host}" is not this machine: open the playground at the 127.0.0.1 address it printed` });
      return;
    }
    const query = (request.query as Record<string, unknown> | undefined)?.token;
    const source = tokenSource({ authorization: request.headers.authorization, cookie: request.headers.cookie, query: typeof query === 'string' ? query : undefined }, o.token);
    if (!source) return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'this playground needs its token: open the URL it printed at start (…/?token=…) or send Authorization: Bearer <token>' });
    if (source === 'query' && request.method === 'GET') void reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(o.token)}; Path=/; HttpOnly; SameSite=Strict`);
  });

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(pageHtml()));
  app.get('/assets/styles.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(STYLES));
  app.get('/assets/*', async (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    const path = join(WEB_DIR, file);
    if (!ASSET.test(file) || !existsSync(path)) return reply.status(404).send({ error: `no asset ${file}${existsSync(WEB_DIR) ? '' : ' (the web UI is not built: run npm run build)'}` });
    return reply.type(file.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8').send(readFileSync(path, 'utf8'));
  });
  app.get('/vendor/uplot.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(readFileSync(join(UPLOT_DIR, 'uPlot.esm.js'), 'utf8')));
  app.get('/vendor/uplot.css', async (_request, reply) => reply.type('text/css; charset=utf-8').send(readFileSync(join(UPLOT_DIR, 'uPlot.min.css'), 'utf8')));

  app.get('/api/state', async () => o.playground.hub.current);
  app.get('/api/events', (_request, reply) => {
    reply.hijack();
    o.playground.hub.attach(reply.raw);
  });

  await app.register(liveRoutes, { playground: o.playground });
  await app.register(runRoutes, { playground: o.playground });
  await app.register(engineApiRoutes, { playground: o.playground });
  await app.register(labRoutes, { playground: o.playground });
  return app;
}
