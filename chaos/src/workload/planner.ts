import { canonicalKey, type RowImage, type RowVersion } from '../history/index.js';
import type { Rng } from './rng.js';
import { LARGE_KINDS, type SchemaModel, type TableDef } from './schema.js';
import { isToasted, poisonFor, rowImage } from './values.js';

/** What pgoutput puts in place of a TOASTed value an update left alone; the engine passes it on (docs/sources/postgres.md). */
export const UNCHANGED_TOAST = '__tidemark_unchanged_toast__';

/** Relative weights of the three operations; a missing or zero weight disables it. */
export interface Mix {
  readonly insert?: number;
  readonly update?: number;
  readonly delete?: number;
}

export interface PlanOptions {
  readonly mix: Mix;
  /** Rows per txn, inclusive range; each row is a different key, possibly of different tables. */
  readonly rowsPerTx: readonly [number, number];
  /** Key slots per table and writer: a small space makes updates, deletes and re-inserts frequent. */
  readonly keysPerTable: number;
  /** Now and then a transaction of thousands of rows (into the bulk table): its probability and size. */
  readonly largeTx?: { readonly probability: number; readonly rows: readonly [number, number] };
}

/** One planned row write with the writer-local slot it touches. */
export interface PlannedWrite {
  readonly slot: number;
  /** The row version as written (full images). */
  readonly version: RowVersion;
  /**
   * What the source reports for it, when that differs from what was written: on a Postgres table
   * with the default replica identity the before image is the key alone, and a TOASTed value the
   * update left alone is the unchanged-TOAST marker.
   */
  readonly reported?: RowVersion;
}

interface KeyState {
  /** The committed row (null: absent). */
  image: RowImage | null;
  /** Highest version ever planned for this key, committed or not: versions are never reused. */
  lastVersion: number;
  /** Set when the workload could not learn the key's state after a lost connection. */
  abandoned: boolean;
}

type OpKind = 'insert' | 'update' | 'delete';
const OPS: readonly OpKind[] = ['insert', 'update', 'delete'];

/**
 * What one writer believes its keys hold. It is the writer's only memory: it plans from it and
 * applies a txn to it only when the txn is known to have committed.
 */
