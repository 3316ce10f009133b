import type { ErrorDefinition } from '../definition.js';

export const HTTP_ERRORS = {
  TIDEMARK_ERR_HTTP_SERVER_ERROR: { kind: 'retryable', remedy: 'retry', help: 'The endpoint answered 5xx. The batch is retried with backoff; nothing advances until it succeeds.' },
  TIDEMARK_ERR_HTTP_THROTTLED: { kind: 'retryable', remedy: 'retry', help: 'The endpoint answered 408 or 429. The retry waits at least its Retry-After.' },
  TIDEMARK_ERR_HTTP_REJECTED: { kind: 'non-retryable', remedy: 'fix-config', help: 'The endpoint answered a 4xx other than 401/403/408/429 (e.g. 400, 404, 422). Retrying cannot fix it: fix the url, method, headers or the receiver, then restart.' },
} as const satisfies Record<string, ErrorDefinition>;
