import type { Position } from '../event/index.js';

export interface Checkpoint {
  readonly position: Position;
  /** ms since the Unix epoch when it was saved. */
  readonly updatedAt: number;
}

/** Checkpoint key of one sink: `{source_id}::sink::{sink_id}`. */
export function sinkCheckpointKey(sourceId: string, sinkId: string): string {
  return `${sourceId}::sink::${sinkId}`;
}

/** Small durable records beside the checkpoints: server identity, schema registry, snapshot progress. */
export interface KeyValueStore {
  get<T = unknown>(namespace: string, key: string): Promise<T | undefined>;
  put(namespace: string, key: string, value: unknown): Promise<void>;
  delete(namespace: string, key: string): Promise<void>;
  /** Entries of a namespace ordered by key (binary order). */
  list<T = unknown>(namespace: string): Promise<Array<{ key: string; value: T }>>;
}

/** The checkpoints of one pipeline. */
export interface CheckpointStore {
  load(key: string): Promise<Checkpoint | null>;
  loadAll(): Promise<Map<string, Checkpoint>>;
  /** Saves all entries atomically: after a crash either all or none are visible. */
  save(entries: ReadonlyArray<{ key: string; position: Position }>): Promise<void>;
  remove(key: string): Promise<void>;
  readonly kv: KeyValueStore;
}

/** One storage backend (a SQLite file, a directory, memory) holding many pipelines' stores. */
export interface CheckpointBackend {
  readonly kind: 'sqlite' | 'file' | 'memory';
  forPipeline(pipeline: string): CheckpointStore;
  /** Removes every record of a pipeline (used when a pipeline is deleted). */
  dropPipeline(pipeline: string): Promise<void>;
  close(): Promise<void>;
}
