import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadPipelines, parsePipelines, redact } from '../../../engine/src/config/index.js';

const GOOD = `
apiVersion: tidemark/v1
kind: Pipeline
metadata:
  name: orders
  tenant: acme
spec:
  source:
    type: mysql
    config:
      id: orders-mysql
      dsn: \${MYSQL_DSN}
      tables: [shop.orders]
  sinks:
    - type: kafka
      config:
        id: orders-kafka
        brokers: localhost:9092
        topic: "cdc.\${source.db}.\${source.table}"
`;

const env = { MYSQL_DSN: 'mysql://cdc:s3cret@127.0.0.1:3306/shop' };

function problems(text: string, e: NodeJS.ProcessEnv = env): string[] {
  try {
    parsePipelines(text, 'pipelines/orders.yaml', e);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.file}: ${p.path}: ${p.reason}`);
  }
  throw new Error('expected the spec to be rejected');
}

describe('PipelineSpec loading', () => {
  it('applies the reference defaults', () => {
    const [p] = parsePipelines(GOOD, 'orders.yaml', env);
    expect(p!.spec.spec.batch).toEqual({ max_events: 500, max_bytes: 1_048_576, max_ms: 1000, respect_source_tx: true, max_inflight: 2 });
    expect(p!.spec.spec.commit_policy.mode).toBe('required');
    expect(p!.spec.spec.journal).toMatchObject({ enabled: false, max_event_bytes: 262_144, dlq: { max_entries: 10_000, max_age_secs: 604_800, overflow_policy: 'drop_oldest' } });
    const sink = p!.spec.spec.sinks[0]!;
    expect(sink.type === 'kafka' && sink.config).toMatchObject({ required: true, exactly_once: false, send_timeout_secs: 30, envelope: { type: 'native' }, encoding: 'json' });
    expect(p!.spec.spec.source.type === 'mysql' && p!.spec.spec.source.config.snapshot).toEqual({ mode: 'never', max_parallel_tables: 8, chunk_size: 10000 });
  });

  it('expands ${VAR} and keeps routing templates', () => {
    const [p] = parsePipelines(GOOD, 'orders.yaml', env);
    expect(p!.spec.spec.source.config.dsn).toBe(env.MYSQL_DSN);
    const sink = p!.spec.spec.sinks[0]!;
    expect(sink.type === 'kafka' && sink.config.topic).toBe('cdc.${source.db}.${source.table}');
  });

  it('uses ${VAR:-default} when the variable is unset', () => {
    const [p] = parsePipelines(GOOD.replace('${MYSQL_DSN}', '${NOPE_DSN:-mysql://root@127.0.0.1/x}'), 'o.yaml', {});
    expect(p!.spec.spec.source.config.dsn).toBe('mysql://root@127.0.0.1/x');
  });

  it('names the file, the YAML path and the reason', () => {
    const bad = GOOD.replace('  sinks:', '  batch:\n    max_events: lots\n  sinks:');
    expect(problems(bad)).toEqual(['pipelines/orders.yaml: spec.batch.max_events: expected a positive integer, got "lots"']);
  });

  it('reports a missing environment variable at its path', () => {
    expect(problems(GOOD, {})).toEqual([
      'pipelines/orders.yaml: spec.source.config.dsn: environment variable MYSQL_DSN is not set (use ${MYSQL_DSN:-default} for a fallback)',
    ]);
  });

  it('rejects unknown fields with a suggestion', () => {
    const bad = GOOD.replace('  sinks:', '  batch:\n    max_event: 10\n  sinks:');
    expect(problems(bad)).toEqual(['pipelines/orders.yaml: spec.batch.max_event: unknown field (did you mean "max_events"?)']);
  });

  it('rejects unknown fields inside a source config', () => {
    const bad = GOOD.replace('      tables: [shop.orders]', '      tables: [shop.orders]\n      tabels: [x]');
    expect(problems(bad)).toEqual(['pipelines/orders.yaml: spec.source.config.tabels: unknown field (did you mean "tables"?)']);
  });

  it('reports missing required fields and bad enum values', () => {
    const bad = GOOD.replace('        brokers: localhost:9092\n', '').replace('  sinks:', '  commit_policy:\n    mode: most\n  sinks:');
    expect(problems(bad).sort()).toEqual([
      'pipelines/orders.yaml: spec.commit_policy.mode: expected one of required, all, quorum, got "most"',
      'pipelines/orders.yaml: spec.sinks[0].config.brokers: required field is missing',
    ]);
  });

  it('rejects an unknown sink type', () => {
    expect(problems(GOOD.replace('type: kafka', 'type: kafak'))).toEqual(['pipelines/orders.yaml: spec.sinks[0].type: expected a sink with type kafka, redis, nats or http, got "kafak"']);
  });

  it('rejects duplicate sink ids and an impossible quorum', () => {
    const twoSinks = GOOD + `    - type: redis\n      config:\n        id: orders-kafka\n        uri: redis://127.0.0.1:6379\n        stream: s\n`;
    expect(problems(twoSinks)).toEqual(['pipelines/orders.yaml: spec.sinks[1].config.id: duplicate sink id "orders-kafka" (also used by sinks[0])']);
    const quorum = GOOD.replace('  sinks:', '  commit_policy:\n    mode: quorum\n    quorum: 3\n  sinks:');
    expect(problems(quorum)).toEqual(['pipelines/orders.yaml: spec.commit_policy.quorum: quorum 3 exceeds the number of sinks (1)']);
  });

  it('reports YAML syntax errors with line and column', () => {
    const [p] = problems('apiVersion: tidemark/v1\nkind: [Pipeline\n');
    expect(p).toMatch(/^pipelines\/orders\.yaml: line \d+, column \d+: /);
  });

  it('loads a directory and a multi-document file, and rejects duplicate names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidemark-config-'));
    writeFileSync(join(dir, 'a.yaml'), GOOD + '---\n' + GOOD.replace('name: orders', 'name: orders-2'));
    writeFileSync(join(dir, 'b.yml'), GOOD.replace('name: orders', 'name: orders-3'));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    expect(loadPipelines(dir, env).map((p) => p.spec.metadata.name)).toEqual(['orders', 'orders-2', 'orders-3']);
    writeFileSync(join(dir, 'c.yaml'), GOOD);
    expect(() => loadPipelines(dir, env)).toThrow(/metadata\.name: duplicate pipeline name "orders"/);
  });

  it('says what to do about a missing path or an empty directory', () => {
    expect(() => loadPipelines('/nonexistent/pipelines', env)).toThrow('/nonexistent/pipelines: (file): no such file or directory');
    const empty = mkdtempSync(join(tmpdir(), 'tidemark-empty-'));
    mkdirSync(join(empty, 'sub'));
    expect(() => loadPipelines(empty, env)).toThrow(/holds no \.yaml or \.yml file/);
  });
});

describe('redaction', () => {
  it('masks DSN passwords, key=value passwords and secret-named fields', () => {
    const [p] = parsePipelines(GOOD, 'o.yaml', env);
    const shown = JSON.stringify(redact({ ...p!.spec, extra: { password: 'x1', nested: { api_key: 'k', token: 't' }, kv: 'host=a password=hunter2 dbname=b' } }));
    expect(shown).not.toMatch(/s3cret|hunter2|"x1"|"k"|"t"/);
    expect(shown).toContain('mysql://cdc:***@127.0.0.1:3306/shop');
    expect(shown).toContain('password=***');
  });
});
