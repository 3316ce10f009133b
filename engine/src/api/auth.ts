import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError, errorBody } from './errors.js';

/**
 * Optional bearer-token auth for every route not marked public (/health and /ready stay open
 * for probes). Tokens are compared through their SHA-256 digests in constant time, so neither
 * the content nor the length leaks through timing.
 */
export function installBearerAuth(app: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = digest(token);
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.public === true) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (match && timingSafeEqual(digest(match[1]!.trim()), expected)) return;
    const why = match ? 'the bearer token is wrong' : 'an Authorization: Bearer <token> header is required';
    return reply.status(401).header('www-authenticate', 'Bearer').send(errorBody(new ApiError('UNAUTHORIZED', why)));
  });
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
