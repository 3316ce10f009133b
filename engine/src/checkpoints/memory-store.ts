import type { Position } from '../event/index.js';
import type { Checkpoint, CheckpointBackend, CheckpointStore, KeyValueStore } from './checkpoint-store.js';

interface PipelineState {
  checkpoints: Map<string, Checkpoint>;
  kv: Map<string, Map<string, string>>;
}

/** In-process only: everything is lost with the process. For tests and benchmarks. */
export class MemoryCheckpointBackend implements CheckpointBackend {
  readonly kind = 'memory' as const;
  private readonly pipelines = new Map<string, PipelineState>();

  forPipeline(pipeline: string): CheckpointStore {
    let state = this.pipelines.get(pipeline);
    if (!state) {
      state = { checkpoints: new Map(), kv: new Map() };
      this.pipelines.set(pipeline, state);
    }
    return new MemoryCheckpointStore(state);
  }

  async dropPipeline(pipeline: string): Promise<void> {
    this.pipelines.delete(pipeline);
  }

  async close(): Promise<void> {}
}

class MemoryCheckpointStore implements CheckpointStore {
  readonly kv: KeyValueStore;
  constructor(private readonly state: PipelineState) {
    this.kv = new MemoryKv(state.kv);
  }
  async load(key: string): Promise<Checkpoint | null> {
    return this.state.checkpoints.get(key) ?? null;
  }
  async loadAll(): Promise<Map<string, Checkpoint>> {
    return new Map(this.state.checkpoints);
  }
  async save(entries: ReadonlyArray<{ key: string; position: Position }>): Promise<void> {
    const updatedAt = Date.now();
    // Copy through JSON so a caller mutating its object later cannot change what is "stored".
    for (const e of entries) this.state.checkpoints.set(e.key, { position: JSON.parse(JSON.stringify(e.position)), updatedAt });
  }
  async remove(key: string): Promise<void> {
    this.state.checkpoints.delete(key);
  }
}

class MemoryKv implements KeyValueStore {
  constructor(private readonly spaces: Map<string, Map<string, string>>) {}
  private space(ns: string): Map<string, string> {
    let s = this.spaces.get(ns);
    if (!s) this.spaces.set(ns, (s = new Map()));
    return s;
  }
  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const v = this.spaces.get(ns)?.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async put(ns: string, key: string, value: unknown): Promise<void> {
    this.space(ns).set(key, JSON.stringify(value));
  }
  async delete(ns: string, key: string): Promise<void> {
    this.spaces.get(ns)?.delete(key);
  }
  async list<T>(ns: string): Promise<Array<{ key: string; value: T }>> {
    return [...(this.spaces.get(ns) ?? new Map<string, string>())]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, v]) => ({ key, value: JSON.parse(v) as T }));
  }
}
