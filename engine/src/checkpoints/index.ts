export * from './checkpoint-store.js';
export { MemoryCheckpointBackend } from './memory-store.js';
export { FileCheckpointBackend } from './file-store.js';
export { SqliteCheckpointBackend } from './sqlite-store.js';
import { join } from 'node:path';
import type { CheckpointBackend } from './checkpoint-store.js';
import { MemoryCheckpointBackend } from './memory-store.js';
import { FileCheckpointBackend } from './file-store.js';
import { SqliteCheckpointBackend } from './sqlite-store.js';

export type CheckpointBackendKind = CheckpointBackend['kind'];

/** The backend for `--checkpoints` under `--data-dir`. */
export function openCheckpointBackend(kind: CheckpointBackendKind, dataDir: string): CheckpointBackend {
  switch (kind) {
    case 'sqlite':
      return new SqliteCheckpointBackend(join(dataDir, 'checkpoints.db'));
    case 'file':
      return new FileCheckpointBackend(join(dataDir, 'checkpoints'));
    case 'memory':
      return new MemoryCheckpointBackend();
  }
}
