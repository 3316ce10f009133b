/**
 * The source history in compact form: one entry per row version in typed-array columns, with
 * fingerprints of its images instead of the images (which an ImageStore keeps, on disk at
 * scale). This is what lets a run record and judge millions of versions: see docs/checkers.md,
 * "Scale". `toHistory()` gives back the plain `SourceHistory` for small histories and tests.
 */
import { float64, int32, uint16, uint32, uint8 } from './columns.js';
import { expectedFingerprint, NOT_JUDGED, type Shape } from './fingerprint.js';
import { MemoryImageStore, type ImageStore } from './image-store.js';
import { ShapeRegistry } from './shapes.js';
import type { Outcome, RowVersion, SchemaChange, SourceHistory, SourceTxn } from './types.js';

const OUTCOMES: readonly Outcome[] = ['ok', 'info', 'fail'];
const RESOLUTIONS = [undefined, 'committed', 'rolled-back'] as const;
export const OP_CODE: Readonly<Record<string, number>> = { c: 0, u: 1, d: 2, r: 3 };
export const OP_OF = ['c', 'u', 'd', 'r'] as const;
/** The sink ids a version can be poison for (a bit each in vPoison): the scenarios name their sinks after their kind. */
export const POISON_SINKS = ['kafka', 'redis', 'nats', 'http'] as const;

export interface SourceLogOptions {
  readonly source: 'mysql' | 'postgres';
  readonly database?: string;
  readonly primaryKeys: Readonly<Record<string, readonly string[]>>;
  readonly columns?: Readonly<Record<string, readonly string[]>>;
  /** Where images go; in memory by default. */
  readonly images?: ImageStore;
}

export class SourceLog {
  readonly source: 'mysql' | 'postgres';
  readonly database?: string;
  readonly primaryKeys: Record<string, readonly string[]>;
  readonly columns?: Readonly<Record<string, readonly string[]>>;
  readonly schemaChanges: SchemaChange[] = [];
  readonly images: ImageStore;
  /** Bumped by every change: indexes built over the log compare it to know they are stale. */
  revision = 0;

  private readonly tableIds = new Map<string, number>();
  readonly tableNames: string[] = [];
  private readonly keyIds: Map<string, number>[] = [];
  readonly keyStrings: string[] = [];
  readonly keyTable = uint16();

  // Per version.
  readonly vKey = uint32();
  /** version * 4 + op code: the identity within a key. */
  readonly vSlot = int32();
  readonly vTxn = uint32();
  readonly vAfterFp = uint32();
  readonly vBeforeFp = uint32();
  readonly vAfterShape = uint16();
  readonly vBeforeShape = uint16();
  readonly vImages = float64();
  /** Bit i set: the version is poison for POISON_SINKS[i]. */
  readonly vPoison = uint8();

  // Per transaction, in the order they completed.
  readonly tId = float64();
  readonly tWriter = int32();
  readonly tOutcome = uint8();
  readonly tResolution = uint8();
  readonly tInvokedAt = float64();
  readonly tCompletedAt = float64();
  readonly tFirst = uint32();
  readonly tCount = uint32();
  private readonly tErrors = new Map<number, string>();

  private readonly shapes = new ShapeRegistry();
  /** Acknowledged versions' commit instants in arrival order: the sampler's lag estimate. */
  readonly ackTimes = float64();

  constructor(o: SourceLogOptions) {
    this.source = o.source;
    if (o.database !== undefined) this.database = o.database;
    this.primaryKeys = { ...o.primaryKeys };
    if (o.columns) this.columns = o.columns;
    this.images = o.images ?? new MemoryImageStore();
  }

  get versionCount(): number {
    return this.vKey.length;
  }

  get txnCount(): number {
    return this.tId.length;
  }

  get keyCount(): number {
    return this.keyStrings.length;
  }