export class WriterModel {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    readonly writer: number,
    private readonly schema: SchemaModel,
    private readonly source?: 'mysql' | 'postgres',
  ) {}

  private state(table: string, slot: number): KeyState {
    const id = `${table}#${slot}`;
    let state = this.keys.get(id);
    if (!state) {
      state = { image: null, lastVersion: 0, abandoned: false };
      this.keys.set(id, state);
    }
    return state;
  }

  /** The committed row in the table's current shape, or null when absent. */
  current(table: string, slot: number): RowImage | null {
    const image = this.state(table, slot).image;
    return image && this.schema.conform(table, image);
  }

  /** Plans the next txn. Returns an empty list when no key can take any allowed operation. */
  plan(rng: Rng, options: PlanOptions): PlannedWrite[] {
    const bulk = this.schema.all.find((t) => t.bulk);
    if (options.largeTx && bulk && rng.next() < options.largeTx.probability) return this.planBulk(rng, bulk, options.largeTx.rows);
    const tables = this.schema.all.filter((t) => !t.bulk);
    const writes: PlannedWrite[] = [];
    const taken = new Set<string>();
    const count = rng.int(options.rowsPerTx[0], options.rowsPerTx[1]);
    const weights = OPS.map((op) => Math.max(0, options.mix[op] ?? 0));
    for (let i = 0; i < count; i++) {
      const table = rng.pick(tables);
      const first = rng.weighted(weights);
      // The drawn op first, then the others, so a full or empty key space still makes progress.
      for (const op of [OPS[first] as OpKind, ...OPS.filter((_, j) => j !== first && (weights[j] as number) > 0)]) {
        const slots = this.candidates(table, op, options.keysPerTable, taken);
        if (slots.length === 0) continue;
        const slot = rng.pick(slots);
        taken.add(`${table.name}#${slot}`);
        writes.push(this.planned(table, slot, this.write(table, slot, op, rng)));
        break;
      }
    }
    return writes;
  }

  /**
   * A transaction of thousands of rows on the bulk table, in turn: insert n new rows, then
   * update every one of them, or delete them all (so the model stays small).
   */
  private planBulk(rng: Rng, table: TableDef, [min, max]: readonly [number, number]): PlannedWrite[] {
    const present: number[] = [];
    for (let slot = 1; slot <= this.bulkSize; slot++) {
      const state = this.keys.get(`${table.name}#${slot}`);
      if (state && !state.abandoned && state.image !== null) present.push(slot);
    }
    if (present.length === 0) {
      this.bulkSize = rng.int(min, max);
      const slots = Array.from({ length: this.bulkSize }, (_, i) => i + 1).filter((slot) => !this.state(table.name, slot).abandoned);
      return slots.map((slot) => this.planned(table, slot, this.write(table, slot, 'insert', rng)));
    }
    const op: OpKind = rng.next() < 0.5 ? 'update' : 'delete';
    return present.map((slot) => this.planned(table, slot, this.write(table, slot, op, rng)));
  }

  private bulkSize = 0;

  /** The write with what the source will report for it (see PlannedWrite.reported). */
  private planned(table: TableDef, slot: number, written: RowVersion): PlannedWrite {
    const poison = table.poison ? poisonFor(written.before, written.after) : [];
    const version = poison.length > 0 ? { ...written, poisonFor: poison } : written;
    if (this.source !== 'postgres' || table.replicaIdentity !== 'default' || version.op === 'c') return { slot, version };
    const key = Object.fromEntries(table.primaryKey.map((c) => [c, (version.before as RowImage)[c]]));
    if (version.op === 'd') return { slot, version, reported: { ...version, before: key } };
    const after: RowImage = { ...version.after };
    for (const c of table.columns) {
      if (LARGE_KINDS.has(c.kind) && after[c.name] === version.before![c.name] && isToasted(after[c.name])) after[c.name] = UNCHANGED_TOAST;
    }
    return { slot, version, reported: { ...version, before: key, after } };
  }

  private candidates(table: TableDef, op: OpKind, keysPerTable: number, taken: ReadonlySet<string>): number[] {
    const slots: number[] = [];
    for (let slot = 1; slot <= keysPerTable; slot++) {
      const state = this.state(table.name, slot);
      if (state.abandoned || taken.has(`${table.name}#${slot}`)) continue;
      if ((op === 'insert') === (state.image === null)) slots.push(slot);
    }
    return slots;
  }

  private write(table: TableDef, slot: number, op: OpKind, rng: Rng): RowVersion {
    const state = this.state(table.name, slot);
    const before = this.current(table.name, slot);
    if (op === 'delete') {
      const image = before as RowImage;
      return { table: table.name, key: canonicalKey(table.primaryKey, image), version: image.version as number, op: 'd', writer: this.writer, before: image, after: null };
    }
    state.lastVersion += 1;
    const after = rowImage(table, this.writer, slot, state.lastVersion, rng);
    // An update leaves each large value alone half the time (on Postgres a TOASTed one is then not sent).
    if (before && !table.poison) for (const c of table.columns) if (LARGE_KINDS.has(c.kind) && rng.next() < 0.5) after[c.name] = before[c.name];
    return { table: table.name, key: canonicalKey(table.primaryKey, after), version: state.lastVersion, op: op === 'insert' ? 'c' : 'u', writer: this.writer, before, after };
  }

  /** Records that a txn committed: its after images become the keys' rows. */
  apply(writes: readonly PlannedWrite[]): void {
    for (const w of writes) this.state(w.version.table, w.slot).image = w.version.after;
  }

  /** Sets a key's row from what the database holds (after a lost connection). */
  reset(table: string, slot: number, image: RowImage | null): void {
    const state = this.state(table, slot);
    state.image = image;
    if (image) state.lastVersion = Math.max(state.lastVersion, image.version as number);
  }

  /** Never touches the key again: its state could not be learned. */
  abandon(table: string, slot: number): void {
    this.state(table, slot).abandoned = true;
  }
}
