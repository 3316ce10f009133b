/**
 * The commit queue (engine/src/coordinator/commit-queue.ts) against a model, over random sink
 * sets, commit policies and interleavings of seals and per-sink (FIFO) acknowledgements:
 *   order     batches commit in seal order, each once, and only when the policy is satisfied by
 *             the acknowledgements it has at that instant;
 *   complete  in the end exactly the longest prefix of batches the policy accepts is committed;
 *   moves     a sink's checkpoint moves only to a batch it acknowledged that is committed, in
 *             order, to each such batch once: its moves are exactly batches 0..min(acked, committed)-1.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CommitPolicy } from '../../../engine/src/coordinator/commit-policy.js';
import { CommitQueue, type CommitStep } from '../../../engine/src/coordinator/commit-queue.js';
import type { Batch } from '../../../engine/src/event/index.js';

const RUNS = Number(process.env.TIDEMARK_PROPERTY_RUNS ?? 1000);

const scenarioArb = fc
  .record({
    sinks: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
    mode: fc.constantFrom('required', 'all', 'quorum'),
    quorumPick: fc.nat(),
    batches: fc.integer({ min: 1, max: 12 }),
    ackedPick: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    /** -1: seal the next batch; s: sink s acknowledges its next batch (when it can). */
    schedule: fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 80 }),
  })
  .map((s) => ({
    ...s,
    quorum: 1 + (s.quorumPick % s.sinks.length),
    // How many batches (a prefix, FIFO lanes) each sink acknowledges in the end.
    acked: s.sinks.map((_, i) => s.ackedPick[i]! % (s.batches + 1)),
  }));

const batch = (seq: number): Batch => ({ seq, events: [], bytes: 0, position: { offset: seq } });
const offset = (p: unknown): number => (p as { offset: number }).offset;

describe('commit queue against a model', () => {
  it(`commits in order, completely, and moves each sink's checkpoint only over what it holds (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const sinks = s.sinks.map((required, i) => ({ id: `s${i}`, required }));
        const policy = new CommitPolicy(s.mode === 'quorum' ? { mode: 'quorum', quorum: s.quorum } : { mode: s.mode as 'required' | 'all' }, sinks);
        const queue = new CommitQueue(policy, sinks.map((k) => k.id));
        let sealed = 0;
        const next = sinks.map(() => 0);
        const acks = Array.from({ length: s.batches }, () => new Set<string>());
        const committed: number[] = [];
        const moves = new Map<string, number[]>(sinks.map((k) => [k.id, []]));

        const apply = (step: CommitStep) => {
          for (const { batch: b } of step.committed) {
            // Order: the next batch in seal order, and its policy satisfied right now.
            expect(b.seq).toBe(committed.length);
            expect(policy.isSatisfied(acks[b.seq]!)).toBe(true);
            committed.push(b.seq);
          }
          for (const m of step.moves) {
            const seq = offset(m.position);
            expect(acks[seq]!.has(m.sinkId)).toBe(true);
            expect(seq).toBeLessThan(committed.length);
            moves.get(m.sinkId)!.push(seq);
          }
          expect(queue.depth).toBe(sealed - committed.length);
        };
        const seal = () => apply(queue.push(batch(sealed++), 0));
        const ack = (i: number): boolean => {
          const seq = next[i]!;
          if (seq >= s.acked[i]! || seq >= sealed) return false;
          next[i]!++;
          acks[seq]!.add(sinks[i]!.id);
          apply(queue.ack(sinks[i]!.id, batch(seq)));
          return true;
        };

        for (const c of s.schedule) {
          if (c === -1) {
            if (sealed < s.batches) seal();
          } else if (c < sinks.length) ack(c);
        }
        while (sealed < s.batches) seal();
        sinks.forEach((_, i) => {
          while (ack(i));
        });

        let expected = 0;
        while (expected < s.batches && policy.isSatisfied(acks[expected]!)) expected++;
        expect(committed).toEqual(Array.from({ length: expected }, (_, i) => i));
        sinks.forEach((k, i) => expect(moves.get(k.id)).toEqual(Array.from({ length: Math.min(s.acked[i]!, expected) }, (_, j) => j)));
      }),
      { numRuns: RUNS },
    );
  });
});
