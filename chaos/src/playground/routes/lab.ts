import type { FastifyPluginAsync } from 'fastify';
import { abContext, check, liveContext, liveTemplate } from '../lab/lab.js';
import { PlaygroundError, type Playground } from '../playground.js';
import type { SourceFamily } from '../protocol.js';

const problems = (c: ReturnType<typeof check>) => (c.valid ? { valid: true, problems: [] } : { valid: false, problems: c.problems });

/** The config lab: the live pipeline's template, validation as you type, apply, and the A/B run. */
export const labRoutes: FastifyPluginAsync<{ playground: Playground }> = async (app, { playground: p }) => {
  const scenariosDir = p.options.scenariosDir;
  const abSource = (v: unknown): SourceFamily => (v === 'postgres' ? 'postgres' : v === 'mysql' ? 'mysql' : p.requireLive().source);

  app.get('/api/lab/template', async () => {
    const live = p.requireLive();
    const ab = abContext(scenariosDir, p.options.abScenario, live.source, live);
    return { live: liveTemplate(live), ab: ab.template, abScenario: p.options.abScenario, pipeline: live.ns.pipeline };
  });

  app.post('/api/lab/validate', async (request) => {
    const body = (request.body ?? {}) as { yaml?: unknown; target?: unknown; source?: unknown };
    const live = p.requireLive();
    const ctx = body.target === 'ab' ? abContext(scenariosDir, p.options.abScenario, abSource(body.source), live).ctx : liveContext(live);
    return problems(check(body.yaml, ctx));
  });

  app.post('/api/lab/apply', async (request) => {
    const live = p.requireLive();
    const result = check((request.body as { yaml?: unknown } | undefined)?.yaml, liveContext(live));
    if (!result.valid) throw new PlaygroundError(400, `not applied: ${result.problems.map((x) => `${x.path}: ${x.reason}`).join('; ')}`);
    const info = await p.requireEngine().api.patchPipeline(live.ns.pipeline, result.rendered.document).catch((e: Error) => {
      throw new PlaygroundError(400, `the engine refused the change: ${e.message}`);
    });
    p.note(`config lab: applied to ${live.ns.pipeline} (status ${info.status})`);
    return info;
  });

  app.post('/api/lab/ab', async (request, reply) => {
    const body = (request.body ?? {}) as { a?: unknown; b?: unknown; source?: unknown; seed?: unknown };
    const live = p.requireLive();
    const source = abSource(body.source);
    const { ctx } = abContext(scenariosDir, p.options.abScenario, source, live);
    for (const [name, yaml] of [['A', body.a], ['B', body.b]] as const) {
      const c = check(yaml, ctx);
      if (!c.valid) throw new PlaygroundError(400, `config ${name} is invalid: ${c.problems.map((x) => `${x.path}: ${x.reason}`).join('; ')}`);
    }
    const seed = Number(body.seed ?? 1);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new PlaygroundError(400, 'seed must be an integer of at least 0');
    return reply.status(202).send(await p.runs.startAb(p.options.abScenario, source, seed, { a: body.a as string, b: body.b as string }));
  });
};
