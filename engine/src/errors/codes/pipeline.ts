import type { ErrorDefinition } from '../definition.js';

export const PIPELINE_ERRORS = {
  TIDEMARK_ERR_PIPELINE_FAILED: { kind: 'fatal', remedy: 'fatal', help: 'The pipeline stopped after a fatal or non-retryable error; the reason is attached. Fix the cause, then resume or restart the pipeline.' },
  TIDEMARK_ERR_PIPELINE_POISON_NO_DLQ: { kind: 'non-retryable', remedy: 'fix-config', help: 'A sink rejected an event as poison (serialisation, routing, size) and no DLQ journal is enabled. Enable spec.journal or fix the event/template; nothing was skipped.' },
} as const satisfies Record<string, ErrorDefinition>;
