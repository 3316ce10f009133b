import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../context.js';
import { dlqDegradation } from '../dlq-reader.js';
import { pipeInfo } from '../pipe-info.js';

/** Probes: open even when an API token is set. */
export const healthRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const { manager, catalog } = ctx;

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/health',
      summary: 'Liveness: 503 when any pipeline has failed, with the reasons',
      tag: 'health',
      public: true,
      responses: { 200: { description: 'Every pipeline is healthy (a full DLQ, blocking or rejecting, shows under `degraded`).', schema: 'Health' }, 503: { description: 'At least one pipeline failed.', schema: 'Health' } },
    },
    async (_request, reply) => {
      const health = manager.health();
      const degraded = manager.list().flatMap((p) => dlqDegradation(p) ?? []);
      const body = {
        status: health.healthy ? 'healthy' : 'unhealthy',
        pipelines: health.pipelines,
        failed_pipelines: health.failed.map((f) => f.name),
        failures: health.failed.map((f) => ({ pipeline: f.name, code: f.code, reason: f.reason })),
        degraded,
      };
      return reply.status(health.healthy ? 200 : 503).send(body);
    },
  );

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/ready',
      summary: 'Readiness: 200 once pipelines are loaded, with their states',
      tag: 'health',
      public: true,
      responses: { 200: { description: 'Ready.', schema: 'Ready' }, 503: { description: 'Still loading or shutting down.', schema: 'Ready' } },
    },
    async (_request, reply) => {
      const ready = ctx.isReady();
      return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', pipelines: manager.list().map((p) => pipeInfo(p, manager)) });
    },
  );
};
