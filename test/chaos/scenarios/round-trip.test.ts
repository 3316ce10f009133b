import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKER_NAMES } from '../../../chaos/src/checkers/index.js';
import { faultScheduleArbitrary, parseScenario, scenarioToYaml, withSchedule, type Scenario } from '../../../chaos/src/scenarios/index.js';

const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0);

/** Valid scenarios: random names, text, sinks, workloads, schedules and expectations. */
const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    description: text,
    tags: fc.array(text, { maxLength: 3 }),
    destructive: fc.boolean(),
    pipeline: fc.constantFrom('kafka.yaml', 'all-sinks.yaml', 'eo/kafka.yml'),
    kafkaEo: fc.option(fc.boolean(), { nil: undefined }),
    redis: fc.option(fc.boolean(), { nil: undefined }),
    nats: fc.boolean(),
    workload: fc.record({
      writers: fc.integer({ min: 1, max: 16 }),
      rate: fc.double({ min: 0.5, max: 500, noNaN: true }),
      duration: fc.integer({ min: 5, max: 120 }),
      mix: fc.record({ insert: fc.integer({ min: 1, max: 9 }), update: fc.integer({ min: 0, max: 9 }), delete: fc.double({ min: 0, max: 3, noNaN: true }) }),
      rows_per_tx: fc.integer({ min: 1, max: 5 }).map((min) => ({ min, max: min + 2 })),
    }),
    deadline: fc.integer({ min: 1, max: 300 }),
    halted: fc.boolean(),
    checkers: fc.option(fc.subarray([...CHECKER_NAMES].filter((c) => c !== 'lost' && c !== 'stalled'), { minLength: 1 }), { nil: undefined }),
    seed: fc.nat(),
  })
  .chain((r) => {
    const sinks = { ...(r.kafkaEo !== undefined || (!r.redis && !r.nats) ? { kafka: { exactly_once: r.kafkaEo ?? false } } : {}), ...(r.redis !== undefined ? { redis: { exactly_once: r.redis } } : {}), ...(r.nats ? { nats: {} } : {}) };
    const proxies = ['source', ...Object.keys(sinks)] as ('source' | 'kafka' | 'redis' | 'nats')[];
    return faultScheduleArbitrary({ durationS: r.workload.duration, proxies, servers: proxies }).map((nemesis): Scenario => ({
      name: r.name,
      description: r.description,
      sources: r.seed % 3 === 0 ? ['mysql'] : r.seed % 3 === 1 ? ['postgres'] : ['mysql', 'postgres'],
      tags: r.tags,
      destructive: r.destructive,
      pipeline: r.pipeline,
      sinks,
      workload: r.workload,
      nemesis,
      checkers: r.checkers ?? ['expectation'],
      deadline: r.deadline,
      expect: r.halted ? { outcome: 'halted', code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', message_includes: 'position: "lost"\n# not a comment', health: 503 } : { outcome: 'healthy' },
    }));
  });

describe('scenario YAML round trip', () => {
  it('scenarioToYaml output re-loads to an equal scenario', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        expect(parseScenario(scenarioToYaml(s), 'round-trip.yaml')).toEqual(s);
      }),
      { numRuns: 200 },
    );
  });

  it('a loaded scenario re-serialises to the same YAML', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const once = scenarioToYaml(s);
        expect(scenarioToYaml(parseScenario(once, 'x.yaml'))).toBe(once);
      }),
      { numRuns: 100 },
    );
  });

  it('prints a comment header the loader ignores', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const yaml = scenarioToYaml(s, { comment: 'shrunk from --seed 1\nre-run: npm run chaos -- --scenario x' });
        expect(yaml.startsWith('# shrunk from --seed 1\n# re-run: npm run chaos')).toBe(true);
        expect(parseScenario(yaml, 'x.yaml')).toEqual(s);
      }),
      { numRuns: 20 },
    );
  });

  it('withSchedule swaps the schedule and validates it against the scenario', () => {
    const base = parseScenario('name: base\ndescription: d\nsources: [mysql]\npipeline: k.yaml\nsinks: { kafka: {} }\nworkload: { writers: 1, rate: 1, duration: 20 }\ndeadline: 10\n', 'base.yaml');
    const s = withSchedule(base, [{ at: 3, fault: 'kill-engine', target: 'engine', duration: 1, params: {} }], 'random-7');
    expect(s).toMatchObject({ name: 'random-7', nemesis: [{ at: 3, fault: 'kill-engine' }], checkers: base.checkers });
    expect(() => withSchedule(base, [{ at: 3, fault: 'partition', target: 'redis', duration: 1, params: {} }])).toThrow(/nemesis\[0\]\.target: the scenario attaches no redis sink/);
  });
});
