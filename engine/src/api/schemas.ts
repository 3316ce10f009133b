import { z } from 'zod';
import { pipelineSpec } from '../config/index.js';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import { SENSING_SCHEMAS } from './sensing-schemas.js';

/** Request schemas (validated with zod) and the JSON Schemas the OpenAPI document shows. */

const nonNegativeInt = (what: string) => z.coerce.number({ error: `expected ${what}` }).int({ error: `expected ${what}` }).nonnegative({ error: `expected ${what}` });

export const labelQuery = z.strictObject({
  label: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
});

export const dlqQuery = z.strictObject({
  limit: nonNegativeInt('an integer between 0 and 1000').max(1000, { error: 'expected at most 1000' }).default(50),
  sink_id: z.string().min(1).optional(),
  error_kind: z.string().min(1).optional(),
});

export const ackBody = z.strictObject({ up_to_seq: z.number({ error: 'expected a sequence number' }).int().nonnegative() });

export const logLevelBody = z.strictObject({
  level: z.enum(LOG_LEVELS as unknown as [LogLevel, ...LogLevel[]], { error: `expected one of ${LOG_LEVELS.join(', ')}` }),
});

export const nameParams = z.object({ name: z.string() });

type JsonSchema = Record<string, unknown>;

function toJson(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** A pipeline document as POST /pipelines takes it: apiVersion and kind may be left out. */
export function pipelineDocumentSchema(): JsonSchema {
  const schema = toJson(pipelineSpec);
  schema.required = (schema.required as string[]).filter((k) => k !== 'apiVersion' && k !== 'kind');
  return schema;
}

export const REQUEST_SCHEMAS = {
  ack: () => toJson(ackBody),
  logLevel: () => toJson(logLevelBody),
};

const failure = {
  type: ['object', 'null'],
  properties: { code: { type: 'string' }, kind: { type: 'string' }, remedy: { type: 'string' }, message: { type: 'string' } },
};

const checkpoint = {
  type: 'object',
  properties: {
    sink_id: { type: 'string' },
    required: { type: 'boolean' },
    position: { type: ['object', 'null'], description: 'Source position the sink has durably received (format depends on the source).' },
    updated_at: { type: ['string', 'null'], format: 'date-time' },
    age_seconds: { type: ['number', 'null'] },
    backlog_batches: { type: 'integer' },
    detached: { type: 'boolean' },
  },
  required: ['sink_id', 'position', 'age_seconds'],
};

const pipeInfo = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    tenant: { type: 'string' },
    status: { type: 'string', enum: ['starting', 'running', 'paused', 'stopping', 'stopped', 'failed'] },
    desired: { type: 'string', enum: ['running', 'paused', 'stopped'] },
    origin: { type: 'string', enum: ['api', 'config'] },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    spec: { type: 'object', description: 'The live pipeline spec with defaults applied and secrets masked.' },
    failure,
    last_error: { ...failure, description: 'The retryable error behind an automatic restart while status is starting.' },
    ops: {
      type: 'object',
      description: 'Only on GET /pipelines/{name}.',
      properties: {
        uptime_seconds: { type: ['number', 'null'] },
        lag_seconds: { type: ['number', 'null'] },
        dlq_entries: { type: ['integer', 'null'] },
        dlq_rejected: { type: ['integer', 'null'], description: 'Poison events lost since the DLQ journal opened because it was full (overflow_policy reject); null without a journal.' },
        sink_errors: { type: 'object', additionalProperties: { type: 'integer' } },
        sink_events: { type: 'object', additionalProperties: { type: 'integer' } },
        checkpoints: { type: 'array', items: { $ref: '#/components/schemas/Checkpoint' } },
      },
    },
  },
  required: ['name', 'status', 'spec'],
};

export const COMPONENT_SCHEMAS: Record<string, JsonSchema> = {
  Error: {
    type: 'object',
    properties: {
      code: { type: 'string', examples: ['PIPELINE_NOT_FOUND'] },
      message: { type: 'string' },
      problems: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, reason: { type: 'string' } }, required: ['path', 'reason'] } },
    },
    required: ['code', 'message'],
  },
  PipeInfo: pipeInfo,
  Checkpoint: checkpoint,
  Health: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['healthy', 'unhealthy'] },
      pipelines: { type: 'integer' },
      failed_pipelines: { type: 'array', items: { type: 'string' } },
      failures: { type: 'array', items: { type: 'object', properties: { pipeline: { type: 'string' }, code: { type: 'string' }, reason: { type: 'string' } } } },
      degraded: {
        type: 'array',
        items: { type: 'object', properties: { pipeline: { type: 'string' }, code: { type: 'string', examples: ['TIDEMARK_ERR_DLQ_FULL'] }, reason: { type: 'string' }, rejected: { type: 'integer' } }, required: ['pipeline', 'code', 'reason'] },
      },
    },
    required: ['status', 'pipelines'],
  },
  Ready: {
    type: 'object',
    properties: { status: { type: 'string', enum: ['ready', 'not_ready'] }, pipelines: { type: 'array', items: { $ref: '#/components/schemas/PipeInfo' } } },
    required: ['status', 'pipelines'],
  },
  DlqEntry: {
    type: 'object',
    description: 'One poison event with its error (see docs/api.md).',
    properties: { seq: { type: 'integer' }, timestamp: { type: 'integer' }, pipeline: { type: 'string' }, event_id: { type: 'string' }, source_cursor: { type: 'object' }, payload_truncated: { type: 'boolean' }, event: { type: 'object' }, meta: { type: 'object' } },
    required: ['seq'],
  },
  SchemaRecord: {
    type: 'object',
    description: 'A table schema the source registered (see docs/api.md).',
    properties: {
      database: { type: 'string' },
      table: { type: 'string' },
      column_count: { type: 'integer' },
      primary_key: { type: 'array', items: { type: 'string' } },
      fingerprint: { type: ['string', 'null'], examples: ['sha256:a1b2...'] },
      registry_version: { type: ['integer', 'null'] },
      updated_at: { type: ['string', 'null'], format: 'date-time' },
      columns: { type: 'array', items: { type: 'object' }, description: 'Only on the single-table route.' },
    },
    required: ['database', 'table', 'fingerprint'],
  },
  Validation: {
    type: 'object',
    properties: { valid: { type: 'boolean' }, pipeline: { type: 'string' }, source_type: { type: 'string' }, sink_count: { type: 'integer' }, problems: { type: 'array', items: { type: 'object' } } },
    required: ['valid'],
  },
  LogLevel: { type: 'object', properties: { level: { type: 'string', enum: [...LOG_LEVELS] } }, required: ['level'] },
  ...SENSING_SCHEMAS,
};
