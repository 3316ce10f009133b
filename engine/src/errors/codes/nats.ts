import type { ErrorDefinition } from '../definition.js';

export const NATS_ERRORS = {
  TIDEMARK_ERR_NATS_STREAM_NOT_FOUND: { kind: 'non-retryable', remedy: 'fix-config', help: 'The JetStream stream named in the sink config does not exist. Create it, or set create_stream: true.' },
  TIDEMARK_ERR_NATS_JETSTREAM_DISABLED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The NATS server (or account) has JetStream disabled. Start nats-server with -js or enable JetStream for the account.' },
  TIDEMARK_ERR_NATS_STORAGE_FULL: { kind: 'retryable', remedy: 'retry', help: 'JetStream refused the message for lack of resources or stream limits (discard: new). Raise the limits or free storage; the batch is retried.' },
  TIDEMARK_ERR_NATS_NO_RESPONDERS: { kind: 'retryable', remedy: 'retry', help: 'No JetStream stream answered for the subject: JetStream is (re)starting, or no stream captures it. Configure `stream` so subjects are checked up front; the batch is retried.' },
} as const satisfies Record<string, ErrorDefinition>;
