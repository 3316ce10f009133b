import type { ChangeEvent } from '../../event/change-event.js';
import { UNCHANGED_TOAST_PLACEHOLDER, type EventColumn, type EventSchema } from '../event-schema.js';
import { jsonKind, type JsonKind } from './json-kind.js';
import { fitsColumnType } from './value-legality.js';

/** The reference's drift types. */
export type DriftType = 'unexpected_null' | 'type_mismatch' | 'undeclared_column' | 'missing_column' | 'json_structure_change';

/** Examples kept per column (JSON text, cut at EXAMPLE_CHARS). */
export const MAX_DRIFT_EXAMPLES = 3;
const EXAMPLE_CHARS = 80;

/** One column of `GET /pipelines/{name}/drift` (the reference's shape, plus `drift_types`). */
export interface ColumnDrift {
  readonly column: string;
  /** The source's type, as its catalog spells it; null for a column the source does not declare. */
  readonly expected_type: string | null;
  readonly observed_types: readonly JsonKind[];
  readonly mismatch_count: number;
  readonly examples: readonly string[];
  readonly drift_types: readonly DriftType[];
}

export interface TableDrift {
  readonly table: string;
  readonly has_drift: boolean;
  readonly columns: readonly ColumnDrift[];
  readonly events_analyzed: number;
  readonly events_with_drift: number;
}

class ColumnState {
  readonly observed = new Set<JsonKind>();
  readonly types = new Set<DriftType>();
  readonly examples: string[] = [];
  mismatches = 0;

  constructor(public expected: string | null) {}

  record(type: DriftType, example: string): void {
    this.types.add(type);
    this.mismatches++;
    if (this.examples.length < MAX_DRIFT_EXAMPLES && !this.examples.includes(example)) this.examples.push(example);
  }
}

/**
 * Drift of one table: the row images sensing analyses against the columns the source declared
 * for them (the event's own schema, so a DDL moves the expectation with the data). Judges each
 * value (a null in a NOT NULL column, a value of another type, a field the source does not
 * declare), declared columns no full row image ever carried since the last schema change, and
 * JSON columns whose structure changed after the table's schema had stabilized.
 */
export class DriftTracker {
  private readonly columns = new Map<string, ColumnState>();
  private schema: EventSchema | null = null;
  private declared = new Map<string, EventColumn>();
  private seen = new Set<string>();
  /** Insert and snapshot images (every column present) analysed under the current schema. */
  private fullImages = 0;
  analysed = 0;
  withDrift = 0;

  /** Judges one analysed event; `structureChanges` names JSON columns whose structure just changed. Returns the drift types found. */
  observe(event: ChangeEvent, structureChanges: ReadonlyMap<string, readonly string[]> = new Map()): Set<DriftType> {
    const found = new Set<DriftType>();
    const image = event.op === 'd' ? event.before : (event.after ?? event.before);
    if (!image || !event.schema) return found;
    this.analysed++;
    this.adopt(event.schema);
    for (const key in image) {
      this.seen.add(key);
      const value = image[key];
      if (value === UNCHANGED_TOAST_PLACEHOLDER) continue;
      const column = this.declared.get(key);
      const state = this.state(key, column);
      state.observed.add(jsonKind(value));
      const drift: DriftType | null = !column ? 'undeclared_column' : value === null ? (column.nullable ? null : 'unexpected_null') : fitsColumnType(column.type, value) ? null : 'type_mismatch';
      if (drift) {
        state.record(drift, example(value));
        found.add(drift);
      }
    }
    for (const [column, added] of structureChanges) {
      this.state(column, this.declared.get(column)).record('json_structure_change', added.join(', ').slice(0, EXAMPLE_CHARS));
      found.add('json_structure_change');
    }
    if (event.op === 'c' || event.op === 'r') this.fullImages++;
    if (found.size > 0) this.withDrift++;
    return found;
  }

  report(table: string): TableDrift {
    const columns: ColumnDrift[] = [];
    for (const [name, s] of this.columns) {
      if (s.types.size > 0) columns.push({ column: name, expected_type: s.expected, observed_types: [...s.observed].sort(), mismatch_count: s.mismatches, examples: [...s.examples], drift_types: [...s.types] });
    }
    if (this.fullImages > 0) {
      for (const column of this.declared.values()) {
        if (this.seen.has(column.name)) continue;
        columns.push({ column: column.name, expected_type: column.sourceType, observed_types: [], mismatch_count: this.fullImages, examples: [], drift_types: ['missing_column'] });
      }
    }
    return { table, has_drift: columns.length > 0, columns, events_analyzed: this.analysed, events_with_drift: this.withDrift };
  }

  private adopt(schema: EventSchema): void {
    if (schema === this.schema) return;
    const changed = this.schema?.fingerprint !== schema.fingerprint;
    this.schema = schema;
    if (!changed) return;
    this.declared = new Map(schema.columns.map((c) => [c.name, c]));
    this.seen = new Set();
    this.fullImages = 0;
    for (const [name, state] of this.columns) state.expected = this.declared.get(name)?.sourceType ?? state.expected;
  }

  private state(name: string, column: EventColumn | undefined): ColumnState {
    let s = this.columns.get(name);
    if (!s) this.columns.set(name, (s = new ColumnState(column?.sourceType ?? null)));
    return s;
  }
}

function example(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > EXAMPLE_CHARS ? `${text.slice(0, EXAMPLE_CHARS - 1)}…` : text;
}
