import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderSlots } from '../../../../engine/src/sinks/kafka/confluent-client.js';

/** What librdkafka's binding must receive: one single-key object per header, in order. */
function expected(headers: Record<string, string>): Array<Record<string, string>> {
  return Object.entries(headers).map(([k, v]) => ({ [k]: v }));
}

describe('HeaderSlots', () => {
  it('gives the binding every header of every message, in order, whatever the layouts in between', () => {
    const name = fc.constantFrom('tidemark-event-id', 'tidemark-op', 'tidemark', 'x', 'tidemark-tx-id');
    const headers = fc.dictionary(name, fc.string(), { maxKeys: 5 });
    fc.assert(
      fc.property(fc.array(headers, { minLength: 1, maxLength: 30 }), (messages) => {
        const slots = new HeaderSlots();
        for (const h of messages) expect(slots.fill(h)).toEqual(expected(h));
      }),
    );
  });

  it('allocates nothing per message once the layout is known', () => {
    const slots = new HeaderSlots();
    const first = slots.fill({ a: '1', b: '2' });
    const objects = [...first];
    const second = slots.fill({ a: '3', b: '4' });
    expect(second).toBe(first);
    expect(second[0]).toBe(objects[0]);
    expect(second).toEqual([{ a: '3' }, { b: '4' }]);
  });
});
