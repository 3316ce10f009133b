import type { ChangeEvent } from './change-event.js';
import { idempotencyKey } from './idempotency.js';

/**
 * Metadata every sink attaches next to the payload (Kafka/NATS/HTTP headers, Redis fields):
 * the stable event id, the idempotency key and the source transaction, so consumers (and the
 * chaos harness) can deduplicate and see transaction boundaries without parsing envelopes.
 */
export function eventHeaders(event: ChangeEvent, tenant: string): Record<string, string> {
  return {
    'tidemark-event-id': event.id,
    'tidemark-idempotency-key': idempotencyKey(tenant, event),
    'tidemark-tx-id': event.tx.id,
    'tidemark-tx-index': String(event.tx.index),
    'tidemark-tx-end': event.tx.end ? '1' : '0',
    'tidemark-op': event.op,
    'tidemark-table': `${event.source.db}.${event.source.table}`,
  };
}
