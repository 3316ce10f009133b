import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { RowImage } from './types.js';
import { float64 } from './columns.js';

/** The before and after images of one row version. */
export interface StoredImages {
  readonly before: RowImage | null;
  readonly after: RowImage | null;
}

/**
 * Where a compact source history keeps its row images: the checkers compare fingerprints and
 * fetch an image only to confirm a mismatch or to show an example, so at scale the images live
 * on disk and only their fingerprints in memory.
 */
export interface ImageStore {
  /** Stores one version's images; returns the reference to fetch them with. */
  put(images: StoredImages): number;
  get(ref: number): StoredImages;
  /** Bytes this store holds in memory (what the checkers report as their footprint). */
  readonly memoryBytes: number;
  close(): void;
}

/** Keeps the image objects themselves: for small histories and tests (no copy is made). */
export class MemoryImageStore implements ImageStore {
  private readonly items: StoredImages[] = [];
  readonly memoryBytes = 0; // the images belong to whoever built them

  put(images: StoredImages): number {
    return this.items.push(images) - 1;
  }

  get(ref: number): StoredImages {
    const found = this.items[ref];
    if (!found) throw new Error(`no images stored under reference ${ref}`);
    return found;
  }

  close(): void {}
}

const FLUSH_BYTES = 1 << 20;

/**
 * Appends each version's images as one JSON line to a file and keeps only its offset, so a
 * history of millions of versions with 40 kB values costs 8 bytes per version in memory.
 * Writes are buffered and flushed before any read.
 */
export class FileImageStore implements ImageStore {
  private readonly fd: number;
  private readonly offsets = float64();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private written = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w+');
  }

  put(images: StoredImages): number {
    const line = Buffer.from(`${JSON.stringify([images.before, images.after])}\n`);
    const ref = this.offsets.push(this.written + this.pendingBytes);
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    return ref;
  }

  get(ref: number): StoredImages {
    if (ref < 0 || ref >= this.offsets.length) throw new Error(`no images stored under reference ${ref}`);
    this.flush();
    const start = this.offsets.get(ref);
    const end = ref + 1 < this.offsets.length ? this.offsets.get(ref + 1) : this.written;
    const buf = Buffer.alloc(end - start);
    readSync(this.fd, buf, 0, buf.length, start);
    const [before, after] = JSON.parse(buf.toString('utf8')) as [RowImage | null, RowImage | null];
    return { before, after };
  }

  get memoryBytes(): number {
    return this.offsets.bytes + this.pendingBytes;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    const all = Buffer.concat(this.pending, this.pendingBytes);
    writeSync(this.fd, all, 0, all.length, this.written);
    this.written += all.length;
    this.pending = [];
    this.pendingBytes = 0;
  }
}