  /** Appends one completed transaction (its images go to the image store). */
  append(txn: SourceTxn): number {
    const t = this.tId.push(txn.id);
    this.tWriter.push(txn.writer);
    this.tOutcome.push(OUTCOMES.indexOf(txn.outcome));
    this.tResolution.push(RESOLUTIONS.indexOf(txn.resolution));
    this.tInvokedAt.push(txn.invokedAt);
    this.tCompletedAt.push(txn.completedAt);
    this.tFirst.push(this.vKey.length);
    this.tCount.push(txn.versions.length);
    if (txn.error !== undefined) this.tErrors.set(t, txn.error);
    for (const v of txn.versions) this.appendVersion(v, t);
    if (this.acknowledged(t)) for (let i = 0; i < txn.versions.length; i++) this.ackTimes.push(txn.completedAt);
    this.revision++;
    return t;
  }

  private appendVersion(v: RowVersion, t: number): void {
    const after = v.op === 'd' ? null : v.after;
    const afterShape = after ? this.shapes.idOf(v.table, 0, after) : 0;
    const beforeShape = v.before ? this.shapes.idOf(v.table, 1, v.before) : 0;
    this.vKey.push(this.keyId(v.table, v.key));
    this.vSlot.push(v.version * 4 + OP_CODE[v.op]!);
    this.vTxn.push(t);
    this.vAfterFp.push(expectedFingerprint(after, this.shapes.get(afterShape)));
    // An update or delete whose source names no before image: the before image is not judged.
    this.vBeforeFp.push(v.before === null && v.op !== 'c' ? NOT_JUDGED : expectedFingerprint(v.before, this.shapes.get(beforeShape)));
    this.vAfterShape.push(afterShape);
    this.vBeforeShape.push(beforeShape);
    this.vImages.push(this.images.put({ before: v.before, after: v.after }));
    this.vPoison.push((v.poisonFor ?? []).reduce((mask, sink) => { const i = (POISON_SINKS as readonly string[]).indexOf(sink); return i < 0 ? mask : mask | (1 << i); }, 0));
  }

  /** An indeterminate transaction found committed or rolled back afterwards (the newest with this id). */
  resolve(id: number, resolution: 'committed' | 'rolled-back'): void {
    for (let t = this.tId.length - 1; t >= 0; t--) {
      if (this.tId.get(t) !== id) continue;
      const was = this.acknowledged(t);
      this.tResolution.set(t, RESOLUTIONS.indexOf(resolution));
      if (!was && this.acknowledged(t)) for (let i = 0; i < this.tCount.get(t); i++) this.ackTimes.push(this.tCompletedAt.get(t));
      this.revision++;
      return;
    }
  }

  addSchemaChange(change: SchemaChange): void {
    this.schemaChanges.push(change);
    this.revision++;
  }

  tableId(name: string): number | undefined {
    return this.tableIds.get(name);
  }

  /** The key's id within its table, or undefined when the log never saw it. */
  findKey(table: number, key: string): number | undefined {
    return this.keyIds[table]?.get(key);
  }

  shape(id: number): Shape {
    return this.shapes.get(id);
  }

  /** Columns of `table` that hold JSON documents (so a sink's JSON text there is parsed). */
  jsonColumns(table: string): ReadonlySet<string> {
    return this.shapes.jsonColumns(table);
  }

  // What checkers take a transaction's outcome to be: a resolved info counts as ok or fail.
  effectiveOutcome(t: number): Outcome {
    const outcome = OUTCOMES[this.tOutcome.get(t)]!;
    if (outcome !== 'info') return outcome;
    const r = this.tResolution.get(t);
    return r === 1 ? 'ok' : r === 2 ? 'fail' : 'info';
  }

  acknowledged(t: number): boolean {
    return this.effectiveOutcome(t) === 'ok';
  }

  outcome(t: number): Outcome {
    return OUTCOMES[this.tOutcome.get(t)]!;
  }

  resolution(t: number): 'committed' | 'rolled-back' | undefined {
    return RESOLUTIONS[this.tResolution.get(t)];
  }

  error(t: number): string | undefined {
    return this.tErrors.get(t);
  }

  tableOfVersion(v: number): string {
    return this.tableNames[this.keyTable.get(this.vKey.get(v))]!;
  }

