import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { parseLabelFilters } from '../../runtime/index.js';
import { isPlainObject } from '../../runtime/deep-merge.js';
import type { ApiContext } from '../context.js';
import { pipeInfo, pipeInfoWithOps } from '../pipe-info.js';
import { labelQuery, nameParams, pipelineDocumentSchema } from '../schemas.js';
import { parseRequest } from '../validation.js';

/** The reference's create body has no apiVersion/kind; they default here so both forms work. */
export function withDocumentDefaults(body: unknown): unknown {
  return isPlainObject(body) ? { apiVersion: 'tidemark/v1', kind: 'Pipeline', ...body } : body;
}

export function pipelineName(request: FastifyRequest): string {
  return parseRequest(nameParams, request.params, 'path').name;
}

const notFound = { description: 'No pipeline has this name (PIPELINE_NOT_FOUND).', schema: 'Error' };

/** List, create, read, patch and delete pipelines. */
export const pipelineRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const { manager, catalog, backend } = ctx;

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/pipelines',
      summary: 'List pipelines, optionally filtered by labels (AND)',
      tag: 'pipelines',
      query: [{ name: 'label', array: true, schema: { type: 'string' }, description: '`key:value` or `key` (any value); repeat for AND.' }],
      responses: { 200: { description: 'PipeInfo records.', schema: { type: 'array', items: { $ref: '#/components/schemas/PipeInfo' } } }, 400: { description: 'Unknown query parameter.', schema: 'Error' } },
    },
    async (request) => {
      const { label } = parseRequest(labelQuery, request.query, 'query');
      return manager.list(parseLabelFilters(label)).map((p) => pipeInfo(p, manager));
    },
  );

  catalog.add(
    app,
    {
      method: 'POST',
      url: '/pipelines',
      summary: 'Create a pipeline from a full spec and start it (returns at once; the source connects in the background)',
      tag: 'pipelines',
      body: { schema: pipelineDocumentSchema(), description: 'A pipeline document; apiVersion and kind may be omitted. `${VAR}` references expand from the engine\'s environment.' },
      responses: {
        201: { description: 'Created; status is starting or running.', schema: 'PipeInfo' },
        400: { description: 'Invalid spec; `problems` names each field path.', schema: 'Error' },
        409: { description: 'A pipeline with this name exists (PIPELINE_ALREADY_EXISTS).', schema: 'Error' },
      },
    },
    async (request, reply) => {
      const pipeline = manager.create(withDocumentDefaults(request.body));
      return reply.status(201).send(pipeInfo(pipeline, manager));
    },
  );

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/pipelines/:name',
      summary: 'One pipeline with its operational state (ops: uptime, lag, DLQ entries, sink errors, checkpoints)',
      tag: 'pipelines',
      responses: { 200: { description: 'PipeInfo with ops.', schema: 'PipeInfo' }, 404: notFound },
    },
    async (request) => pipeInfoWithOps(manager.require(pipelineName(request)), manager, backend),
  );

  catalog.add(
    app,
    {
      method: 'PATCH',
      url: '/pipelines/:name',
      summary: 'Deep-merge a partial document into the spec and restart from the checkpoints',
      tag: 'pipelines',
      body: {
        schema: { type: 'object', description: 'Fields to change. Objects merge recursively, arrays element by element by index, null removes a field.' },
      },
      responses: {
        200: { description: 'Patched and restarted (a paused pipeline stays paused).', schema: 'PipeInfo' },
        400: { description: 'The merged spec is invalid, or metadata.name differs (PIPELINE_NAME_MISMATCH).', schema: 'Error' },
        404: notFound,
      },
    },
    async (request) => pipeInfo(await manager.patch(pipelineName(request), request.body), manager),
  );

  catalog.add(
    app,
    {
      method: 'DELETE',
      url: '/pipelines/:name',
      summary: 'Stop and remove a pipeline with its checkpoints',
      tag: 'pipelines',
      responses: { 204: { description: 'Deleted.' }, 404: notFound },
    },
    async (request, reply) => {
      await manager.remove(pipelineName(request));
      return reply.status(204).send();
    },
  );
};
