import type { ErrorDefinition } from '../definition.js';

export const CHECKPOINT_ERRORS = {
  TIDEMARK_ERR_CHECKPOINT_IO: { kind: 'fatal', remedy: 'fatal', help: 'The checkpoint store could not be read or written (disk full, permissions, corrupt file). Fix the data directory; delivery stops so no position is lost.' },
} as const satisfies Record<string, ErrorDefinition>;
