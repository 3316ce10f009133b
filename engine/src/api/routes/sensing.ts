import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Pipeline } from '../../runtime/index.js';
import type { SchemaSensor } from '../../schema/sensing/index.js';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { parseRequest } from '../validation.js';
import { pipelineName } from './pipelines.js';

const tableParams = z.object({ name: z.string(), table: z.string().min(1) });

/**
 * Schema sensing and drift (docs/schema-sensing.md), as the reference's API: inferred schemas
 * per table (and per JSON column, `db.table:column`), their JSON Schema export, structure
 * cache statistics, dynamic map classifications, and drift against the source's schema.
 * A pipeline without `schema_sensing.enabled` answers empty lists, and 404 for a table.
 */
export const sensingRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const { manager, catalog } = ctx;
  const pipelineNotFound = { description: 'No pipeline has this name (PIPELINE_NOT_FOUND).', schema: 'Error' };
  const tableNotFound = { description: 'No such pipeline (PIPELINE_NOT_FOUND), or nothing sensed for that table: sensing is off or no event of it was seen yet (NOT_FOUND).', schema: 'Error' };
  const sensor = (request: FastifyRequest): SchemaSensor | null => manager.require(pipelineName(request)).sensing();
  /** The table route's answer, or NOT_FOUND saying why there is none. */
  const forTable = <T>(request: FastifyRequest, read: (s: SchemaSensor, table: string) => T | null, what: string): T => {
    const { table } = parseRequest(tableParams, request.params, 'path');
    const pipeline: Pipeline = manager.require(pipelineName(request));
    const s = pipeline.sensing();
    if (!s) throw new ApiError('NOT_FOUND', `pipeline ${pipeline.name} does not sense schemas: set spec.schema_sensing.enabled: true (docs/schema-sensing.md)`);
    const found = read(s, table);
    if (found === null) throw new ApiError('NOT_FOUND', `pipeline ${pipeline.name} has no ${what} for "${table}" yet; GET /pipelines/${pipeline.name}/sensing/schemas lists what was sensed (db.table, or db.table:column for a JSON column)`);
    return found;
  };

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/sensing/schemas', summary: 'Schemas inferred from the events: one per table, one per JSON column (table:column)', tag: 'sensing', responses: { 200: { description: 'Every sensed schema.', schema: { type: 'array', items: { $ref: '#/components/schemas/SensedSchemaSummary' } } }, 404: pipelineNotFound } },
    async (request) => sensor(request)?.schemas() ?? [],
  );

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/sensing/schemas/:table', summary: 'One inferred schema with its fields', tag: 'sensing', responses: { 200: { description: 'The schema and its fields.', schema: 'SensedSchema' }, 404: tableNotFound } },
    async (request) => forTable(request, (s, t) => s.schema(t), 'inferred schema'),
  );

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/sensing/schemas/:table/json-schema', summary: 'An inferred schema as a JSON Schema (draft-07) document', tag: 'sensing', responses: { 200: { description: 'The JSON Schema.', schema: 'JsonSchemaDocument' }, 404: tableNotFound } },
    async (request) => forTable(request, (s, t) => s.jsonSchema(t), 'inferred schema'),
  );

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/sensing/schemas/:table/classifications', summary: 'Object paths of a table classified as stable fields or dynamic maps', tag: 'sensing', responses: { 200: { description: 'Classified paths ("" is the row).', schema: 'Classifications' }, 404: tableNotFound } },
    async (request) => forTable(request, (s, t) => s.classifications(t), 'classification'),
  );

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/sensing/stats', summary: 'Structure cache statistics per table', tag: 'sensing', responses: { 200: { description: 'Hits, misses and sizes.', schema: 'SensingStats' }, 404: pipelineNotFound } },
    async (request) => sensor(request)?.stats() ?? { tables: [], total_cache_hits: 0, total_cache_misses: 0, hit_rate: 0 },
  );

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/drift', summary: 'Drift of the events against the source schema, per table', tag: 'sensing', responses: { 200: { description: 'One entry per sensed table.', schema: { type: 'array', items: { $ref: '#/components/schemas/TableDrift' } } }, 404: pipelineNotFound } },
    async (request) => sensor(request)?.drift() ?? [],
  );

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/drift/:table', summary: 'Drift of one table', tag: 'sensing', responses: { 200: { description: 'The table\'s drift.', schema: 'TableDrift' }, 404: tableNotFound } },
    async (request) => forTable(request, (s, t) => s.driftOf(t), 'drift data'),
  );
};
