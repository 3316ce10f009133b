import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarios } from '../../../chaos/src/scenarios/index.js';
import { adjustScenario, setOverride } from '../../../chaos/src/runner/adjust.js';
import { coverageMatrix } from '../../../chaos/src/runner/coverage.js';
import { applyOverrides } from '../../../chaos/src/runner/pipeline-render.js';
import { SCENARIOS_DIR } from '../../../chaos/src/runner/paths.js';
import { selectScenarios } from '../../../chaos/src/runner/plan.js';
import { soakSchedule } from '../../../chaos/src/runner/soak-schedule.js';
import type { ScheduledFault } from '../../../chaos/src/nemesis/index.js';

const scenario = (name: string) => loadScenarios(SCENARIOS_DIR).find((l) => l.scenario.name === name)!.scenario;

/** In start order, each fault healed before the workload ends, faults on one target never overlapping. */
function expectSane(schedule: readonly ScheduledFault[], workloadSeconds: number): void {
  const busy = new Map<string, number>();
  for (const [i, f] of schedule.entries()) {
    if (i > 0) expect(f.at).toBeGreaterThanOrEqual(schedule[i - 1]!.at);
    expect(f.at + f.duration).toBeLessThan(workloadSeconds);
    expect(f.at).toBeGreaterThanOrEqual(busy.get(f.target) ?? 0);
    busy.set(f.target, f.at + Math.max(1, f.duration));
  }
}

describe('soak schedule', () => {
  it('draws faults at random intervals from the whole nemesis, sane and repeatable from the seed', () => {
    const soak = scenario('soak');
    const schedule = soakSchedule(soak, 7);
    expect(schedule).toEqual(soakSchedule(soak, 7));
    expect(schedule).not.toEqual(soakSchedule(soak, 8));
    expect(schedule.length).toBeGreaterThan(25); // 1800 s, one every 20-60 s
    expect(new Set(schedule.map((f) => f.fault)).size).toBeGreaterThan(10);
    expectSane(schedule, soak.workload.duration);
    // Columns are added before they are dropped, each once.
    const ddl = schedule.filter((f) => f.fault.startsWith('ddl')).map((f) => `${f.fault === 'ddl-add-column' ? '+' : '-'}${String(f.params?.column)}`);
    for (const [i, op] of ddl.entries()) if (op.startsWith('-')) expect(ddl.slice(0, i)).toContain(`+${op.slice(1)}`);
    expect(soakSchedule(scenario('soak-stable'), 7)).toEqual([]);
  });

  it('always kills the engine when the soak requires a restart, at any length and seed, keeping the schedule sane', () => {
    const base = scenario('soak');
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 120 }), fc.nat(1_000_000), (minutes, seed) => {
        const soak = adjustScenario(base, { durationMin: minutes });
        const schedule = soakSchedule(soak, seed);
        expect(schedule.filter((f) => f.fault === 'kill-engine').length).toBeGreaterThan(0);
        expectSane(schedule, soak.workload.duration);
      }),
      { numRuns: 300 },
    );
    // The short soak in `all` does not require a restart, so its draw is left as it is.
    const short = adjustScenario(base, { short: true });
    expect(short.requires).not.toContain('engine-restarted');
  });
});

describe('adjustments', () => {
  it('all runs the short version; --rows, --duration and --set change named runs', () => {
    const soak = adjustScenario(scenario('soak'), { short: true });
    expect(soak).toMatchObject({ sources: ['mysql'], workload: { duration: 180 }, soak: { check_every: 30 }, deadline: 120 });
    expect(adjustScenario(scenario('backlog-drain'), { short: true }).backlog?.rows).toBe(200_000);
    expect(adjustScenario(scenario('backlog-drain'), { rows: 5000 }).backlog?.rows).toBe(5000);
    expect(adjustScenario(scenario('tpcc'), { durationMin: 0.5 }).workload.duration).toBe(30);
    expect(adjustScenario(scenario('crash-recovery'), { durationMin: 10 }).workload.duration).toBe(18); // neither soak nor tpcc
    const set = adjustScenario(scenario('backlog-drain'), { set: ['batch.max_events=4000', 'commit_policy.mode=all', 'sinks.kafka.client_conf.linger.ms=5', 'sinks.kafka.metadata_headers=compact'] });
    expect(set.overrides).toEqual({ batch: { max_events: 4000 }, commit_policy: { mode: 'all' }, sinks: { kafka: { client_conf: { 'linger.ms': '5' }, metadata_headers: 'compact' } } });
    expect(() => adjustScenario(scenario('backlog-drain'), { set: ['commit_policy.mode=sometimes'] })).toThrow(/commit_policy/);
    expect(() => setOverride({}, 'batch.max_events')).toThrow(/path=value/);
  });

  it('overrides merge into the rendered spec: batch key by key, commit policy whole, a sink by kind', () => {
    const spec: Record<string, unknown> = { batch: { max_events: 200, max_ms: 100 }, commit_policy: { mode: 'required' }, sinks: [{ type: 'kafka', config: { id: 'k', client_conf: { acks: 'all' } } }, { type: 'nats', config: { id: 'n' } }] };
    applyOverrides(spec, { batch: { max_events: 4000 }, commit_policy: { mode: 'quorum', quorum: 1 }, sinks: { kafka: { client_conf: { 'linger.ms': '5' } }, nats: { required: false } } });
    expect(spec).toEqual({ batch: { max_events: 4000, max_ms: 100 }, commit_policy: { mode: 'quorum', quorum: 1 }, sinks: [{ type: 'kafka', config: { id: 'k', client_conf: { acks: 'all', 'linger.ms': '5' } } }, { type: 'nats', config: { id: 'n', required: false } }] });
  });
});

describe('coverage of all', () => {
  it('faults every sink and source, schedules all seven toxics, and uses every checker', () => {
    const matrix = coverageMatrix(selectScenarios('all', SCENARIOS_DIR).map((l) => ({ ...l, scenario: adjustScenario(l.scenario, { short: true }) })));
    expect(matrix).toContain('(all seven)');
    expect(matrix).toMatch(/schema registry faulted: yes; sinks faulted: kafka yes, redis yes, nats yes, http yes; sources faulted: mysql yes, postgres yes/);
    const counts = /checkers \(scenarios using each\): (.*)/.exec(matrix)![1]!;
    for (const [, n] of counts.matchAll(/\S+ (\d+)/g)) expect(Number(n)).toBeGreaterThan(0);
  });
});
