import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pipelineSpec } from '../../../engine/src/config/index.js';
import { runNamespace } from '../../../chaos/src/runner/namespace.js';
import { SCENARIOS_DIR } from '../../../chaos/src/runner/paths.js';
import { renderPipeline, type RenderInput } from '../../../chaos/src/runner/pipeline-render.js';
import { sinkLayout } from '../../../chaos/src/runner/sink-layout.js';
import { parseScenario } from '../../../chaos/src/scenarios/index.js';

const TEMPLATE = join(SCENARIOS_DIR, 'pipelines', 'standard.yaml');
const TABLES = ['chaos_accounts', 'chaos_orders', 'chaos_events', 'chaos_warmup'];
const ENDPOINTS = { sourceDsn: 'mysql://cdc:pw@127.0.0.1:1000/tidemark', kafkaBrokers: '127.0.0.1:1001', redisUri: 'redis://127.0.0.1:1002', natsUrl: 'nats://127.0.0.1:1003', httpBase: 'http://127.0.0.1:1004' };

function input(sinks: string, source: 'mysql' | 'postgres' = 'mysql', templateText = readFileSync(TEMPLATE, 'utf8')): RenderInput {
  const scenario = parseScenario(`name: s\ndescription: d\nsources: [mysql, postgres]\npipeline: standard.yaml\nsinks: ${sinks}\nworkload: { writers: 1, rate: 1, duration: 2 }\ndeadline: 5\n`, 's.yaml');
  const ns = runNamespace('s', source, 3, 'n');
  return { templateText, file: TEMPLATE, scenario: 's', source, ns, layout: sinkLayout(scenario, ns, TABLES), endpoints: ENDPOINTS };
}

type Doc = { metadata: { name: string }; spec: { source: { type: string; config: Record<string, unknown> }; sinks: { type: string; config: Record<string, unknown> }[] } };

describe('pipeline rendering', () => {
  it('keeps only the attached sinks, with exactly_once as the scenario says and HTTP per event', () => {
    const { document, sinkIds } = renderPipeline(input('{ kafka: { exactly_once: true }, http: {} }'));
    const doc = document as unknown as Doc;
    expect(doc.spec.sinks.map((s) => s.type)).toEqual(['kafka', 'http']);
    expect(doc.spec.sinks[0]!.config).toMatchObject({ exactly_once: true, brokers: '127.0.0.1:1001', topic: 'chaos.s-my-3-n.all' });
    expect(doc.spec.sinks[1]!.config).toMatchObject({ batch_mode: false, url: 'http://127.0.0.1:1004/s-my-3-n/${source.table}' });
    expect(sinkIds).toEqual({ kafka: 'kafka', http: 'http' });
    expect(pipelineSpec.safeParse(document).success).toBe(true);
  });

  it('routes per table outside exactly-once Kafka, leaving the engine its routing template', () => {
    const doc = renderPipeline(input('{ kafka: {}, redis: { exactly_once: true }, nats: {} }')).document as unknown as Doc;
    expect(doc.spec.sinks.map((s) => [s.type, s.config.topic ?? s.config.stream, s.config.exactly_once])).toEqual([
      ['kafka', 'chaos.s-my-3-n.${source.table}', false],
      ['redis', 'chaos:s-my-3-n:${source.table}', true],
      ['nats', 'CHAOS_S_MY_3_N', undefined],
    ]);
    expect(doc.spec.sinks[2]!.config.subject).toBe('chaos.s-my-3-n.${source.table}');
  });

  it('adds the family settings of the source', () => {
    const my = renderPipeline(input('{ redis: {} }')).document as unknown as Doc;
    expect(my.metadata.name).toBe('s-my-3-n');
    expect(my.spec.source).toMatchObject({ type: 'mysql', config: { id: 'src-s-my-3-n', dsn: ENDPOINTS.sourceDsn, tables: ['chaos_s_my_3_n.*'], heartbeat_secs: 1 } });
    const pg = renderPipeline(input('{ redis: {} }', 'postgres')).document as unknown as Doc;
    expect(pg.spec.source).toMatchObject({ type: 'postgres', config: { slot: 'chaos_s_pg_3_n', publication: 'chaos_s_pg_3_n', tables: ['chaos_s_pg_3_n.*'] } });
    expect(pg.spec.source.config.heartbeat_secs).toBeUndefined();
  });

  it('says which sink the template lacks, and which variable it does not know', () => {
    const noRedis = readFileSync(TEMPLATE, 'utf8').replace(/    - type: redis\n(      .*\n)+?(?=    - type)/, '');
    expect(() => renderPipeline(input('{ redis: {} }', 'mysql', noRedis))).toThrow('needs exactly one sink of type redis (found 0)');
    const unknownVar = readFileSync(TEMPLATE, 'utf8').replace('tenant: chaos', 'tenant: ${NO_SUCH_VAR}');
    expect(() => renderPipeline(input('{ redis: {} }', 'mysql', unknownVar))).toThrow(/metadata.tenant: environment variable NO_SUCH_VAR is not set/);
  });
});
