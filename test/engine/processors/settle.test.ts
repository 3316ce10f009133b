import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idempotencyKey, type ChangeEvent } from '../../../engine/src/event/index.js';
import { settle } from '../../../engine/src/processors/settle.js';
import { buildLog, txArb } from '../../support/transactions.js';

/** What a random processor does with one input event: drop it, or emit it (rewritten) n times. */
const fateArb = fc.oneof(fc.constant(0), fc.constant(1), fc.constant(1), fc.integer({ min: 2, max: 3 }));

function apply(input: readonly ChangeEvent[], fates: readonly number[], shuffle: readonly number[]): { output: ChangeEvent[]; derivedFrom: Map<ChangeEvent, number> } {
  const derivedFrom = new Map<ChangeEvent, number>();
  const output: ChangeEvent[] = [];
  input.forEach((e, i) => {
    const n = fates[i % fates.length]!;
    for (let k = 0; k < n; k++) {
      // The first keeps the object when the processor changes nothing; copies are new objects.
      const out = k === 0 && n === 1 ? e : { ...e, after: { ...(e.after ?? {}), copyOf: i, k } };
      derivedFrom.set(out, i);
      output.push(out);
    }
  });
  // The processor may return its output in any order.
  const keyed = output.map((e, i) => ({ e, r: shuffle[i % Math.max(1, shuffle.length)] ?? 0 }));
  return { output: keyed.sort((a, b) => a.r - b.r).map((x) => x.e), derivedFrom };
}

describe('settle', () => {
  it('moves tx.end to the last survivor and leaves untouched events as they are', () => {
    const log = buildLog([{ events: [1, 2, 3].map((key) => ({ key, table: 't', size: 1 })) }]);
    const { events, dropped } = settle('p', 't', log, [log[0]!, log[1]!]);
    expect(dropped).toBe(1);
    expect(events[0]).toBe(log[0]);
    expect(events[1]).toMatchObject({ id: log[1]!.id, tx: { id: log[1]!.tx.id, index: 1, end: true }, source: log[1]!.source });
  });

  it('rejects an event that does not come from the batch', () => {
    const log = buildLog([{ events: [{ key: 1, table: 't', size: 1 }] }]);
    const stranger = { ...log[0]!, tx: { id: 'elsewhere', index: 0, end: true } };
    expect(() => settle('js', 't', log, [stranger])).toThrow(expect.objectContaining({ code: 'TIDEMARK_ERR_PROCESSOR_CONTRACT', message: expect.stringMatching(/processor js returned event/) }));
  });

  it('keeps order, transaction ends and distinct keys whatever a processor drops, splits or reorders', () => {
    fc.assert(
      fc.property(fc.array(txArb(4), { minLength: 1, maxLength: 8 }), fc.array(fateArb, { minLength: 1, maxLength: 10 }), fc.array(fc.nat(50), { maxLength: 40 }), (txs, fates, shuffle) => {
        const input = buildLog(txs);
        const { output, derivedFrom } = apply(input, fates, shuffle);
        const { events, dropped } = settle('p', 'tenant', input, output);

        const origin = (e: ChangeEvent) => input.findIndex((x) => x.tx.id === e.tx.id && x.tx.index === e.tx.index);
        // Every output event is there exactly once (rewritten only in tx.end / copy / id).
        expect(events).toHaveLength(output.length);
        // Source order: origins never go backwards.
        const origins = events.map(origin);
        expect(origins).toEqual([...origins].sort((a, b) => a - b));
        // Copies of one source event keep the relative order the processor gave them.
        for (let i = 0; i < input.length; i++) {
          const given = output.filter((e) => derivedFrom.get(e) === i).map((e) => (e.after as { k?: number }).k ?? 0);
          const got = events.filter((e) => origin(e) === i).map((e) => (e.after as { k?: number }).k ?? 0);
          expect(got).toEqual(given);
        }
        expect(dropped).toBe(input.filter((_, i) => !events.some((e) => origin(e) === i)).length);
        // Distinct idempotency keys and ids; the first event of each source event keeps its id.
        expect(new Set(events.map((e) => idempotencyKey('tenant', e))).size).toBe(events.length);
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
        for (const e of events) if (!e.copy) expect(e.id).toBe(input[origin(e)]!.id);
        // Positions and transactions come from the input event.
        for (const e of events) expect(e.source.position).toEqual(input[origin(e)]!.source.position);
        // A transaction that ended in the batch ends on its last surviving event, and only there.
        const ended = new Set(input.filter((e) => e.tx.end).map((e) => e.tx.id));
        const lastOf = new Map(events.map((e, i) => [e.tx.id, i]));
        events.forEach((e, i) => expect(e.tx.end).toBe(ended.has(e.tx.id) && lastOf.get(e.tx.id) === i));
      }),
      { numRuns: 500 },
    );
  });
});
