import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathSegments, validateTemplate, type RenderContext } from '../../../../chaos/src/playground/lab/validate-template.js';
import { runNamespace } from '../../../../chaos/src/runner/namespace.js';
import { SCENARIOS_DIR } from '../../../../chaos/src/runner/paths.js';
import { sinkLayout } from '../../../../chaos/src/runner/sink-layout.js';
import { loadScenarioFile } from '../../../../chaos/src/scenarios/index.js';

const loaded = loadScenarioFile(join(SCENARIOS_DIR, 'playground.yaml'), SCENARIOS_DIR);
const ns = runNamespace('live', 'mysql', 1, 'abcd');
const ctx: RenderContext = {
  scenario: 'playground', source: 'mysql', ns,
  layout: sinkLayout(loaded.scenario, ns, ['chaos_accounts', 'chaos_orders', 'chaos_events', 'chaos_warmup']),
  endpoints: { sourceDsn: 'mysql://cdc:cdcpw@127.0.0.1:1/tidemark', kafkaBrokers: '127.0.0.1:2', redisUri: 'redis://127.0.0.1:3', natsUrl: 'nats://127.0.0.1:4', httpBase: 'http://127.0.0.1:5' },
};
const template = readFileSync(loaded.pipelinePath, 'utf8');

describe('the config lab validator', () => {
  it('accepts the live template and renders it like a run', () => {
    const r = validateTemplate(template, ctx);
    expect(r.valid).toBe(true);
    if (r.valid) expect(r.rendered.document).toMatchObject({ metadata: { name: ns.pipeline }, spec: { source: { type: 'mysql' } } });
  });

  it('names the YAML path of each problem, with its line', () => {
    const bad = template.replace('max_events: 200', 'max_events: -5').replace('send_timeout_secs: 10', 'send_timout_secs: 10');
    const r = validateTemplate(bad, ctx);
    expect(r.valid).toBe(false);
    if (r.valid) return;
    const lines = bad.split('\n');
    const byPath = new Map(r.problems.map((p) => [p.path, p]));
    expect(byPath.get('spec.batch.max_events')?.reason).toMatch(/positive|greater|at least/i);
    expect(lines[byPath.get('spec.batch.max_events')!.line! - 1]).toContain('max_events: -5');
    expect(byPath.get('spec.sinks[0].config.send_timout_secs')?.reason).toMatch(/unknown field \(did you mean "send_timeout_secs"\?\)/);
    expect(lines[byPath.get('spec.sinks[0].config.send_timout_secs')!.line! - 1]).toContain('send_timout_secs');
  });

  it('reports YAML syntax errors by line', () => {
    const r = validateTemplate('spec:\n  batch: [unclosed\n', ctx);
    expect(r.valid).toBe(false);
    if (!r.valid) expect(r.problems[0]).toMatchObject({ path: expect.stringMatching(/^line \d+, column \d+$/), line: expect.any(Number) });
  });

  it('splits paths into segments', () => {
    expect(pathSegments('spec.sinks[2].config.brokers')).toEqual(['spec', 'sinks', 2, 'config', 'brokers']);
    expect(pathSegments('a[0][1]')).toEqual(['a', 0, 1]);
  });
});
