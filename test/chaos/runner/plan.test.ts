import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRuns, selectScenarios, servicesFor, skippedFor } from '../../../chaos/src/runner/plan.js';
import { SCENARIOS_DIR } from '../../../chaos/src/runner/paths.js';

describe('selecting scenarios', () => {
  it('all: every scenario of scenarios/ except templates', () => {
    const names = selectScenarios('all', SCENARIOS_DIR).map((l) => l.scenario.name);
    expect(names).toContain('network-partition');
    expect(names).toContain('failover');
    expect(names).not.toContain('random-base');
  });

  it('a name, or a path to a file anywhere (pipelines then come from scenarios/)', () => {
    expect(selectScenarios('crash-recovery', SCENARIOS_DIR).map((l) => l.scenario.name)).toEqual(['crash-recovery']);
    const dir = mkdtempSync(join(tmpdir(), 'plan-test-'));
    writeFileSync(join(dir, 'mine.yaml'), 'name: mine\ndescription: d\nsources: [mysql]\npipeline: standard.yaml\nsinks: { redis: {} }\nworkload: { writers: 1, rate: 1, duration: 2 }\ndeadline: 5\n');
    const [loaded] = selectScenarios(join(dir, 'mine.yaml'), SCENARIOS_DIR);
    expect(loaded!.pipelinePath).toBe(join(SCENARIOS_DIR, 'pipelines', 'standard.yaml'));
  });

  it('several names separated by commas, each checked', () => {
    expect(selectScenarios('network-partition,crash-recovery', SCENARIOS_DIR).map((l) => l.scenario.name)).toEqual(['network-partition', 'crash-recovery']);
    expect(() => selectScenarios('network-partition,nope', SCENARIOS_DIR)).toThrow(/no scenario "nope"/);
  });

  it('a file next to its own pipelines/ uses those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-test-'));
    mkdirSync(join(dir, 'pipelines'));
    writeFileSync(join(dir, 'pipelines', 'p.yaml'), 'apiVersion: tidemark/v1\n');
    writeFileSync(join(dir, 'own.yaml'), 'name: own\ndescription: d\nsources: [mysql]\npipeline: p.yaml\nsinks: { redis: {} }\nworkload: { writers: 1, rate: 1, duration: 2 }\ndeadline: 5\n');
    expect(selectScenarios(join(dir, 'own.yaml'), SCENARIOS_DIR)[0]!.pipelinePath).toBe(join(dir, 'pipelines', 'p.yaml'));
  });

  it('an unknown name lists the known ones', () => {
    expect(() => selectScenarios('nope', SCENARIOS_DIR)).toThrow(/no scenario "nope".*known: .*network-partition/);
  });
});

describe('planning runs', () => {
  const all = selectScenarios('all', SCENARIOS_DIR);

  it('runs harmless scenarios first, then destructive ones, failovers last', () => {
    const plan = planRuns(all, 'both', 7);
    const rank = plan.map((r) => (r.scenario.nemesis.some((n) => n.fault === 'failover') ? 2 : r.scenario.destructive ? 1 : 0));
    expect(rank).toEqual([...rank].sort((a, b) => a - b));
    expect(rank.at(-1)).toBe(2);
    expect(plan.every((r) => r.scenario.sources.includes(r.source))).toBe(true);
    // Both families of a two-family scenario, mysql first.
    const np = plan.filter((r) => r.scenario.name === 'network-partition').map((r) => r.source);
    expect(np).toEqual(['mysql', 'postgres']);
  });

  it('filters by source family and repeats with consecutive seeds', () => {
    const plan = planRuns(selectScenarios('crash-recovery', SCENARIOS_DIR), 'postgres', 10, 3);
    expect(plan.map((r) => [r.source, r.seed, r.label])).toEqual([
      ['postgres', 10, '#1'],
      ['postgres', 11, '#2'],
      ['postgres', 12, '#3'],
    ]);
    expect(planRuns(selectScenarios('binlog-purge', SCENARIOS_DIR), 'postgres', 1)).toEqual([]);
    expect(skippedFor(selectScenarios('binlog-purge', SCENARIOS_DIR), 'postgres')).toEqual(['binlog-purge (mysql only)']);
  });

  it('starts the servers the runs need, replicas only for failovers', () => {
    expect(servicesFor(planRuns(selectScenarios('crash-recovery', SCENARIOS_DIR), 'mysql', 1)).sort()).toEqual(['kafka', 'mysql', 'nats', 'redis']);
    expect(servicesFor(planRuns(all, 'both', 1)).sort()).toEqual(['kafka', 'mysql', 'mysql-b', 'nats', 'postgres', 'postgres-b', 'redis', 'schema-registry']);
  });

  it('adds the schema registry only when a pipeline encodes Avro', () => {
    expect(servicesFor(planRuns(selectScenarios('crash-recovery-avro', SCENARIOS_DIR), 'postgres', 1)).sort()).toEqual(['kafka', 'nats', 'postgres', 'redis', 'schema-registry']);
    expect(servicesFor(planRuns(selectScenarios('schema-drift', SCENARIOS_DIR), 'postgres', 1))).not.toContain('schema-registry');
  });
});
