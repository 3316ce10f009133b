import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Pipeline } from '../../runtime/index.js';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { checkpointInfo } from '../pipe-info.js';
import { schemaInfo, schemaNamespace } from '../schema-records.js';
import { parseRequest } from '../validation.js';
import { pipelineName } from './pipelines.js';

const tableParams = z.object({ name: z.string(), db: z.string(), table: z.string() });

/** Read-only views of what a pipeline stored: checkpoints and source table schemas. */
export const inspectRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const { manager, catalog, backend } = ctx;
  const notFound = { description: 'No pipeline has this name (PIPELINE_NOT_FOUND).', schema: 'Error' };
  const storedSchemas = (p: Pipeline) => backend.forPipeline(p.name).kv.list(schemaNamespace(p.spec.spec.source.type, p.spec.spec.source.config.id));

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/pipelines/:name/checkpoints',
      summary: 'Per-sink checkpoint position and age (from the checkpoint store, so stopped pipelines answer too)',
      tag: 'inspect',
      responses: { 200: { description: 'One entry per sink of the spec.', schema: { type: 'array', items: { $ref: '#/components/schemas/Checkpoint' } } }, 404: notFound },
    },
    async (request) => checkpointInfo(manager.require(pipelineName(request)), backend),
  );

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/pipelines/:name/schemas',
      summary: 'Table schemas the source tracks (fingerprint and registry version per table)',
      tag: 'inspect',
      responses: { 200: { description: 'One entry per table the source registered.', schema: { type: 'array', items: { $ref: '#/components/schemas/SchemaRecord' } } }, 404: notFound },
    },
    async (request) => (await storedSchemas(manager.require(pipelineName(request)))).map(({ key, value }) => schemaInfo(key, value, false)),
  );

  catalog.add(
    app,
    {
      method: 'POST',
      url: '/pipelines/:name/schemas/reload',
      summary: 'Make every sink forget the encoding schemas it cached (Avro ids); the next batches look them up in the registry again',
      tag: 'inspect',
      responses: { 200: { description: 'The sinks that reloaded.', schema: { type: 'object', properties: { sinks: { type: 'array', items: { type: 'string' } } }, required: ['sinks'] } }, 404: notFound },
    },
    async (request) => manager.require(pipelineName(request)).reloadSchemas(),
  );

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/pipelines/:name/schemas/:db/:table',
      summary: 'One table schema with its columns',
      tag: 'inspect',
      responses: { 200: { description: 'The schema with columns.', schema: 'SchemaRecord' }, 404: { description: 'No such pipeline (PIPELINE_NOT_FOUND) or table (NOT_FOUND).', schema: 'Error' } },
    },
    async (request: FastifyRequest) => {
      const { db, table } = parseRequest(tableParams, request.params, 'path');
      const pipeline = manager.require(pipelineName(request));
      const found = (await storedSchemas(pipeline)).find(({ key }) => key === `${db}.${table}`);
      if (!found) throw new ApiError('NOT_FOUND', `pipeline ${pipeline.name} has no schema for ${db}.${table}; GET /pipelines/${pipeline.name}/schemas lists the tables`);
      return schemaInfo(found.key, found.value, true);
    },
  );
};
