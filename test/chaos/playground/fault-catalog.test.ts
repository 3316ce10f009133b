import { describe, expect, it } from 'vitest';
import { FAULTS } from '../../../chaos/src/nemesis/index.js';
import { TOXIC_KINDS } from '../../../chaos/src/infra/index.js';
import { faultCatalog, parseFaultRequest, PRESETS } from '../../../chaos/src/playground/fault-catalog.js';
import { FAULT_KINDS } from '../../../chaos/src/scenarios/index.js';

describe('the playground fault catalog', () => {
  const catalog = faultCatalog();
  const byKind = new Map(catalog.map((f) => [f.kind, f]));

  it('offers every fault the nemesis knows, each with a nemesis implementation', () => {
    expect(catalog.map((f) => f.kind)).toEqual([...FAULT_KINDS]);
    for (const f of catalog) expect(FAULTS[f.kind as keyof typeof FAULTS], f.kind).toBeDefined();
  });

  it('has all seven Toxiproxy toxics with their fields, placement and defaults', () => {
    const fields: Record<string, string[]> = {
      latency: ['latency_ms', 'jitter_ms'], bandwidth: ['rate_kbps'], slow_close: ['delay_ms'], timeout: ['timeout_ms'],
      reset_peer: ['timeout_ms'], slicer: ['average_size', 'size_variation', 'delay_us'], limit_data: ['bytes'],
    };
    expect(Object.keys(fields).sort()).toEqual([...TOXIC_KINDS].sort());
    for (const [kind, names] of Object.entries(fields)) {
      const spec = byKind.get(kind)!;
      expect(spec.group).toBe('network');
      expect(spec.params.map((p) => p.name)).toEqual([...names, 'stream', 'toxicity']);
      expect(spec.params.find((p) => p.name === 'stream')).toMatchObject({ type: 'enum', options: ['upstream', 'downstream'], default: 'downstream' });
      expect(spec.params.find((p) => p.name === 'toxicity')).toMatchObject({ type: 'number', min: 0, max: 1, default: 1 });
      expect(spec.targets).toEqual(['source', 'mysql', 'mysql-b', 'postgres', 'postgres-b', 'kafka', 'redis', 'nats', 'http', 'schema-registry']);
    }
    expect(byKind.get('latency')!.params[0]).toMatchObject({ name: 'latency_ms', type: 'integer', min: 1, default: 300 });
  });

  it('knows the targets of process and source faults', () => {
    expect(byKind.get('kill-engine')).toMatchObject({ group: 'process', targets: ['engine'], defaultTarget: 'engine' });
    expect(byKind.get('failover')).toMatchObject({ group: 'source', targets: ['source', 'mysql', 'postgres'], defaultTarget: 'source' });
    expect(byKind.get('binlog-purge')!.params).toEqual([{ name: 'gap_ms', type: 'integer', default: 2000, min: 0, optional: false }]);
    expect(byKind.get('ddl-add-column')!.params.map((p) => [p.name, p.optional])).toEqual([['table', true], ['column', true], ['type', true]]);
  });

  it('checks a request like a scenario step: defaults filled, bad values named', () => {
    expect(parseFaultRequest({ fault: 'latency', target: 'kafka', params: { latency_ms: 50 } })).toEqual({ fault: 'latency', target: 'kafka', params: { latency_ms: 50, jitter_ms: 100, stream: 'downstream', toxicity: 1 } });
    expect(parseFaultRequest({ fault: 'kill-engine' })).toEqual({ fault: 'kill-engine', target: 'engine', params: {} });
    expect(() => parseFaultRequest({ fault: 'latency', target: 'kafka', params: { latency_ms: -1 } })).toThrow(/params\.latency_ms/);
    expect(() => parseFaultRequest({ fault: 'latency', target: 'kafka', params: { latncy_ms: 5 } })).toThrow(/latncy_ms/);
    expect(() => parseFaultRequest({ fault: 'kill-engine', target: 'kafka' })).toThrow(/target/);
    expect(() => parseFaultRequest({ fault: 'meteor' })).toThrow(/expected one of/);
  });

  it('ships presets that are valid faults, with unique ids', () => {
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
    for (const p of PRESETS) expect(() => parseFaultRequest(p), p.id).not.toThrow();
    expect(PRESETS.map((p) => p.fault)).toEqual(expect.arrayContaining(['partition', 'latency', 'kill-engine', 'failover', 'binlog-purge', 'slot-drop']));
  });
});
