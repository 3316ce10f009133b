import type { FastifyPluginAsync } from 'fastify';
import { PlaygroundError, SERVICE_ACTIONS, type Playground, type ServiceAction } from '../playground.js';

const action = (value: string): ServiceAction => {
  if (!(SERVICE_ACTIONS as readonly string[]).includes(value)) throw new PlaygroundError(400, `unknown action "${value}" (actions: ${SERVICE_ACTIONS.join(', ')})`);
  return value as ServiceAction;
};

const num = (v: unknown, what: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new PlaygroundError(400, `${what} must be a number of at least 0, got ${JSON.stringify(v)}`);
  return v;
};

/** Services, engines, faults, the live workload and "check now". */
export const liveRoutes: FastifyPluginAsync<{ playground: Playground }> = async (app, { playground: p }) => {
  app.post('/api/services/:name/:action', async (request) => {
    const { name, action: a } = request.params as { name: string; action: string };
    await p.serviceAction(name, action(a));
    return { ok: true };
  });
  app.post('/api/engines/:id/:action', async (request) => {
    const { id, action: a } = request.params as { id: string; action: string };
    await p.engineAction(id, action(a));
    return { ok: true };
  });

  app.post('/api/faults', async (request) => p.injectFault(request.body, 'manual'));
  app.post('/api/faults/preset/:id', async (request) => p.injectPreset((request.params as { id: string }).id));
  app.post('/api/faults/heal-all', async () => {
    await p.heal('all');
    return { ok: true };
  });
  app.post('/api/faults/:id/heal', async (request) => {
    const id = Number((request.params as { id: string }).id);
    if (!Number.isInteger(id)) throw new PlaygroundError(400, 'a fault id is an integer');
    await p.heal(id);
    return { ok: true };
  });

  app.post('/api/workload', async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const mix = body.mix as Record<string, unknown> | undefined;
    const writers = num(body.writers, 'writers');
    const rate = num(body.rate, 'rate');
    await p.setWorkload({
      ...(writers !== undefined ? { writers: Math.floor(writers) } : {}),
      ...(rate !== undefined ? { rate } : {}),
      ...(mix ? { mix: { insert: num(mix.insert, 'mix.insert') ?? 0, update: num(mix.update, 'mix.update') ?? 0, delete: num(mix.delete, 'mix.delete') ?? 0 } } : {}),
    });
    return { ok: true };
  });
  app.post('/api/live/source', async (request) => {
    const source = (request.body as { source?: unknown } | undefined)?.source;
    if (source !== 'mysql' && source !== 'postgres') throw new PlaygroundError(400, 'source must be mysql or postgres');
    void p.switchSource(source).catch((e: Error) => p.note(`switching source failed: ${e.message}`));
    return { ok: true };
  });
  app.post('/api/check', async () => {
    p.requireLive();
    void p.checkNow().catch((e: Error) => p.note(`check failed: ${e.message}`));
    return { ok: true };
  });
};
