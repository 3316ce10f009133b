import { canonical, hashPair, type RowImage, type SinkRecord, type Verdict } from '../history/index.js';
import type { CheckerDef, RunContext, SinkAccumulator, SinkContext, SinkSummary } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import { sinkVerdict } from './sink-view.js';

/** The value pgoutput leaves for a TOASTed column an update did not touch (docs/sources/postgres.md). */
const UNCHANGED_TOAST = '__tidemark_unchanged_toast__';

/**
 * The source's tables as they are at the end of the run (read from the database), to compare
 * with what applying a sink's change stream gives: table → canonical key → row.
 */
export interface FinalSource {
  readonly tables: ReadonlyMap<string, ReadonlyMap<string, RowImage>>;
  /** `table key` of rows an unresolved indeterminate transaction touched: either state is right. */
  readonly uncertain: ReadonlySet<string>;
}

interface ModelRow {
  readonly columns: readonly string[];
  readonly hashes: Uint32Array;
  readonly position: string;
}

type Model = Map<string, Map<string, ModelRow>>;

/**
 * Applying a sink's change stream in order to an empty model reproduces the source's tables row
 * for row, every column (the tables the sink receives): what a consumer that upserts and deletes
 * by key would hold. Inserts, updates and snapshot reads set the row, deletes remove it,
 * truncates empty the table; an unchanged-TOAST marker keeps the column's previous value.
 * The model keeps a 32-bit hash of each column's canonical value (docs/checkers.md), not the row.
 */
export const stateDef: CheckerDef<Model> = {
  name: 'state',
  forSink: (ctx) => (ctx.meta.kind === 'dlq' ? null : new Applier(ctx)),
  verdicts(ctx, results) {
    const final = ctx.finalSource;
    if (!final) {
      return [{ checker: 'state', validity: 'unknown', summary: 'the run read no final state of the source tables, so the applied streams cannot be compared with it', counts: {}, examples: [] }];
    }
    return results.map(({ sink, value }) => compare(ctx, sink, value, final));
  },
};

export const stateChecker = checkerOf('state', [stateDef]);

class Applier implements SinkAccumulator<Model> {
  private readonly model: Model = new Map();
  private readonly shapes = new Map<string, readonly string[]>();

  constructor(private readonly ctx: SinkContext) {}

  add(r: SinkRecord): void {
    let rows = this.model.get(r.table);
    if (!rows) this.model.set(r.table, (rows = new Map()));
    if (r.op === 't') return rows.clear();
    if (r.op === 'd') {
      rows.delete(r.key);
      return;
    }
    if (!r.after) return;
    const previous = rows.get(r.key);
    const json = this.ctx.log.jsonColumns(r.table);
    const columns = this.shape(r.after);
    const hashes = new Uint32Array(columns.length);
    columns.forEach((c, i) => {
      const v = r.after![c];
      if (v === UNCHANGED_TOAST && previous) {
        const at = previous.columns.indexOf(c);
        hashes[i] = at >= 0 ? previous.hashes[at]! : valueHash(v, false);
      } else hashes[i] = valueHash(v, json.has(c));
    });
    rows.set(r.key, { columns, hashes, position: r.position });
  }

  result(): Model {
    return this.model;
  }

  bytes(): number {
    let n = 0;
    for (const rows of this.model.values()) for (const row of rows.values()) n += 96 + row.hashes.byteLength + row.position.length * 2;
    return n;
  }

  private shape(image: RowImage): readonly string[] {
    const columns = Object.keys(image);
    const sig = columns.join('\u0001');
    let shared = this.shapes.get(sig);
    if (!shared) this.shapes.set(sig, (shared = columns));
    return shared;
  }
}

function valueHash(v: unknown, json: boolean): number {
  return hashPair(canonical(v, json))[0];
}

const NULL_HASH = valueHash(null, false);

function compare(ctx: RunContext, sink: SinkSummary, model: Model, final: FinalSource): Verdict {
  const problems = new Examples();
  let rows = 0;
  let missing = 0;
  let extra = 0;
  let differing = 0;
  for (const [table, sourceRows] of final.tables) {
    const id = ctx.log.tableId(table);
    if (id !== undefined && !sink.tables.has(id)) continue;
    const applied = model.get(table) ?? new Map<string, ModelRow>();
    for (const [key, row] of sourceRows) {
      if (final.uncertain.has(`${table} ${key}`)) continue;
      rows++;
      const got = applied.get(key);
      if (!got) {
        missing++;
        problems.add(() => ({ problem: 'row missing from the applied stream', table, key }));
        continue;
      }
      for (const column in row) {
        // A column the applied image lacks reads as null there (null ≡ absent), as in an upsert.
        const at = got.columns.indexOf(column);
        const applied = at >= 0 ? got.hashes[at] : NULL_HASH;
        if (applied === valueHash(row[column], false)) continue;
        differing++;
        problems.add(() => ({ problem: 'column differs', table, key, column, source: row[column], lastRecord: got.position }));
        break;
      }
    }
    for (const [key, got] of applied) {
      if (sourceRows.has(key) || final.uncertain.has(`${table} ${key}`)) continue;
      extra++;
      problems.add(() => ({ problem: 'row the source does not hold', table, key, lastRecord: got.position }));
    }
  }
  return sinkVerdict('state', sink.label, problems, `applying the stream reproduces all ${rows} source rows, every column`, `${problems.total} rows differ between the applied stream and the source (${missing} missing, ${extra} extra, ${differing} with a different column)`, {
    rows,
    missing,
    extra,
    differing,
  });
}
