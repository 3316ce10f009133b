import type { FastifyPluginAsync } from 'fastify';
import { redact } from '@tidemark/engine/config/index';
import { PlaygroundError, type Playground } from '../playground.js';

/**
 * The engine REST calls the Pipeline API tab makes, forwarded to the chosen engine: only these
 * (no open proxy), and every answer redacted once more on its way to the page.
 */
const ALLOWED: readonly { method: string; path: RegExp }[] = [
  { method: 'GET', path: /^\/health$/ },
  { method: 'GET', path: /^\/ready$/ },
  { method: 'GET', path: /^\/metrics$/ },
  { method: 'GET', path: /^\/openapi\.json$/ },
  { method: 'GET', path: /^\/log-level$/ },
  { method: 'PUT', path: /^\/log-level$/ },
  { method: 'GET', path: /^\/pipelines$/ },
  { method: 'GET', path: /^\/pipelines\/[^/]+$/ },
  { method: 'DELETE', path: /^\/pipelines\/[^/]+$/ },
  { method: 'POST', path: /^\/pipelines\/[^/]+\/(pause|resume|stop)$/ },
  { method: 'GET', path: /^\/pipelines\/[^/]+\/checkpoints$/ },
  { method: 'GET', path: /^\/pipelines\/[^/]+\/schemas(\/[^/]+\/[^/]+)?$/ },
  { method: 'GET', path: /^\/pipelines\/[^/]+\/journal\/dlq(\/count)?$/ },
];

export const engineApiRoutes: FastifyPluginAsync<{ playground: Playground }> = async (app, { playground: p }) => {
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE'],
    url: '/api/engines/:id/api/*',
    handler: async (request, reply) => {
      const { id } = request.params as { id: string };
      const path = `/${(request.params as { '*': string })['*']}`;
      if (!ALLOWED.some((a) => a.method === request.method && a.path.test(path))) throw new PlaygroundError(404, `${request.method} ${path} is not one of the engine calls the playground forwards`);
      const engine = p.engineById(id);
      const base = path === '/metrics' ? engine.metricsUrl : engine.api.baseUrl;
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const hasBody = request.method === 'PUT' || (request.method === 'POST' && request.body !== undefined);
      let res: Response;
      try {
        res = await fetch(`${base}${path}${query.replace(/([?&])token=[^&]*&?/, '$1')}`, {
          method: request.method,
          headers: hasBody ? { 'content-type': 'application/json' } : {},
          body: hasBody ? JSON.stringify(request.body ?? {}) : undefined,
          signal: AbortSignal.timeout(15_000),
        });
      } catch (e) {
        throw new PlaygroundError(502, `the ${id} engine did not answer ${request.method} ${path}: ${(e as Error).message}`);
      }
      const text = await res.text();
      const type = res.headers.get('content-type') ?? 'text/plain';
      void reply.status(res.status).header('x-engine-status', String(res.status));
      // The OpenAPI document holds schemas, not values: redacting would mask property names like "password".
      if (type.includes('json') && text !== '' && path !== '/openapi.json') return reply.type('application/json').send(JSON.stringify(redact(JSON.parse(text))));
      return reply.type(type).send(text);
    },
  });
};
