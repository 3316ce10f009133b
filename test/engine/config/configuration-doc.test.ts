import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePipelines, pipelineSpec } from '../../../engine/src/config/index.js';
import { FIELD_HELP } from '../../../engine/src/config/field-help.js';
import { schemaFields } from '../../../engine/src/config/reference.js';
import { CONFIGURATION_EXAMPLE, renderConfigurationMarkdown } from '../../../engine/src/config/render-config-docs.js';

describe('docs/configuration.md', () => {
  it('is what the schema generates (run `npm run docs:config` after changing a field)', () => {
    expect(readFileSync('docs/configuration.md', 'utf8')).toBe(renderConfigurationMarkdown());
  });

  it('describes every field the schema accepts, and nothing it does not', () => {
    const rows = schemaFields(pipelineSpec);
    const missing = rows.filter((r) => (r.variant === null || FIELD_HELP[`${r.variant}:${r.path}`] === undefined) && FIELD_HELP[r.path] === undefined).map((r) => `${r.variant ?? ''}:${r.path}`);
    expect(missing).toEqual([]);
    const known = new Set(rows.flatMap((r) => [r.path, `${r.variant}:${r.path}`]));
    expect(Object.keys(FIELD_HELP).filter((k) => !known.has(k))).toEqual([]);
    // The walk reaches every kind of field: each source, sink and processor type, and nested blocks.
    expect(new Set(rows.map((r) => r.variant))).toEqual(new Set([null, 'mysql', 'postgres', 'kafka', 'redis', 'nats', 'http', 'javascript', 'flatten', 'filter', 'outbox']));
    expect(rows.find((r) => r.path === 'spec.batch.max_events')).toMatchObject({ type: 'integer > 0', required: false, default: '500' });
    expect(rows.find((r) => r.path === 'spec.journal.dlq.overflow_policy')).toMatchObject({ type: 'one of `drop_oldest`, `reject`, `block`', default: 'drop_oldest' });
  });

  it('its example loads with the engine\'s own loader', () => {
    const [loaded] = parsePipelines(CONFIGURATION_EXAMPLE, 'orders.yaml', { MYSQL_DSN: 'mysql://cdc:secret@127.0.0.1:3306/shop' });
    const spec = loaded!.spec;
    expect(spec.metadata.name).toBe('orders');
    expect(spec.spec.source).toMatchObject({ type: 'mysql', config: { dsn: 'mysql://cdc:secret@127.0.0.1:3306/shop', snapshot: { mode: 'initial' } } });
    expect(spec.spec.sinks.map((s) => [s.type, s.config.required])).toEqual([['kafka', true], ['redis', false]]);
    expect(spec.spec.sinks[0]!.config).toMatchObject({ brokers: '127.0.0.1:9092', topic: 'cdc.${source.db}.${source.table}', exactly_once: true });
    expect(spec.spec.journal.dlq.overflow_policy).toBe('reject');
  });
});
