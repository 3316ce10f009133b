import { describe, expect, it } from 'vitest';
import { parsePipelines, redact } from '../../../engine/src/config/index.js';

const spec = (encoding: string) => `apiVersion: tidemark/v1
kind: Pipeline
metadata: { name: p, tenant: t }
spec:
  source: { type: mysql, config: { id: s, dsn: "mysql://u:p@h/db", tables: [db.t] } }
  sinks:
    - type: kafka
      config: { id: k, brokers: "b:9092", topic: t, encoding: ${encoding} }
`;

const problem = (encoding: string): string => {
  try {
    parsePipelines(spec(encoding), 'p.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  return 'accepted';
};

describe('encoding config', () => {
  it('names what is wrong with an avro encoding, with its YAML path', () => {
    expect(problem('avro')).toContain('p.yaml: spec.sinks[0].config.encoding.schema_registry_url: required field is missing');
    expect(problem('{type: avro, schema_registry_url: "http://r", subject_strategy: nope}')).toContain('encoding.subject_strategy: expected one of topic_name, record_name, topic_record_name, got "nope"');
    expect(problem('{type: avro, schema_registry_url: "http://r", username: a}')).toContain('encoding.password: username and password go together');
    expect(problem('{type: avro, schema_registry_url: "http://r", username: a, password: b, bearer_token: c}')).toContain('encoding.bearer_token: choose basic auth');
    expect(problem('xml')).toContain('encoding.type: expected json or {type: avro, schema_registry_url: ...}, got "xml"');
  });

  it('keeps json as the default and fills avro defaults; secrets are redacted', () => {
    const [json] = parsePipelines(spec('{type: json}'), 'p.yaml');
    expect(json!.spec.spec.sinks[0]!.config.encoding).toBe('json');
    const [avro] = parsePipelines(spec('{type: avro, schema_registry_url: "http://r", username: a, password: hunter2}'), 'p.yaml');
    const encoding = avro!.spec.spec.sinks[0]!.config.encoding;
    expect(encoding).toMatchObject({ type: 'avro', subject_strategy: 'topic_name', unsigned_bigint_mode: 'string', enum_mode: 'string', naive_timestamp_mode: 'string', key_encoding: 'avro' });
    expect(JSON.stringify(redact(avro))).not.toContain('hunter2');
  });
});
