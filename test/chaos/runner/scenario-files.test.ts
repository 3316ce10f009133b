import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../../chaos/src/nemesis/index.js';
import { runNamespace } from '../../../chaos/src/runner/namespace.js';
import { SCENARIOS_DIR } from '../../../chaos/src/runner/paths.js';
import { renderPipeline } from '../../../chaos/src/runner/pipeline-render.js';
import { sinkLayout } from '../../../chaos/src/runner/sink-layout.js';
import { loadScenarios, templateEncodesAvro } from '../../../chaos/src/scenarios/index.js';

const ENDPOINTS = { sourceDsn: 'postgres://u:p@127.0.0.1:1/db', kafkaBrokers: '127.0.0.1:2', redisUri: 'redis://127.0.0.1:3', natsUrl: 'nats://127.0.0.1:4', httpBase: 'http://127.0.0.1:5', registryUrl: 'http://127.0.0.1:6/apis/ccompat/v7' };

describe('the shipped scenarios', () => {
  const scenarios = loadScenarios(SCENARIOS_DIR);

  it('load, and every fault they name has a nemesis implementation', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(11);
    for (const { scenario } of scenarios) for (const step of scenario.nemesis) expect(FAULTS[step.fault], `${scenario.name}: ${step.fault}`).toBeDefined();
  });

  it('render a valid pipeline for every source family they run on', () => {
    for (const { scenario, pipelinePath } of scenarios) {
      for (const source of scenario.sources) {
        const ns = runNamespace(scenario.name, source, 1, 't');
        const layout = sinkLayout(scenario, ns, ['chaos_accounts', 'chaos_orders', 'chaos_events', 'chaos_warmup']);
        expect(() => renderPipeline({ templateText: readFileSync(pipelinePath, 'utf8'), file: pipelinePath, scenario: scenario.name, source, ns, layout, endpoints: ENDPOINTS }), `${scenario.name} (${source})`).not.toThrow();
      }
    }
  });

  it('cover what the issue asks for, each family where it applies', () => {
    const byName = new Map(scenarios.map((l) => [l.scenario.name, l.scenario]));
    for (const name of ['network-partition', 'sink-outage', 'crash-recovery', 'schema-drift', 'exactly-once', 'latency-storm']) expect(byName.get(name)?.sources).toEqual(['mysql', 'postgres']);
    expect(byName.get('failover')).toMatchObject({ sources: ['mysql'], expect: { outcome: 'healthy' } });
    for (const name of ['pg-failover', 'slot-dropped']) expect(byName.get(name)).toMatchObject({ sources: ['postgres'], destructive: true, expect: { outcome: 'halted', code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST' } });
    expect(byName.get('binlog-purge')).toMatchObject({ sources: ['mysql'], destructive: true, expect: { outcome: 'halted', code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST' } });
    expect(byName.get('exactly-once')!.checkers).toContain('torn-transaction');
    // Processors (issue 15): both families, a crash and a partition, a processor chain in the pipeline.
    expect(byName.get('processors')).toMatchObject({ sources: ['mysql', 'postgres'], pipeline: 'processors.yaml' });
    expect(byName.get('processors')!.nemesis.map((n) => n.fault)).toEqual(expect.arrayContaining(['kill-engine', 'partition']));
    // Every sink kind is judged somewhere, and exactly_once varies across scenarios.
    const eos = [...byName.values()].map((s) => s.sinks.kafka?.exactly_once);
    expect(eos).toContain(true);
    expect(eos).toContain(false);
  });

  it('run crash-recovery and schema-drift again with Avro on every sink, and sr-outage faults the registry during DDL', () => {
    const byName = new Map(scenarios.map((l) => [l.scenario.name, l]));
    for (const name of ['crash-recovery', 'schema-drift']) {
      const plain = byName.get(name)!;
      const avro = byName.get(`${name}-avro`)!;
      expect(templateEncodesAvro(avro.pipelinePath), name).toBe(true);
      expect(templateEncodesAvro(plain.pipelinePath), name).toBe(false);
      // The same run, only encoded differently.
      // (What each must show it exercised may be less for Avro: a subset of the plain run's; and
      // `all` may run the two on different sources: their short versions may differ.)
      expect({ ...avro.scenario, name: plain.scenario.name, description: '', tags: [], pipeline: '', requires: [], short: undefined }).toEqual({ ...plain.scenario, description: '', tags: [], pipeline: '', requires: [], short: undefined });
      expect(plain.scenario.requires).toEqual(expect.arrayContaining([...(avro.scenario.requires ?? [])]));
    }
    const outage = byName.get('sr-outage')!;
    expect(outage.scenario.sources).toEqual(['mysql', 'postgres']);
    expect(templateEncodesAvro(outage.pipelinePath)).toBe(true);
    const registryFaults = outage.scenario.nemesis.filter((n) => n.target === 'schema-registry');
    const ddl = outage.scenario.nemesis.filter((n) => n.fault.startsWith('ddl-'));
    expect(registryFaults.map((n) => n.fault)).toEqual(['partition', 'restart-server']);
    // Each DDL lands while the registry is away.
    for (const d of ddl) expect(registryFaults.some((f) => f.at <= d.at && d.at < f.at + f.duration + (f.fault === 'restart-server' ? 3 : 0))).toBe(true);
    for (const l of [byName.get('crash-recovery-avro')!, byName.get('schema-drift-avro')!, outage]) expect(l.scenario.checkers).toContain('undecodable');
  });
});
