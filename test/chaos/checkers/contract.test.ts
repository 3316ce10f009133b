/**
 * The contract every checker keeps, run against each implementation: pure (same input, same
 * verdicts, input untouched), verdicts named after the checker, at most 10 examples, finite
 * counts, and no crash on empty or odd histories.
 */
import { describe, expect, it } from 'vitest';
import { ALL_CHECKER_NAMES, createChecker, MAX_EXAMPLES, noopChecker, type Checker, type CheckInput } from '../../../chaos/src/checkers/index.js';
import { healthyFacts, recordsOf, sinkHistory, World } from './world.js';

const implementations: Checker[] = [noopChecker, ...ALL_CHECKER_NAMES.map((n) => createChecker(n, { expect: { outcome: 'halted' } }))];

function inputs(): Record<string, CheckInput> {
  const w = new World();
  for (let id = 1; id <= 30; id++) w.txn(id % 7 === 0 ? 'fail' : id % 5 === 0 ? 'info' : 'ok', (t) => t.insert('accounts', id));
  const source = w.history();
  const records = recordsOf(w.happened, { kind: 'kafka', exactlyOnce: true });
  const odd = records.map((r, i) => (i % 3 === 0 ? { ...r, version: null, sinkTxn: null } : i % 3 === 1 ? { ...r, key: 'not a key', op: 't' as const } : r));
  const shapes = [{ sink: 'kafka', kind: 'kafka', exactlyOnce: true, isolation: 'read_committed' }, { sink: 'redis', kind: 'redis' }] as const;
  return {
    empty: { source: new World().history(), sinks: [], faults: [], facts: healthyFacts([]) },
    'nothing delivered': { source, sinks: shapes.map((s) => sinkHistory([], s)), faults: [], facts: { ...healthyFacts(['kafka']), engine: { health: null, pipelines: [] } } },
    'everything delivered': { source, sinks: shapes.map((s) => sinkHistory(records, s)), faults: [{ kind: 'binlog-purge', target: 'mysql', at: 0, until: null }], facts: healthyFacts(['kafka', 'redis']) },
    'odd records': { source, sinks: shapes.map((s) => sinkHistory([...odd, ...odd], s)), faults: [], facts: healthyFacts(['kafka', 'redis']) },
  };
}

describe.each(implementations.map((c) => [c.name, c] as const))('checker contract: %s', (_name, checker) => {
  it.each(Object.entries(inputs()))('on %s: well-formed, deterministic verdicts', (_case, input) => {
    const before = JSON.stringify(input);
    const verdicts = checker.check(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(JSON.stringify(checker.check(input))).toBe(JSON.stringify(verdicts));
    for (const v of verdicts) {
      expect(v.checker).toBe(checker.name);
      expect(['valid', 'invalid', 'unknown']).toContain(v.validity);
      expect(v.summary.length).toBeGreaterThan(0);
      expect(v.examples.length).toBeLessThanOrEqual(MAX_EXAMPLES);
      for (const n of Object.values(v.counts)) expect(Number.isFinite(n)).toBe(true);
      if (v.validity === 'invalid') expect(v.examples.length).toBeGreaterThan(0);
    }
  });
});
