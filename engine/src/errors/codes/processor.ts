import type { ErrorDefinition } from '../definition.js';

/**
 * Processor failures. The per-batch ones are `poison`: the batch, not the system, is at fault, so
 * with `spec.journal` enabled its events go to the DLQ and the pipeline moves on; without it the
 * pipeline stops with the error (re-classified non-retryable: running the batch again fails again).
 */
export const PROCESSOR_ERRORS = {
  TIDEMARK_ERR_PROCESSOR_LIMIT: { kind: 'poison', remedy: 'dlq', help: 'A javascript processor went over limits.cpu_ms, limits.mem_mb or limits.timeout_ms on a batch and was stopped; none of the batch was applied. Fix the script (a loop that never ends, unbounded allocation) or raise the limit; with spec.journal enabled the batch\'s events are in the DLQ.' },
  TIDEMARK_ERR_PROCESSOR_SCRIPT: { kind: 'poison', remedy: 'dlq', help: 'A javascript processor threw, or returned something other than a list of its input events (the message says what). Fix the script; with spec.journal enabled the batch\'s events are in the DLQ.' },
  TIDEMARK_ERR_PROCESSOR_COMPILE: { kind: 'non-retryable', remedy: 'fix-config', help: 'A javascript processor\'s script does not compile, cannot be read, or defines neither processBatch(events), process(events) nor processEvent(event). Fix the script named in the message.' },
  TIDEMARK_ERR_PROCESSOR_RUNTIME: { kind: 'non-retryable', remedy: 'fix-config', help: 'The javascript processor cannot run in this Node.js process: isolated-vm is missing, or Node 20+ was started without --no-node-snapshot. Start the engine with `tidemark` (its launcher passes the flag) or add the flag.' },
  TIDEMARK_ERR_PROCESSOR_OUTBOX: { kind: 'poison', remedy: 'dlq', help: 'An outbox processor with strict: true met an outbox row without a required field (payload, aggregate_type, aggregate_id, event_type, topic); the message names the fields. Fix the rows or the columns mapping.' },
  TIDEMARK_ERR_PROCESSOR_FLATTEN_COLLISION: { kind: 'poison', remedy: 'dlq', help: 'A flatten processor with on_collision: error produced the same key from two paths (e.g. "a__b" next to {"a": {"b": ...}}). Choose another separator or on_collision policy.' },
  TIDEMARK_ERR_PROCESSOR_CONTRACT: { kind: 'fatal', remedy: 'fatal', help: 'A processor returned an event that does not come from its input (unknown transaction id/index). This is a bug in the processor; the pipeline stops so no position is skipped.' },
} as const satisfies Record<string, ErrorDefinition>;
