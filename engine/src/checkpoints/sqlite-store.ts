import type Database from 'better-sqlite3';
import { TidemarkError } from '../errors/index.js';
import { openDurableSqlite } from '../util/durable-sqlite.js';
import type { Position } from '../event/index.js';
import type { Checkpoint, CheckpointBackend, CheckpointStore, KeyValueStore } from './checkpoint-store.js';

/**
 * The default store. WAL journal with synchronous=FULL: a committed save survives SIGKILL and
 * power loss, which matters because a Postgres slot is advanced right after a save.
 */
export class SqliteCheckpointBackend implements CheckpointBackend {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(readonly path: string) {
    try {
      this.db = openDurableSqlite(path);
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS checkpoints (
          pipeline TEXT NOT NULL, key TEXT NOT NULL, position TEXT NOT NULL, updated_at INTEGER NOT NULL,
          PRIMARY KEY (pipeline, key));
        CREATE TABLE IF NOT EXISTS kv (
          pipeline TEXT NOT NULL, ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
          PRIMARY KEY (pipeline, ns, key));`);
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_CHECKPOINT_IO', `cannot open checkpoint database ${path}: ${(e as Error).message}`, { cause: e, context: { path } });
    }
    this.stmts = {
      load: this.db.prepare<[string, string], { position: string; updated_at: number }>('SELECT position, updated_at FROM checkpoints WHERE pipeline = ? AND key = ?'),
      loadAll: this.db.prepare<[string], { key: string; position: string; updated_at: number }>('SELECT key, position, updated_at FROM checkpoints WHERE pipeline = ?'),
      upsert: this.db.prepare('INSERT INTO checkpoints (pipeline, key, position, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (pipeline, key) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at'),
      remove: this.db.prepare('DELETE FROM checkpoints WHERE pipeline = ? AND key = ?'),
      kvGet: this.db.prepare<[string, string, string], { value: string }>('SELECT value FROM kv WHERE pipeline = ? AND ns = ? AND key = ?'),
      kvPut: this.db.prepare('INSERT INTO kv (pipeline, ns, key, value) VALUES (?, ?, ?, ?) ON CONFLICT (pipeline, ns, key) DO UPDATE SET value = excluded.value'),
      kvDelete: this.db.prepare('DELETE FROM kv WHERE pipeline = ? AND ns = ? AND key = ?'),
      kvList: this.db.prepare<[string, string], { key: string; value: string }>('SELECT key, value FROM kv WHERE pipeline = ? AND ns = ? ORDER BY key'),
      dropCheckpoints: this.db.prepare('DELETE FROM checkpoints WHERE pipeline = ?'),
      dropKv: this.db.prepare('DELETE FROM kv WHERE pipeline = ?'),
    };
  }

  forPipeline(pipeline: string): CheckpointStore {
    return new SqliteCheckpointStore(pipeline, this);
  }

  /** @internal wraps every statement so I/O failures surface as a classified error. */
  run<T>(what: string, fn: (s: typeof this.stmts, db: Database.Database) => T): T {
    try {
      return fn(this.stmts, this.db);
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_CHECKPOINT_IO', `checkpoint store ${this.path}: ${what} failed: ${(e as Error).message}`, { cause: e, context: { path: this.path } });
    }
  }

  async dropPipeline(pipeline: string): Promise<void> {
    this.run('drop pipeline', (s, db) => db.transaction(() => { s.dropCheckpoints.run(pipeline); s.dropKv.run(pipeline); })());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

class SqliteCheckpointStore implements CheckpointStore {
  readonly kv: KeyValueStore;
  constructor(private readonly pipeline: string, private readonly backend: SqliteCheckpointBackend) {
    this.kv = new SqliteKv(pipeline, backend);
  }
  async load(key: string): Promise<Checkpoint | null> {
    const row = this.backend.run('load', (s) => s.load.get(this.pipeline, key));
    return row ? { position: JSON.parse(row.position) as Position, updatedAt: row.updated_at } : null;
  }
  async loadAll(): Promise<Map<string, Checkpoint>> {
    const rows = this.backend.run('load all', (s) => s.loadAll.all(this.pipeline));
    return new Map(rows.map((r) => [r.key, { position: JSON.parse(r.position) as Position, updatedAt: r.updated_at }]));
  }
  async save(entries: ReadonlyArray<{ key: string; position: Position }>): Promise<void> {
    const now = Date.now();
    this.backend.run('save', (s, db) =>
      db.transaction(() => {
        for (const e of entries) s.upsert.run(this.pipeline, e.key, JSON.stringify(e.position), now);
      })(),
    );
  }
  async remove(key: string): Promise<void> {
    this.backend.run('remove', (s) => s.remove.run(this.pipeline, key));
  }
}

class SqliteKv implements KeyValueStore {
  constructor(private readonly pipeline: string, private readonly backend: SqliteCheckpointBackend) {}
  async get<T>(ns: string, key: string): Promise<T | undefined> {
    const row = this.backend.run('kv get', (s) => s.kvGet.get(this.pipeline, ns, key));
    return row ? (JSON.parse(row.value) as T) : undefined;
  }
  async put(ns: string, key: string, value: unknown): Promise<void> {
    this.backend.run('kv put', (s) => s.kvPut.run(this.pipeline, ns, key, JSON.stringify(value)));
  }
  async delete(ns: string, key: string): Promise<void> {
    this.backend.run('kv delete', (s) => s.kvDelete.run(this.pipeline, ns, key));
  }
  async list<T>(ns: string): Promise<Array<{ key: string; value: T }>> {
    return this.backend.run('kv list', (s) => s.kvList.all(this.pipeline, ns)).map((r) => ({ key: r.key, value: JSON.parse(r.value) as T }));
  }
}
