import type { FastifyPluginAsync } from 'fastify';
import { formatProblem, validateSpec } from '../../config/index.js';
import type { ApiContext, MetricsExposition } from '../context.js';
import { buildOpenApi } from '../openapi.js';
import { logLevelBody, pipelineDocumentSchema, REQUEST_SCHEMAS } from '../schemas.js';
import { parseRequest } from '../validation.js';
import { withDocumentDefaults } from './pipelines.js';

export interface SystemOptions extends ApiContext {
  /** Set when /metrics is served on the API address. */
  readonly metrics?: MetricsExposition;
}

/** Dry-run validation, the log level, the OpenAPI document and (optionally) /metrics. */
export const systemRoutes: FastifyPluginAsync<SystemOptions> = async (app, ctx) => {
  const { catalog, logControl } = ctx;

  catalog.add(
    app,
    {
      method: 'POST',
      url: '/validate',
      summary: 'Validate a pipeline document without creating it',
      tag: 'system',
      body: { schema: pipelineDocumentSchema() },
      responses: { 200: { description: 'Valid.', schema: 'Validation' }, 400: { description: 'Invalid: `problems` names each field path (valid: false).', schema: 'Validation' } },
    },
    async (request, reply) => {
      const { spec, problems } = validateSpec(withDocumentDefaults(request.body), 'request body');
      if (spec) return { valid: true, pipeline: spec.metadata.name, source_type: spec.spec.source.type, sink_count: spec.spec.sinks.length };
      const message = problems.map(formatProblem).join('\n');
      return reply.status(400).send({ valid: false, code: 'INVALID_REQUEST', message, error: message, problems: problems.map((p) => ({ path: p.path, reason: p.reason })) });
    },
  );

  catalog.add(
    app,
    { method: 'GET', url: '/log-level', summary: 'The current log level', tag: 'system', responses: { 200: { description: 'Level.', schema: 'LogLevel' } } },
    async () => ({ level: logControl.level }),
  );

  catalog.add(
    app,
    {
      method: 'PUT',
      url: '/log-level',
      summary: 'Change the log level of the engine and every pipeline at once',
      tag: 'system',
      body: { schema: REQUEST_SCHEMAS.logLevel() },
      responses: { 200: { description: 'The new level.', schema: 'LogLevel' }, 400: { description: 'Unknown level.', schema: 'Error' } },
    },
    async (request) => {
      const { level } = parseRequest(logLevelBody, request.body, 'body');
      logControl.set(level);
      return { level };
    },
  );

  catalog.add(
    app,
    { method: 'GET', url: '/openapi.json', summary: 'This API as an OpenAPI 3.1 document', tag: 'system', responses: { 200: { description: 'The document.', schema: { type: 'object' } } } },
    async (_request, reply) => {
      // Sent as a string so the redacting serializer does not mask schema keys named like secrets.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(buildOpenApi(catalog.routes, ctx.version)));
    },
  );

  const metrics = ctx.metrics;
  if (metrics) {
    catalog.add(
      app,
      { method: 'GET', url: '/metrics', summary: 'Prometheus metrics (text exposition format)', tag: 'system', responses: { 200: { description: 'Metrics.', text: true } } },
      async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()),
    );
  }
};
