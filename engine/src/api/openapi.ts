import { COMPONENT_SCHEMAS } from './schemas.js';
import { API_ERRORS } from './errors.js';
import type { RouteDoc } from './route-catalog.js';

type Json = Record<string, unknown>;

/** Fastify's `/pipelines/:name` as OpenAPI's `/pipelines/{name}`. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function schemaRef(schema: Json | string): Json {
  return typeof schema === 'string' ? { $ref: `#/components/schemas/${schema}` } : schema;
}

function operation(doc: RouteDoc): Json {
  const params = [...openApiPath(doc.url).matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = (doc.query ?? []).map((q) => ({
    name: q.name,
    in: 'query',
    required: false,
    description: q.description,
    schema: q.array ? { type: 'array', items: q.schema } : q.schema,
    ...(q.array ? { style: 'form', explode: true } : {}),
  }));
  const responses: Json = {};
  for (const [status, r] of Object.entries(doc.responses)) {
    const content = r.text ? { 'text/plain': { schema: { type: 'string' } } } : r.schema ? { 'application/json': { schema: schemaRef(r.schema) } } : undefined;
    responses[status] = { description: r.description, ...(content ? { content } : {}) };
  }
  if (!doc.public) responses['401'] = { description: API_ERRORS.UNAUTHORIZED.help, content: { 'application/json': { schema: schemaRef('Error') } } };
  responses['500'] ??= { description: API_ERRORS.INTERNAL_ERROR.help, content: { 'application/json': { schema: schemaRef('Error') } } };
  return {
    summary: doc.summary,
    tags: [doc.tag],
    operationId: `${doc.method.toLowerCase()}${openApiPath(doc.url).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(doc.public ? { security: [] } : {}),
    ...(params.length + query.length > 0 ? { parameters: [...params, ...query] } : {}),
    ...(doc.body ? { requestBody: { required: doc.body.required ?? true, description: doc.body.description, content: { 'application/json': { schema: doc.body.schema } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of every route in the catalogue. */
export function buildOpenApi(routes: readonly RouteDoc[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const doc of routes) {
    const path = openApiPath(doc.url);
    paths[path] = { ...(paths[path] ?? {}), [doc.method.toLowerCase()]: operation(doc) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Tidemark control plane',
      version,
      description: 'Manage pipelines, inspect checkpoints, schemas and the DLQ. Errors are {code, message[, problems]}; codes: ' + Object.keys(API_ERRORS).join(', ') + '.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required on every route except /health and /ready when the engine runs with --api-token or TIDEMARK_API_TOKEN.' } },
      schemas: COMPONENT_SCHEMAS,
    },
    security: [{ bearer: [] }],
    paths,
  };
}
