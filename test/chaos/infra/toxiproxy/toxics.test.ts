import { describe, expect, it } from 'vitest';
import { TOXIC_KINDS, toxicBody, type ToxicSpec } from '../../../../chaos/src/infra/index.js';

describe('toxicBody', () => {
  const cases: [ToxicSpec, Record<string, number>][] = [
    [{ type: 'latency', latencyMs: 100, jitterMs: 10 }, { latency: 100, jitter: 10 }],
    [{ type: 'latency', latencyMs: 100 }, { latency: 100, jitter: 0 }],
    [{ type: 'bandwidth', rateKBps: 32 }, { rate: 32 }],
    [{ type: 'slow_close', delayMs: 250 }, { delay: 250 }],
    [{ type: 'timeout', timeoutMs: 0 }, { timeout: 0 }],
    [{ type: 'reset_peer' }, { timeout: 0 }],
    [{ type: 'slicer', averageSize: 100, sizeVariation: 20, delayUs: 50 }, { average_size: 100, size_variation: 20, delay: 50 }],
    [{ type: 'limit_data', bytes: 4096 }, { bytes: 4096 }],
  ];

  it.each(cases)('maps %o to Toxiproxy attributes', (spec, attributes) => {
    expect(toxicBody(spec).attributes).toEqual(attributes);
  });

  it('covers every toxic kind Toxiproxy 2.12 has', () => {
    expect(new Set(cases.map(([spec]) => spec.type))).toEqual(new Set(TOXIC_KINDS));
  });

  it('defaults to downstream, toxicity 1 and Toxiproxy-style names', () => {
    expect(toxicBody({ type: 'latency', latencyMs: 5 })).toMatchObject({ name: 'latency_downstream', stream: 'downstream', toxicity: 1, type: 'latency' });
    expect(toxicBody({ type: 'timeout', timeoutMs: 5, stream: 'upstream', toxicity: 0.25, name: 'stall' })).toMatchObject({
      name: 'stall', stream: 'upstream', toxicity: 0.25,
    });
  });

  it('rejects a toxicity outside 0..1', () => {
    expect(() => toxicBody({ type: 'bandwidth', rateKBps: 1, toxicity: 1.5 })).toThrow(/toxicity/);
    expect(() => toxicBody({ type: 'bandwidth', rateKBps: 1, toxicity: Number.NaN })).toThrow(/toxicity/);
  });
});
