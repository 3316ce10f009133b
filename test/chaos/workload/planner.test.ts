import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RowImage, RowVersion } from '../../../chaos/src/history/index.js';
import { WriterModel, type PlanOptions, type PlannedWrite } from '../../../chaos/src/workload/planner.js';
import { Rng } from '../../../chaos/src/workload/rng.js';
import { SchemaModel, keyColumns, WORKLOAD_TABLES } from '../../../chaos/src/workload/schema.js';

const optionsArb: fc.Arbitrary<PlanOptions> = fc.record({
  mix: fc.record({ insert: fc.integer({ min: 1, max: 5 }), update: fc.integer({ min: 0, max: 5 }), delete: fc.integer({ min: 0, max: 5 }) }),
  rowsPerTx: fc.integer({ min: 1, max: 4 }).chain((min) => fc.tuple(fc.constant(min), fc.integer({ min, max: 6 }))),
  keysPerTable: fc.integer({ min: 1, max: 6 }),
});

/** Plans `outcomes.length` txns, committing those marked true to both the model and a fake database. */
function simulate(seed: number, writer: number, options: PlanOptions, outcomes: readonly boolean[]): { plans: PlannedWrite[][]; db: Map<string, RowImage> } {
  const model = new WriterModel(writer, new SchemaModel());
  const rng = new Rng(seed);
  const db = new Map<string, RowImage>();
  const plans: PlannedWrite[][] = [];
  for (const commit of outcomes) {
    const writes = model.plan(rng, options);
    plans.push(writes);
    if (!commit) continue;
    model.apply(writes);
    for (const { version: v } of writes) {
      if (v.after) db.set(`${v.table} ${v.key}`, v.after);
      else db.delete(`${v.table} ${v.key}`);
    }
  }
  return { plans, db };
}

describe('WriterModel.plan', () => {
  it('only plans operations the database will accept, and never reuses a version', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 50 }), optionsArb, fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), (seed, writer, options, outcomes) => {
        const model = new WriterModel(writer, new SchemaModel());
        const rng = new Rng(seed);
        const db = new Map<string, RowImage>();
        const highest = new Map<string, number>();
        for (const commit of outcomes) {
          const writes = model.plan(rng, options);
          expect(writes.length).toBeLessThanOrEqual(options.rowsPerTx[1]);
          expect(new Set(writes.map((w) => `${w.version.table} ${w.version.key}`)).size).toBe(writes.length);
          for (const { slot, version: v } of writes) {
            const id = `${v.table} ${v.key}`;
            const row = db.get(id) ?? null;
            const table = WORKLOAD_TABLES.find((t) => t.name === v.table)!;
            expect(slot).toBeGreaterThanOrEqual(1);
            expect(slot).toBeLessThanOrEqual(options.keysPerTable);
            // The key lies in this writer's partition.
            expect(v.key).toBe(JSON.stringify(keyColumns(table, writer, slot)));
            expect(v.writer).toBe(writer);
            expect(v.before).toEqual(row);
            if (v.op === 'c') expect(row).toBeNull();
            if (v.op === 'd') expect(v.version).toBe(row?.version);
            else {
              expect(v.version).toBeGreaterThan(highest.get(id) ?? 0);
              expect(v.after).toMatchObject({ writer, version: v.version });
              highest.set(id, v.version);
            }
          }
          if (!commit) continue;
          model.apply(writes);
          for (const { version: v } of writes) {
            if (v.after) db.set(`${v.table} ${v.key}`, v.after);
            else db.delete(`${v.table} ${v.key}`);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('plans the same txns for the same seed and outcomes, other txns for another seed', () => {
    fc.assert(
      fc.property(fc.integer(), optionsArb, fc.array(fc.boolean(), { minLength: 5, maxLength: 30 }), (seed, options, outcomes) => {
        expect(simulate(seed, 3, options, outcomes)).toEqual(simulate(seed, 3, options, outcomes));
      }),
      { numRuns: 50 },
    );
    const options: PlanOptions = { mix: { insert: 1, update: 1, delete: 1 }, rowsPerTx: [1, 3], keysPerTable: 8 };
    const outcomes = Array.from({ length: 20 }, () => true);
    expect(simulate(1, 3, options, outcomes).plans).not.toEqual(simulate(2, 3, options, outcomes).plans);
  });

  it('deletes and re-inserts keys with a higher version', () => {
    const { plans } = simulate(7, 1, { mix: { insert: 1, update: 1, delete: 1 }, rowsPerTx: [1, 3], keysPerTable: 2 }, Array.from({ length: 80 }, () => true));
    const versions: RowVersion[] = plans.flat().map((w) => w.version);
    const reinserted = versions.filter((v, i) => v.op === 'c' && versions.slice(0, i).some((p) => p.key === v.key && p.table === v.table && p.op === 'd'));
    expect(reinserted.length).toBeGreaterThan(0);
    expect(reinserted.every((v) => v.version > 1)).toBe(true);
  });

  it('never touches an abandoned key again, and plans nothing when every key is abandoned', () => {
    const model = new WriterModel(1, new SchemaModel());
    const rng = new Rng(1);
    const options: PlanOptions = { mix: { insert: 1 }, rowsPerTx: [3, 3], keysPerTable: 1 };
    for (const t of WORKLOAD_TABLES) model.abandon(t.name, 1);
    expect(model.plan(rng, options)).toEqual([]);
  });

  it('reset() adopts the database row and keeps versions ahead of it', () => {
    const model = new WriterModel(1, new SchemaModel());
    const table = WORKLOAD_TABLES[0]!;
    model.reset(table.name, 1, { id: 100_001, writer: 1, version: 9, balance: '1.0000', doc: {}, note: null });
    const writes = model.plan(new Rng(5), { mix: { update: 1, insert: 1 }, rowsPerTx: [6, 6], keysPerTable: 1 });
    const mine = writes.find((w) => w.version.table === table.name);
    expect(mine?.version).toMatchObject({ op: 'u', version: 10, before: { version: 9 } });
  });
});