  /** The plain RowVersion (images read back from the store). */
  rowVersion(v: number): RowVersion {
    const slot = this.vSlot.get(v);
    const { before, after } = this.images.get(this.vImages.get(v));
    const t = this.vTxn.get(v);
    const poison = this.poisonFor(v);
    return { table: this.tableOfVersion(v), key: this.keyStrings[this.vKey.get(v)]!, version: slot >> 2, op: OP_OF[slot & 3] as 'c' | 'u' | 'd', writer: this.tWriter.get(t), before, after, ...(poison.length > 0 ? { poisonFor: poison } : {}) };
  }

  /** The sinks that must refuse version `v`. */
  poisonFor(v: number): string[] {
    const mask = this.vPoison.get(v);
    return mask === 0 ? [] : POISON_SINKS.filter((_, i) => (mask & (1 << i)) !== 0);
  }

  /** The plain history, every image read back: for small histories (tests, reports). */
  toHistory(): SourceHistory {
    const txns: SourceTxn[] = [];
    for (let t = 0; t < this.tId.length; t++) {
      const first = this.tFirst.get(t);
      const versions = Array.from({ length: this.tCount.get(t) }, (_, i) => this.rowVersion(first + i));
      const error = this.error(t);
      const resolution = this.resolution(t);
      txns.push({ id: this.tId.get(t), writer: this.tWriter.get(t), versions, outcome: this.outcome(t), invokedAt: this.tInvokedAt.get(t), completedAt: this.tCompletedAt.get(t), ...(error !== undefined ? { error } : {}), ...(resolution ? { resolution } : {}) });
    }
    txns.sort((a, b) => a.id - b.id);
    return {
      source: this.source,
      txns,
      primaryKeys: this.primaryKeys,
      ...(this.database !== undefined ? { database: this.database } : {}),
      ...(this.columns ? { columns: this.columns } : {}),
      schemaChanges: [...this.schemaChanges],
    };
  }

  /** Frees the columns' unused room once nothing more will be appended (a later append still works). */
  trim(): void {
    for (const c of [this.keyTable, this.vKey, this.vSlot, this.vTxn, this.vAfterFp, this.vBeforeFp, this.vAfterShape, this.vBeforeShape, this.vImages, this.vPoison, this.tId, this.tWriter, this.tOutcome, this.tResolution, this.tInvokedAt, this.tCompletedAt, this.tFirst, this.tCount, this.ackTimes]) c.trim();
  }

  /** Bytes the log keeps in memory (columns, key dictionary estimate, image store). */
  get memoryBytes(): number {
    const columns = [this.keyTable, this.vKey, this.vSlot, this.vTxn, this.vAfterFp, this.vBeforeFp, this.vAfterShape, this.vBeforeShape, this.vImages, this.vPoison, this.tId, this.tWriter, this.tOutcome, this.tResolution, this.tInvokedAt, this.tCompletedAt, this.tFirst, this.tCount, this.ackTimes];
    // A dictionary entry costs its string plus ~40 bytes of Map bookkeeping.
    let keys = 0;
    for (const k of this.keyStrings) keys += 56 + k.length * 2;
    return columns.reduce((n, c) => n + c.bytes, 0) + keys + this.images.memoryBytes;
  }

  private keyId(table: string, key: string): number {
    let t = this.tableIds.get(table);
    if (t === undefined) {
      t = this.tableNames.push(table) - 1;
      this.tableIds.set(table, t);
      this.keyIds.push(new Map());
    }
    const keys = this.keyIds[t]!;
    let k = keys.get(key);
    if (k === undefined) {
      k = this.keyStrings.push(key) - 1;
      this.keyTable.push(t);
      keys.set(key, k);
    }
    return k;
  }

  /** The compact form of a plain history (cached: several checkers judge the same history). */
  static of(history: SourceHistory | SourceLog): SourceLog {
    if (history instanceof SourceLog) return history;
    let log = cache.get(history);
    if (!log) {
      log = new SourceLog({ source: history.source, primaryKeys: history.primaryKeys, ...(history.database !== undefined ? { database: history.database } : {}), ...(history.columns ? { columns: history.columns } : {}) });
      for (const txn of history.txns) log.append(txn);
      for (const c of history.schemaChanges ?? []) log.addSchemaChange(c);
      cache.set(history, log);
    }
    return log;
  }
}

const cache = new WeakMap<SourceHistory, SourceLog>();
