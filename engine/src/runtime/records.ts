import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { DesiredState } from './pipeline.js';

/**
 * What the API changed about one pipeline, persisted as `<dataDir>/pipelines/<name>.json` so a
 * crash does not lose it (the reference keeps API pipelines in memory only).
 */
export interface PipelineRecord {
  readonly format: 1;
  readonly name: string;
  /** `api`: created through POST. `config`: defined in a --config file and changed through the API. */
  readonly origin: 'api' | 'config';
  /** The document as received (PATCHes merged in), before `${ENV}` expansion and defaults; null when deleted. */
  readonly document: unknown;
  readonly desired: DesiredState;
  /** sha256 of the --config document this record overrides; null for API-created pipelines. */
  readonly base_config_sha256: string | null;
  /** A config pipeline deleted through the API stays deleted while its document is unchanged. */
  readonly deleted: boolean;
  readonly updated_at: string;
}

const recordSchema = z.object({
  format: z.literal(1),
  name: z.string().min(1),
  origin: z.enum(['api', 'config']),
  document: z.unknown(),
  desired: z.enum(['running', 'paused', 'stopped']),
  base_config_sha256: z.string().nullable(),
  deleted: z.boolean(),
  updated_at: z.string(),
});

export class RecordStoreError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`${file}: ${reason}. Fix or delete the file, then start again.`);
    this.name = 'RecordStoreError';
  }
}

/**
 * One JSON file per pipeline, replaced atomically (write to a temp file, fsync, rename, fsync
 * the directory), so after a SIGKILL a file holds either the old or the new record, never a mix.
 * Files are 0600: a document may hold credentials that were not given as `${ENV}` references.
 */
export class PipelineRecordStore {
  constructor(readonly dir: string) {}

  list(): PipelineRecord[] {
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => f.endsWith('.json')).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return files.map((f) => this.read(join(this.dir, f), f.slice(0, -'.json'.length)));
  }

  save(record: PipelineRecord): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const target = this.path(record.name);
    const temp = `${target}.tmp-${process.pid}`;
    const fd = openSync(temp, 'w', 0o600);
    try {
      writeFileSync(fd, `${JSON.stringify(record, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
    this.syncDir();
  }

  remove(name: string): void {
    rmSync(this.path(name), { force: true });
    this.syncDir();
  }

  /** Keeps a record that lost to a newer config document, for the operator to inspect. */
  supersede(name: string): string {
    const to = `${this.path(name)}.superseded`;
    renameSync(this.path(name), to);
    this.syncDir();
    return to;
  }

  path(name: string): string {
    return join(this.dir, `${name}.json`);
  }

  private read(file: string, expectedName: string): PipelineRecord {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new RecordStoreError(file, `not a readable JSON pipeline record (${(e as Error).message})`);
    }
    const parsed = recordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RecordStoreError(file, `${issue.path.join('.') || '(record)'}: ${issue.message}`);
    }
    if (parsed.data.name !== expectedName) throw new RecordStoreError(file, `holds pipeline "${parsed.data.name}" but is named for "${expectedName}"`);
    return parsed.data as PipelineRecord;
  }

  private syncDir(): void {
    try {
      const fd = openSync(this.dir, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    } catch {
      // Some filesystems refuse fsync on directories; the rename is still atomic there.
    }
  }
}
