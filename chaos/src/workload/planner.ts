import { canonicalKey, type RowImage, type RowVersion } from '../history/index.js';
import type { Rng } from './rng.js';
import type { SchemaModel, TableDef } from './schema.js';
import { rowImage } from './values.js';

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
}

/** One planned row write with the writer-local slot it touches. */
export interface PlannedWrite {
  readonly slot: number;
  readonly version: RowVersion;
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
    const writes: PlannedWrite[] = [];
    const taken = new Set<string>();
    const count = rng.int(options.rowsPerTx[0], options.rowsPerTx[1]);
    const weights = OPS.map((op) => Math.max(0, options.mix[op] ?? 0));
    for (let i = 0; i < count; i++) {
      const table = rng.pick(this.schema.all);
      const first = rng.weighted(weights);
      // The drawn op first, then the others, so a full or empty key space still makes progress.
      for (const op of [OPS[first] as OpKind, ...OPS.filter((_, j) => j !== first && (weights[j] as number) > 0)]) {
        const slots = this.candidates(table, op, options.keysPerTable, taken);
        if (slots.length === 0) continue;
        const slot = rng.pick(slots);
        taken.add(`${table.name}#${slot}`);
        writes.push({ slot, version: this.write(table, slot, op, rng) });
        break;
      }
    }
    return writes;
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
