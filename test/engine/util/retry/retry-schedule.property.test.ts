/**
 * The retry schedule's invariants (engine/src/util/retry/retry-schedule.ts):
 *   bounds       the n-th delay is the full-jitter draw floor(r·ceiling(n)), raised to the floor
 *                and to the failure's own hint, never more;
 *   caps         ceiling(n) = min(cap, base·2^(n-1)) never decreases and never passes the cap;
 *   jitter       with a seeded random source the same failures give the same delays;
 *   reset        after a success the next failure is attempt 1 again, with the shortest ceiling;
 *   give up      at maxAttempts failures in a row, or once the clock reached the deadline.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, seededRandom } from '../../../../engine/src/util/backoff.js';
import { RetrySchedule, type SchedulePolicy } from '../../../../engine/src/util/retry/index.js';

const RUNS = Number(process.env.TIDEMARK_PROPERTY_RUNS ?? 500);

const policyArb: fc.Arbitrary<SchedulePolicy> = fc
  .record({
    baseMs: fc.integer({ min: 0, max: 5_000 }),
    capMs: fc.integer({ min: 0, max: 120_000 }),
    floorMs: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: undefined }),
    maxAttempts: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
  })
  .map(({ floorMs, maxAttempts, ...p }) => ({ ...p, ...(floorMs === undefined ? {} : { floorMs }), ...(maxAttempts === undefined ? {} : { maxAttempts }) }));

/** A failure (with an optional Retry-After hint) or a success. */
const outcomeArb = fc.oneof(fc.record({ ok: fc.constant(false as const), atLeastMs: fc.option(fc.integer({ min: 1, max: 60_000 }), { nil: undefined }) }), fc.record({ ok: fc.constant(true as const) }));

describe('retry schedule', () => {
  it('delays are the full-jitter draw within [floor, max(floor, hint, ceiling)], give-ups at maxAttempts, reset after success', () => {
    fc.assert(
      fc.property(policyArb, fc.array(outcomeArb, { maxLength: 60 }), fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 1, maxLength: 60 }), (policy, outcomes, draws) => {
        let k = 0;
        const random = () => draws[k++ % draws.length]!;
        const schedule = new RetrySchedule(policy, random);
        let inARow = 0;
        for (const o of outcomes) {
          if (o.ok) {
            schedule.reset();
            inARow = 0;
            expect(schedule.attempts).toBe(0);
            continue;
          }
          inARow++;
          const r = draws[k % draws.length]!;
          const step = schedule.next(0, o.atLeastMs === undefined ? {} : { atLeastMs: o.atLeastMs });
          expect(step.attempt).toBe(inARow);
          if (policy.maxAttempts !== undefined && inARow >= policy.maxAttempts) {
            expect(step).toEqual({ retry: false, attempt: inARow, reason: 'attempts' });
            continue;
          }
          if (!step.retry) throw new Error(`gave up at attempt ${inARow} without a limit`);
          const ceiling = backoffCeiling(inARow - 1, policy);
          const lower = Math.max(policy.floorMs ?? 0, o.atLeastMs ?? 0);
          expect(step.delayMs).toBe(Math.max(Math.floor(r * ceiling), lower));
          expect(step.delayMs).toBeGreaterThanOrEqual(lower);
          expect(step.delayMs).toBeLessThanOrEqual(Math.max(lower, ceiling));
          // Jitter: strictly below the ceiling whenever the ceiling is what bounds it.
          if (ceiling > lower) expect(step.delayMs).toBeLessThan(ceiling);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('ceilings grow by doubling, never decrease and stop at the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 80 }), (baseMs, capMs, n) => {
        const policy = { baseMs, capMs };
        let prev = -1;
        for (let a = 0; a < n; a++) {
          const c = backoffCeiling(a, policy);
          expect(c).toBeGreaterThanOrEqual(prev);
          expect(c).toBeLessThanOrEqual(capMs);
          expect(c).toBe(Math.min(capMs, baseMs * 2 ** Math.min(a, 30)));
          prev = c;
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a seeded random source replays the same schedule', () => {
    fc.assert(
      fc.property(policyArb, fc.integer(), fc.integer({ min: 1, max: 40 }), (policy, seed, failures) => {
        const run = () => {
          const s = new RetrySchedule({ ...policy, maxAttempts: undefined }, seededRandom(seed));
          return Array.from({ length: failures }, () => s.next(0));
        };
        expect(run()).toEqual(run());
      }),
      { numRuns: RUNS },
    );
  });

  it('gives up once the clock reached the deadline, and only then', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 0, max: 200_000 }), fc.option(fc.nat(), { nil: undefined }), (gaps, anyDeadline, onAFailure) => {
        // Half the cases put the deadline exactly on a failure's time: the boundary counts as reached.
        const times = gaps.map((_, i) => gaps.slice(0, i + 1).reduce((a, b) => a + b, 0));
        const deadline = onAFailure === undefined ? anyDeadline : times[onAFailure % times.length]!;
        const s = new RetrySchedule({ baseMs: 10, capMs: 100 });
        for (const now of times) {
          const step = s.next(now, { deadline });
          if (now >= deadline) {
            expect(step).toMatchObject({ retry: false, reason: 'deadline' });
            return;
          }
          expect(step.retry).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
