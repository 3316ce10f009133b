import type { FastifyInstance } from 'fastify';

/** Counts every request by route pattern (bounded), method and status class. */
export function installRequestMetrics(app: FastifyInstance, record: (route: string, method: string, status: number, seconds: number) => void): void {
  app.addHook('onResponse', async (request, reply) => {
    record(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
  });
}
