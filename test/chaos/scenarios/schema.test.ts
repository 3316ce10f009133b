import { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// The loader throws the engine's ConfigError as chaos imports it (the built package).
import { ConfigError } from '@tidemark/engine/config/load';
import { loadScenarioFile, loadScenarios, parseScenario } from '../../../chaos/src/scenarios/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

const MINIMAL = `
name: demo
description: A demo.
sources: [mysql]
pipeline: kafka.yaml
sinks: { kafka: {} }
workload: { writers: 2, rate: 10, duration: 30 }
deadline: 60
`;

function problems(text: string, file = 'scenarios/demo.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems.map((p) => `${p.file}: ${p.path}: ${p.reason}`);
  }
  throw new Error('expected the scenario to be rejected');
}

describe('scenario schema', () => {
  it('fills defaults', () => {
    const s = parseScenario(MINIMAL, 'demo.yaml');
    expect(s).toMatchObject({
      tags: [],
      destructive: false,
      nemesis: [],
      expect: { outcome: 'healthy' },
      sinks: { kafka: { exactly_once: false } },
      workload: { mix: { insert: 5, update: 4, delete: 1 }, rows_per_tx: { min: 1, max: 5 } },
      checkers: ['lost', 'duplicated', 'reordered', 'phantom', 'stalled', 'expectation', 'undecodable'],
    });
    expect(s.sinks).not.toHaveProperty('redis');
  });

  it('fills per-fault defaults: targets, durations and toxic params', () => {
    const s = parseScenario(`${MINIMAL}nemesis:\n  - { at: 1, fault: kill-engine }\n  - { at: 2, fault: slicer, target: source, duration: 3 }\n  - { at: 3, fault: binlog-purge }\n  - { at: 4, fault: latency, target: kafka, duration: 1, params: { latency_ms: 50 } }\n  - { at: 5, fault: ddl-add-column }\n`, 'demo.yaml');
    expect(s.nemesis).toEqual([
      { at: 1, fault: 'kill-engine', target: 'engine', duration: 0, params: {} },
      { at: 2, fault: 'slicer', target: 'source', duration: 3, params: { average_size: 64, size_variation: 32, delay_us: 50, stream: 'downstream', toxicity: 1 } },
      { at: 3, fault: 'binlog-purge', target: 'source', duration: 0, params: { gap_ms: 2000 } },
      { at: 4, fault: 'latency', target: 'kafka', duration: 1, params: { latency_ms: 50, jitter_ms: 100, stream: 'downstream', toxicity: 1 } },
      { at: 5, fault: 'ddl-add-column', target: 'source', duration: 0, params: {} },
    ]);
  });

  it('adds torn-transaction to the default checkers with exactly-once Kafka, and drops lost/stalled for a halt', () => {
    expect(parseScenario(MINIMAL.replace('kafka: {}', 'kafka: { exactly_once: true }'), 'demo.yaml').checkers).toContain('torn-transaction');
    expect(parseScenario(`${MINIMAL}expect: { outcome: halted }\n`, 'demo.yaml')).toMatchObject({ checkers: ['duplicated', 'reordered', 'phantom', 'expectation', 'undecodable'], expect: { outcome: 'halted', health: 503 } });
  });

  it('loads the fixtures', () => {
    const loaded = loadScenarios(FIXTURES);
    expect(loaded.map((l) => l.scenario.name)).toEqual(['binlog-purge', 'sink-outage']);
    expect(loaded[0]!.pipelinePath).toBe(join(FIXTURES, 'pipelines', 'kafka.yaml'));
    expect(loaded[0]!.scenario.expect).toEqual({ outcome: 'halted', code: 'TIDEMARK_ERR_SOURCE_POSITION_LOST', message_includes: 'position lost', health: 503 });
  });

  it.each([
    ['a negative duration', MINIMAL + 'nemesis:\n  - { at: 1, fault: partition, target: kafka, duration: -2 }\n', 'scenarios/demo.yaml: nemesis[0].duration: expected a number of seconds (0 or more), got -2'],
    ['an unknown fault', MINIMAL + 'nemesis:\n  - { at: 1, fault: partitoin }\n', 'scenarios/demo.yaml: nemesis[0].fault: expected one of partition, latency,'],
    ['a misspelt param', MINIMAL + 'nemesis:\n  - { at: 1, fault: latency, target: kafka, duration: 2, params: { latncy_ms: 5 } }\n', 'scenarios/demo.yaml: nemesis[0].params.latncy_ms: unknown field (did you mean "latency_ms"?)'],
    ['a param of the wrong type', MINIMAL + 'nemesis:\n  - { at: 1, fault: latency, target: kafka, duration: 2, params: { latency_ms: fast } }\n', 'scenarios/demo.yaml: nemesis[0].params.latency_ms: expected a positive integer, got "fast"'],
    ['a missing target', MINIMAL + 'nemesis:\n  - { at: 1, fault: partition, duration: 2 }\n', 'scenarios/demo.yaml: nemesis[0].target: expected one of source, mysql, mysql-b, postgres, postgres-b, kafka, redis, nats, http, schema-registry, got nothing'],
    ['a wrong target', MINIMAL + 'nemesis:\n  - { at: 1, fault: kill-engine, target: kafka }\n', 'scenarios/demo.yaml: nemesis[0].target: expected one of engine, got "kafka"'],
    ['a missing field', MINIMAL.replace('deadline: 60\n', ''), 'scenarios/demo.yaml: deadline: required field is missing'],
    ['an unknown field', MINIMAL + 'deadlin: 3\n', 'scenarios/demo.yaml: deadlin: unknown field (did you mean "deadline"?)'],
    ['an unknown source', MINIMAL.replace('[mysql]', '[mysql, oracle]'), 'scenarios/demo.yaml: sources[1]: expected one of mysql, postgres, got "oracle"'],
    ['an unknown checker', MINIMAL + 'checkers: [lost, lots]\n', 'scenarios/demo.yaml: checkers[1]: expected one of lost, duplicated, reordered, phantom, torn-transaction, stalled, expectation, undecodable, state, leak, dlq, got "lots"'],
    ['no sink', MINIMAL.replace('{ kafka: {} }', '{}'), 'scenarios/demo.yaml: sinks: expected at least one of kafka, redis, nats, http'],
    ['min above max', MINIMAL.replace('duration: 30 }', 'duration: 30, rows_per_tx: { min: 3, max: 2 } }'), 'scenarios/demo.yaml: workload.rows_per_tx.max: expected min <= max'],
    ['a pipeline outside pipelines/', MINIMAL.replace('kafka.yaml', '../secrets.yaml'), 'scenarios/demo.yaml: pipeline: expected a .yaml file name relative to scenarios/pipelines/'],
    ['a bad halt code', MINIMAL + 'expect: { outcome: halted, code: position_lost }\n', 'scenarios/demo.yaml: expect.code: expected an error code like TIDEMARK_ERR_SOURCE_POSITION_LOST'],
    ['a fault after the workload', MINIMAL + 'nemesis:\n  - { at: 30, fault: kill-engine }\n', 'scenarios/demo.yaml: nemesis[0].at: must be before the workload ends (30 s), got 30'],
    ['a fault healing after the deadline', MINIMAL + 'nemesis:\n  - { at: 20, fault: partition, target: source, duration: 71 }\n', 'scenarios/demo.yaml: nemesis[0].duration: the fault must heal before the deadline ends (workload 30 s + deadline 60 s), but it lasts until 91 s'],
    ['a fault on a sink it lacks', MINIMAL + 'nemesis:\n  - { at: 1, fault: partition, target: redis, duration: 1 }\n', 'scenarios/demo.yaml: nemesis[0].target: the scenario attaches no redis sink (sinks: kafka)'],
    ['a mysql fault in a scenario that also runs postgres', MINIMAL.replace('[mysql]', '[mysql, postgres]') + 'nemesis:\n  - { at: 1, fault: binlog-purge }\n', 'scenarios/demo.yaml: nemesis[0].fault: binlog-purge exists only for mysql, but the scenario also runs for postgres; use target: source or limit sources to [mysql]'],
    ['a postgres server target in a mysql scenario', MINIMAL + 'nemesis:\n  - { at: 1, fault: restart-server, target: postgres-b, duration: 1 }\n', 'scenarios/demo.yaml: nemesis[0].target: target postgres-b is a postgres server, but the scenario also runs for mysql'],
    ['lost with a halt', MINIMAL + 'expect: { outcome: halted }\ncheckers: [expectation, lost]\n', 'scenarios/demo.yaml: checkers[1]: lost cannot hold when the pipeline is expected to halt'],
    ['a duplicate checker', MINIMAL + 'checkers: [lost, lost]\n', 'scenarios/demo.yaml: checkers[1]: "lost" is listed twice'],
    ['broken YAML', 'name: [demo\n', 'scenarios/demo.yaml: line 2, column 1:'],
  ])('rejects %s with a path-qualified reason', (_what, text, message) => {
    expect(problems(text).join('\n')).toContain(message);
  });

  it('reports every problem of a file at once', () => {
    expect(problems(MINIMAL.replace('writers: 2', 'writers: 0').replace('rate: 10', 'rate: fast'))).toEqual([
      'scenarios/demo.yaml: workload.writers: expected a positive integer, got 0',
      'scenarios/demo.yaml: workload.rate: expected a positive number of transactions per second, got "fast"',
    ]);
  });

  it('checks the file name and the pipeline template when loading a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-scenarios-'));
    writeFileSync(join(dir, 'other.yaml'), MINIMAL);
    mkdirSync(join(dir, 'pipelines'));
    const err = (() => {
      try {
        loadScenarioFile(join(dir, 'other.yaml'));
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a failure');
    })();
    expect(err.problems.map((p) => `${p.path}: ${p.reason}`)).toEqual([
      'name: must match the file name "other", got "demo"',
      expect.stringMatching(/^pipeline: no such file .*pipelines\/kafka\.yaml; pipeline templates live in /),
    ]);
    copyFileSync(join(FIXTURES, 'pipelines', 'kafka.yaml'), join(dir, 'pipelines', 'kafka.yaml'));
    writeFileSync(join(dir, 'demo.yaml'), MINIMAL);
    expect(loadScenarioFile(join(dir, 'demo.yaml')).scenario.name).toBe('demo');
    expect(() => loadScenarios(dir)).toThrow(/other\.yaml: name: must match the file name "other"/);
    expect(() => loadScenarios(join(dir, 'missing'))).toThrow(/no such directory/);
  });

  it('lets only a scenario whose pipeline encodes Avro fault the schema registry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-scenarios-'));
    mkdirSync(join(dir, 'pipelines'));
    copyFileSync(join(FIXTURES, 'pipelines', 'kafka.yaml'), join(dir, 'pipelines', 'kafka.yaml'));
    writeFileSync(join(dir, 'pipelines', 'kafka-avro.yaml'), 'spec:\n  sinks:\n    - type: kafka\n      config: { id: k, encoding: { type: avro, schema_registry_url: x } }\n');
    const faulty = `${MINIMAL}nemesis:\n  - { at: 1, fault: partition, target: schema-registry, duration: 2 }\n`;
    writeFileSync(join(dir, 'demo.yaml'), faulty);
    expect(() => loadScenarioFile(join(dir, 'demo.yaml'))).toThrow(/nemesis\[0\]\.target: the pipeline kafka\.yaml encodes no sink as Avro, so the run has no schema registry/);
    writeFileSync(join(dir, 'demo.yaml'), faulty.replace('pipeline: kafka.yaml', 'pipeline: kafka-avro.yaml'));
    expect(loadScenarioFile(join(dir, 'demo.yaml')).scenario.nemesis[0]).toMatchObject({ target: 'schema-registry' });
  });
});
