import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ApiContext } from '../context.js';
import { dlqReader, type DlqReader } from '../dlq-reader.js';
import { ApiError } from '../errors.js';
import { ackBody, dlqQuery, REQUEST_SCHEMAS } from '../schemas.js';
import { parseRequest } from '../validation.js';
import { pipelineName } from './pipelines.js';

const missing = { description: 'No such pipeline (PIPELINE_NOT_FOUND) or it has no DLQ journal (DLQ_NOT_ENABLED).', schema: 'Error' };
const count = (key: string) => ({ type: 'object', properties: { [key]: { type: 'integer' } }, required: [key] });

/** The dead letter queue of a pipeline whose spec enables `journal`. */
export const dlqRoutes: FastifyPluginAsync<ApiContext> = async (app, ctx) => {
  const { manager, catalog } = ctx;

  const journalOf = (request: FastifyRequest): DlqReader => {
    const pipeline = manager.require(pipelineName(request));
    const reader = dlqReader(pipeline);
    if (!reader) throw new ApiError('DLQ_NOT_ENABLED', `pipeline ${pipeline.name} has no DLQ journal: set spec.journal.enabled: true (PATCH) to route poison events to one`);
    return reader;
  };

  catalog.add(
    app,
    {
      method: 'GET',
      url: '/pipelines/:name/journal/dlq',
      summary: 'Peek DLQ entries, oldest first',
      tag: 'dlq',
      query: [
        { name: 'limit', schema: { type: 'integer', minimum: 0, maximum: 1000, default: 50 }, description: 'At most this many entries.' },
        { name: 'sink_id', schema: { type: 'string' }, description: 'Only entries of this sink.' },
        { name: 'error_kind', schema: { type: 'string' }, description: 'Only this kind: serialization, routing, too_large, ...' },
      ],
      responses: { 200: { description: 'Entries.', schema: { type: 'array', items: { $ref: '#/components/schemas/DlqEntry' } } }, 400: { description: 'Bad query.', schema: 'Error' }, 404: missing },
    },
    async (request) => {
      const journal = journalOf(request);
      const q = parseRequest(dlqQuery, request.query, 'query');
      return journal.peek({ limit: q.limit, sinkId: q.sink_id, errorKind: q.error_kind });
    },
  );

  catalog.add(
    app,
    { method: 'GET', url: '/pipelines/:name/journal/dlq/count', summary: 'Number of unacked DLQ entries', tag: 'dlq', responses: { 200: { description: 'Count.', schema: count('count') }, 404: missing } },
    async (request) => ({ count: await journalOf(request).count() }),
  );

  catalog.add(
    app,
    {
      method: 'POST',
      url: '/pipelines/:name/journal/dlq/ack',
      summary: 'Remove every entry up to and including up_to_seq (cumulative from the head, whatever the filters)',
      tag: 'dlq',
      body: { schema: REQUEST_SCHEMAS.ack() },
      responses: { 200: { description: 'How many entries were removed.', schema: count('acked') }, 400: { description: 'Bad body.', schema: 'Error' }, 404: missing },
    },
    async (request) => {
      const journal = journalOf(request);
      const { up_to_seq } = parseRequest(ackBody, request.body, 'body');
      return { acked: await journal.ack(up_to_seq) };
    },
  );

  catalog.add(
    app,
    { method: 'DELETE', url: '/pipelines/:name/journal/dlq', summary: 'Purge every DLQ entry', tag: 'dlq', responses: { 200: { description: 'How many entries were removed.', schema: count('purged') }, 404: missing } },
    async (request) => ({ purged: await journalOf(request).purge() }),
  );
};
