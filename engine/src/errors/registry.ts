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
export type ErrorKind = 'retryable' | 'non-retryable' | 'fatal' | 'poison';
export type Remedy = 'retry' | 'reconnect' | 'resnapshot' | 'dlq' | 'fix-config' | 'fatal';

export interface ErrorDefinition {
  readonly kind: ErrorKind;
  readonly remedy: Remedy;
  /** One line for docs/errors.md: what it means and how to solve it. */
  readonly help: string;
}

export const ERROR_CODES = {
  // Config
  TIDEMARK_ERR_CONFIG_NOT_FOUND: { kind: 'non-retryable', remedy: 'fix-config', help: 'The --config path does not exist or holds no .yaml/.yml file. Point --config at a pipeline file or a directory of them.' },
  TIDEMARK_ERR_CONFIG_PARSE: { kind: 'non-retryable', remedy: 'fix-config', help: 'The file is not valid YAML. The message gives the line and column.' },
  TIDEMARK_ERR_CONFIG_INVALID: { kind: 'non-retryable', remedy: 'fix-config', help: 'A field is missing, unknown or has a bad value. The message names the file, the YAML path and the reason.' },
  TIDEMARK_ERR_CONFIG_DUPLICATE: { kind: 'non-retryable', remedy: 'fix-config', help: 'Two pipelines share metadata.name, or two sinks in one pipeline share an id. Names and sink ids must be unique.' },
  TIDEMARK_ERR_CONFIG_UNSUPPORTED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The spec is valid but asks for a component this build does not provide. Remove it or use a supported type.' },

  // Pipeline / coordinator
  TIDEMARK_ERR_PIPELINE_FAILED: { kind: 'fatal', remedy: 'fatal', help: 'The pipeline stopped after a fatal or non-retryable error; the reason is attached. Fix the cause, then resume or restart the pipeline.' },
  TIDEMARK_ERR_PIPELINE_POISON_NO_DLQ: { kind: 'non-retryable', remedy: 'fix-config', help: 'A sink rejected an event as poison (serialisation, routing, size) and no DLQ journal is enabled. Enable spec.journal or fix the event/template; nothing was skipped.' },

  // Checkpoints
  TIDEMARK_ERR_CHECKPOINT_IO: { kind: 'fatal', remedy: 'fatal', help: 'The checkpoint store could not be read or written (disk full, permissions, corrupt file). Fix the data directory; delivery stops so no position is lost.' },

  // Sources (generic)
  TIDEMARK_ERR_SOURCE_CONNECT: { kind: 'retryable', remedy: 'reconnect', help: 'The source database could not be reached or dropped the connection. The engine reconnects with backoff.' },
  TIDEMARK_ERR_SOURCE_AUTH: { kind: 'non-retryable', remedy: 'fix-config', help: 'The source rejected the credentials or lacks a privilege (REPLICATION, REPLICATION SLAVE/CLIENT, SELECT). Grant it or fix the DSN.' },
  TIDEMARK_ERR_SOURCE_MISCONFIGURED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The source server is not set up for CDC (binlog off or not ROW; wal_level not logical). The message says which setting to change.' },
  TIDEMARK_ERR_SOURCE_POSITION_LOST: { kind: 'fatal', remedy: 'resnapshot', help: 'The checkpointed position no longer exists on the server (binlog purged, RESET MASTER, slot dropped or invalidated, failover to a server without our position). Re-snapshot required.' },
  TIDEMARK_ERR_SOURCE_SCHEMA_DRIFT: { kind: 'fatal', remedy: 'fix-config', help: 'After a server change the table schemas differ from the stored ones and on_schema_drift is halt. Inspect the drift, then set adapt or re-snapshot.' },
  TIDEMARK_ERR_SOURCE_DECODE: { kind: 'non-retryable', remedy: 'fatal', help: 'A change could not be decoded from the replication stream. Report it with the position in the message.' },
  TIDEMARK_ERR_SOURCE_TABLE_MISSING: { kind: 'non-retryable', remedy: 'fix-config', help: 'A table named in source.tables does not exist. Fix the pattern or create the table.' },

  // Sinks (generic)
  TIDEMARK_ERR_SINK_UNAVAILABLE: { kind: 'retryable', remedy: 'retry', help: 'The sink could not be reached or timed out. The batch is retried with backoff; nothing advances until it is acknowledged.' },
  TIDEMARK_ERR_SINK_REJECTED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The sink refused the batch for a reason retrying cannot fix (4xx, unknown topic, bad request). Fix the sink configuration.' },
  TIDEMARK_ERR_SINK_AUTH: { kind: 'non-retryable', remedy: 'fix-config', help: 'The sink rejected the credentials. Fix them in the sink config.' },
  TIDEMARK_ERR_SINK_FENCED: { kind: 'fatal', remedy: 'fatal', help: 'Another producer with the same transactional id took over (Kafka producer fenced). Make sure only one engine runs this pipeline.' },
  TIDEMARK_ERR_SINK_SERIALIZATION: { kind: 'poison', remedy: 'dlq', help: 'One event could not be encoded. It goes to the DLQ when the journal is enabled; the rest of the batch is delivered.' },
  TIDEMARK_ERR_SINK_ROUTING: { kind: 'poison', remedy: 'dlq', help: 'A routing template (topic, stream, subject, key, url) resolved to an empty or invalid value for one event.' },
  TIDEMARK_ERR_SINK_TOO_LARGE: { kind: 'poison', remedy: 'dlq', help: 'One event exceeds the sink\'s maximum message size.' },

  // Journal / DLQ
  TIDEMARK_ERR_DLQ_FULL: { kind: 'retryable', remedy: 'retry', help: 'The DLQ is full and overflow_policy is block. Ack entries through the API to make room.' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERROR_CODES;
