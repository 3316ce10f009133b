import type { FastifyPluginAsync } from 'fastify';
import type { ApiContext } from '../context.js';
import { pipeInfo } from '../pipe-info.js';
import { pipelineName } from './pipelines.js';

const ACTIONS = {
  pause: { summary: 'Pause processing; the source keeps its connection', ok: 'Paused (or pausing once the source is connected).', conflict: true },
  resume: { summary: 'Resume a paused pipeline, or restart a stopped or failed one from its checkpoints', ok: 'Running or starting.', conflict: false },
  stop: { summary: 'Graceful stop: deliver in-flight batches, save checkpoints, disconnect', ok: 'Stopped; resumable with resume or PATCH.', conflict: false },
} as const;

const responses = (ok: string) => ({
  200: { description: ok, schema: 'PipeInfo' },
  404: { description: 'No pipeline has this name (PIPELINE_NOT_FOUND).', schema: 'Error' },
});

/** pause / resume / stop. Each is idempotent and answers with the pipeline's PipeInfo. */
export const controlRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const { manager, catalog } = ctx;
  for (const [action, doc] of Object.entries(ACTIONS) as Array<[keyof typeof ACTIONS, (typeof ACTIONS)[keyof typeof ACTIONS]]>) {
    catalog.add(
      app,
      {
        method: 'POST',
        url: `/pipelines/:name/${action}`,
        summary: doc.summary,
        tag: 'pipelines',
        responses: doc.conflict ? { ...responses(doc.ok), 409: { description: 'The pipeline is stopped or failed (INVALID_STATE); resume it first.', schema: 'Error' } } : responses(doc.ok),
      },
      async (request) => pipeInfo(await manager[action](pipelineName(request)), manager),
    );
  }
};
