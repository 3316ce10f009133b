import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENGINE_FAULTS, faultScheduleArbitrary, nemesisStepSchema, saneSchedule, type NemesisStep, type ScheduleOptions } from '../../../chaos/src/scenarios/index.js';

const OPTIONS: ScheduleOptions = { durationS: 30, proxies: ['source', 'kafka', 'redis'], servers: ['kafka'], maxEngineKills: 2, maxFaults: 8 };

function overlapsOnSameTarget(steps: readonly NemesisStep[]): boolean {
  return steps.some((a, i) => steps.some((b, j) => i < j && a.target === b.target && a.at < b.at + Math.max(b.duration, 1) && b.at < a.at + Math.max(a.duration, 1)));
}

describe('fault schedule arbitrary', () => {
  it('draws sane schedules: valid steps, ordered, within the workload, no overlap per target, capped kills', () => {
    fc.assert(
      fc.property(faultScheduleArbitrary(OPTIONS), (steps) => {
        expect(steps.length).toBeLessThanOrEqual(8);
        for (const s of steps) {
          expect(nemesisStepSchema.parse(s)).toEqual(s);
          expect(s.at + s.duration).toBeLessThanOrEqual(30);
          expect(['source', 'kafka', 'redis', 'engine']).toContain(s.target);
          if (s.fault === 'kill-server' || s.fault === 'restart-server') expect(s.target).toBe('kafka');
        }
        expect(steps.map((s) => s.at)).toEqual([...steps.map((s) => s.at)].sort((a, b) => a - b));
        expect(overlapsOnSameTarget(steps)).toBe(false);
        expect(steps.filter((s) => ENGINE_FAULTS.includes(s.fault)).length).toBeLessThanOrEqual(2);
      }),
      { numRuns: 500 },
    );
  });

  it('uses every kind it may, over many draws', () => {
    const seen = new Set(fc.sample(faultScheduleArbitrary(OPTIONS), 400).flat().map((s) => s.fault));
    expect([...seen].sort()).toEqual(['bandwidth', 'kill-engine', 'kill-server', 'latency', 'limit_data', 'partition', 'reset_peer', 'restart-server', 'slicer', 'slow_close', 'term-engine', 'timeout']);
  });

  it('honours the kinds option, and draws nothing when no kind can land', () => {
    const steps = fc.sample(faultScheduleArbitrary({ ...OPTIONS, kinds: ['latency'] }), 100).flat();
    expect(new Set(steps.map((s) => s.fault))).toEqual(new Set(['latency']));
    expect(fc.sample(faultScheduleArbitrary({ durationS: 10, proxies: [], kinds: ['partition'] }), 5)).toEqual([[], [], [], [], []]);
  });

  it('shrinks a failing schedule to the single fault that matters', () => {
    // Stands in for "the engine loses data when killed while Kafka is down".
    const failsWhen = (steps: readonly NemesisStep[]) => steps.some((s) => s.fault === 'kill-engine' && s.at >= 10);
    const result = fc.check(fc.property(faultScheduleArbitrary(OPTIONS), (steps) => !failsWhen(steps)), { seed: 42, numRuns: 1000 });
    expect(result.failed).toBe(true);
    expect(result.counterexample![0]).toEqual([{ at: 10, fault: 'kill-engine', target: 'engine', duration: 0, params: {} }]);
  });

  it('saneSchedule drops overlaps, clamps to the workload and caps kills', () => {
    const step = (at: number, fault: NemesisStep['fault'], target: NemesisStep['target'], duration: number) => ({ at, fault, target, duration, params: {} }) as NemesisStep;
    expect(
      saneSchedule(
        [step(5, 'partition', 'kafka', 10), step(1, 'kill-engine', 'engine', 0), step(8, 'partition', 'kafka', 2), step(15, 'partition', 'kafka', 9), step(2, 'kill-engine', 'engine', 0), step(9, 'term-engine', 'engine', 0), step(25, 'partition', 'source', 1)],
        { durationS: 20, maxEngineKills: 2 },
      ),
    ).toEqual([step(1, 'kill-engine', 'engine', 0), step(2, 'kill-engine', 'engine', 0), step(5, 'partition', 'kafka', 10), step(15, 'partition', 'kafka', 5)]);
  });
});
