import { describe, expect, it } from 'vitest';
import type { NemesisContext, Fault } from '../../../chaos/src/nemesis/index.js';
import { NemesisScheduler, proxyName, serviceOf, toxicFor } from '../../../chaos/src/nemesis/index.js';
import { PROXY_FAULTS, nemesisStepSchema } from '../../../chaos/src/scenarios/index.js';

const ctx = { source: 'postgres', primary: () => 'postgres-b', log: () => {} } as unknown as NemesisContext;

describe('nemesis', () => {
  it('turns every toxic a scenario can name, with the loader defaults, into the Toxiproxy toxic', () => {
    for (const kind of PROXY_FAULTS.filter((k) => k !== 'partition')) {
      const step = nemesisStepSchema.parse({ at: 0, fault: kind, target: 'kafka', duration: 1 });
      const toxic = toxicFor(kind as Exclude<typeof kind, 'partition'>, step.params);
      expect(toxic.type).toBe(kind);
      expect(toxic).toMatchObject({ stream: 'downstream', toxicity: 1 });
    }
    expect(toxicFor('latency', { latency_ms: 800, jitter_ms: 5, stream: 'upstream', toxicity: 0.5 })).toEqual({ type: 'latency', latencyMs: 800, jitterMs: 5, stream: 'upstream', toxicity: 0.5, name: 'chaos_latency_upstream' });
    expect(toxicFor('slicer', { average_size: 10, size_variation: 2, delay_us: 7 })).toMatchObject({ averageSize: 10, sizeVariation: 2, delayUs: 7 });
  });

  it('resolves source to the family proxy and to the current primary server', () => {
    expect(proxyName(ctx, 'source')).toBe('postgres');
    expect(proxyName(ctx, 'kafka')).toBe('kafka');
    expect(serviceOf(ctx, 'source')).toBe('postgres-b');
    expect(() => serviceOf(ctx, 'http')).toThrow('http is not a server of the topology');
  });

  it('plays a schedule: timestamps each fault, heals each after its duration, heals early on healAll', async () => {
    const calls: string[] = [];
    const fake = (kind: string): Fault => ({
      kind,
      async inject(_c, target) {
        calls.push(`inject ${kind}@${target}`);
        return kind === 'instant' ? null : async () => void calls.push(`heal ${kind}@${target}`);
      },
    });
    const scheduler = new NemesisScheduler(ctx, [
      { at: 0, fault: 'short', target: 'kafka', duration: 0.05 },
      { at: 0.01, fault: 'instant', target: 'source', duration: 0 },
      { at: 0.02, fault: 'long', target: 'redis', duration: 60 },
      { at: 60, fault: 'never', target: 'nats', duration: 1 },
    ], fake);
    scheduler.start();
    // Polled, not slept: a starved worker fires the timers late, and the short heal only then starts counting.
    await expect.poll(() => scheduler.activeFaults(), { timeout: 5_000, interval: 10 }).toEqual(['long@redis']);
    await scheduler.healAll();
    expect(calls).toEqual(['inject short@kafka', 'inject instant@source', 'inject long@redis', 'heal short@kafka', 'heal long@redis']);
    expect(scheduler.events.map((e) => [e.kind, e.until !== null && e.until >= e.at])).toEqual([['short', true], ['instant', true], ['long', true]]);
    expect(scheduler.activeFaults()).toEqual([]);
  });

  it('records a fault that cannot be injected as an error of the run', async () => {
    const scheduler = new NemesisScheduler(ctx, [{ at: 0, fault: 'broken', target: 'kafka', duration: 1 }], () => ({ kind: 'broken', inject: () => Promise.reject(new Error('no such proxy')) }));
    scheduler.start();
    await new Promise((r) => setTimeout(r, 30));
    await scheduler.healAll();
    expect(scheduler.errors).toEqual(['broken on kafka: no such proxy']);
  });
});
