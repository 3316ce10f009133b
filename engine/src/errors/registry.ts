/**
 * Every operator-facing error code, in one table (fastify's FST_ERR_* registry is the model).
 * `docs/errors.md` must list exactly these codes; a test keeps the two in lock-step.
 * Retired codes are never reused.
 *
 * kind   — how the engine reacts where it catches the error:
 *          retryable      back off with jitter and try again
 *          non-retryable  fail the operation (and the pipeline if the component gates it)
 *          fatal          stop the pipeline at once; /health turns 503 with the reason
 *          poison         the event, not the system, is at fault: route it to the DLQ
 * remedy — what fixes it: retry | reconnect | resnapshot | dlq | fix-config | fatal
 */
import type { ErrorDefinition } from './definition.js';
import { CONFIG_ERRORS } from './codes/config.js';
import { PIPELINE_ERRORS } from './codes/pipeline.js';
import { CHECKPOINT_ERRORS } from './codes/checkpoint.js';
import { SOURCE_ERRORS } from './codes/source.js';
import { SINK_ERRORS } from './codes/sink.js';
import { DLQ_ERRORS } from './codes/dlq.js';
import { MYSQL_ERRORS } from './codes/mysql.js';
import { POSTGRES_ERRORS } from './codes/postgres.js';
import { KAFKA_ERRORS } from './codes/kafka.js';
import { REDIS_ERRORS } from './codes/redis.js';
import { NATS_ERRORS } from './codes/nats.js';
import { HTTP_ERRORS } from './codes/http.js';
import { PROCESSOR_ERRORS } from './codes/processor.js';
import { SCHEMA_ERRORS } from './codes/schema.js';

export type { ErrorDefinition, ErrorKind, Remedy } from './definition.js';

/** Each area keeps its codes in `codes/<area>.ts`; add a file and one line here. */
export const ERROR_CODES = {
  ...CONFIG_ERRORS,
  ...PIPELINE_ERRORS,
  ...CHECKPOINT_ERRORS,
  ...SOURCE_ERRORS,
  ...SINK_ERRORS,
  ...DLQ_ERRORS,
  ...MYSQL_ERRORS,
  ...POSTGRES_ERRORS,
  ...KAFKA_ERRORS,
  ...REDIS_ERRORS,
  ...NATS_ERRORS,
  ...HTTP_ERRORS,
  ...PROCESSOR_ERRORS,
  ...SCHEMA_ERRORS,
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * Codes registered ahead of the code that raises them, each with the reason. A test checks that
 * every other code is raised somewhere in engine/src, and that these are not (yet).
 */
export const RESERVED_CODES: Readonly<Partial<Record<ErrorCode, string>>> = {};
