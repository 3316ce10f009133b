import { describe, expect, it } from 'vitest';
import type { Fault, NemesisContext } from '../../../chaos/src/nemesis/index.js';
import { NemesisScheduler } from '../../../chaos/src/nemesis/index.js';

const ctx = { source: 'mysql', primary: () => 'mysql', log: () => {} } as unknown as NemesisContext;

describe('nemesis faults injected by hand (the playground)', () => {
  it('stay active until healed one by one or all at once, with their windows recorded', async () => {
    const calls: string[] = [];
    const fake = (kind: string): Fault => ({
      kind,
      async inject(_c, target) {
        if (kind === 'broken') throw new Error('no such proxy');
        calls.push(`inject ${kind}@${target}`);
        return kind === 'instant' ? null : async () => void calls.push(`heal ${kind}@${target}`);
      },
    });
    const n = new NemesisScheduler(ctx, [], fake);
    const a = await n.inject('partition', 'kafka', { x: 1 });
    const b = await n.inject('latency', 'source');
    const c = await n.inject('instant', 'source');
    expect(a.id).not.toBeNull();
    expect(c).toMatchObject({ id: null, event: { kind: 'instant' } });
    expect(c.event.until).not.toBeNull();
    expect(n.activeEntries().map((e) => [e.id, e.event.kind])).toEqual([[a.id, 'partition'], [b.id, 'latency']]);
    expect(await n.heal(a.id!)).toBe(true);
    expect(await n.heal(a.id!)).toBe(false);
    expect(a.event.until).toBeGreaterThanOrEqual(a.event.at);
    await expect(n.inject('broken', 'nats')).rejects.toThrow('no such proxy');
    expect(n.events.at(-1)).toMatchObject({ kind: 'broken', until: expect.any(Number) });
    await n.healAll();
    expect(n.activeEntries()).toEqual([]);
    // After healAll a playground keeps injecting.
    const d = await n.inject('partition', 'redis');
    expect(n.activeEntries().map((e) => e.id)).toEqual([d.id]);
    expect(calls).toEqual(['inject partition@kafka', 'inject latency@source', 'inject instant@source', 'heal partition@kafka', 'heal latency@source', 'inject partition@redis']);
    expect(n.events.map((e) => e.detail)).toEqual([{ x: 1 }, {}, {}, {}, {}]);
  });
});
