import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TidemarkError } from '../errors/index.js';
import type { Position } from '../event/index.js';
import type { Checkpoint, CheckpointBackend, CheckpointStore, KeyValueStore } from './checkpoint-store.js';

interface FileState {
  checkpoints: Record<string, Checkpoint>;
  kv: Record<string, Record<string, unknown>>;
}

/**
 * One JSON file per pipeline, replaced atomically: write a temp file, fsync it, rename over
 * the old one, fsync the directory. A crash leaves either the old or the new file, never half.
 */
export class FileCheckpointBackend implements CheckpointBackend {
  readonly kind = 'file' as const;
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  forPipeline(pipeline: string): CheckpointStore {
    return new FileCheckpointStore(join(this.dir, `${encodeURIComponent(pipeline)}.json`), this.dir);
  }
  async dropPipeline(pipeline: string): Promise<void> {
    rmSync(join(this.dir, `${encodeURIComponent(pipeline)}.json`), { force: true });
  }
  async close(): Promise<void> {}
}

class FileCheckpointStore implements CheckpointStore {
  readonly kv: KeyValueStore;
  private state: FileState;
  // Writes are serialised: two concurrent saves must not interleave their read-modify-write.
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly file: string, private readonly dir: string) {
    this.state = this.read();
    const self = this;
    this.kv = {
      async get<T>(ns: string, key: string) {
        return self.state.kv[ns]?.[key] as T | undefined;
      },
      put: (ns, key, value) => this.mutate((s) => void ((s.kv[ns] ??= {})[key] = JSON.parse(JSON.stringify(value)))),
      delete: (ns, key) => this.mutate((s) => void delete s.kv[ns]?.[key]),
      async list<T>(ns: string) {
        return Object.entries(self.state.kv[ns] ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => ({ key, value: value as T }));
      },
    };
  }

  async load(key: string): Promise<Checkpoint | null> {
    return this.state.checkpoints[key] ?? null;
  }
  async loadAll(): Promise<Map<string, Checkpoint>> {
    return new Map(Object.entries(this.state.checkpoints));
  }
  save(entries: ReadonlyArray<{ key: string; position: Position }>): Promise<void> {
    const updatedAt = Date.now();
    return this.mutate((s) => {
      for (const e of entries) s.checkpoints[e.key] = { position: JSON.parse(JSON.stringify(e.position)), updatedAt };
    });
  }
  remove(key: string): Promise<void> {
    return this.mutate((s) => void delete s.checkpoints[key]);
  }

  private mutate(change: (s: FileState) => void): Promise<void> {
    const run = this.chain.then(() => {
      const next: FileState = JSON.parse(JSON.stringify(this.state));
      change(next);
      this.write(next);
      this.state = next;
    });
    this.chain = run.catch(() => {});
    return run;
  }

  private read(): FileState {
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as FileState;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: {}, kv: {} };
      throw new TidemarkError('TIDEMARK_ERR_CHECKPOINT_IO', `cannot read checkpoint file ${this.file}: ${(e as Error).message}`, { cause: e, context: { path: this.file } });
    }
  }

  private write(state: FileState): void {
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, JSON.stringify(state));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      const dirFd = openSync(this.dir, 'r');
      try {
        fsyncSync(dirFd);
      } finally {
        closeSync(dirFd);
      }
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_CHECKPOINT_IO', `cannot write checkpoint file ${this.file}: ${(e as Error).message}`, { cause: e, context: { path: this.file } });
    }
  }
}
