import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelope, createJsonEnvelope, type ChangeEvent } from '../../../engine/src/event/index.js';

const text = fc.string({ unit: 'binary' });
const row = fc.option(fc.dictionary(text, fc.jsonValue()), { nil: null });
const positionValue = fc.oneof(fc.jsonValue(), fc.constant(undefined), fc.bigInt().map(String));
const event = fc.record({
  id: text,
  source: fc.record({
    connector: text,
    name: text,
    db: text,
    table: text,
    position: fc.record({ schema: positionValue, server_id: positionValue, gtid: positionValue, file: positionValue, pos: positionValue, lsn: positionValue, xid: positionValue, snapshot: positionValue, internal: positionValue }, { requiredKeys: [] }),
  }),
  op: fc.constantFrom('c', 'u', 'd', 'r', 't'),
  before: row,
  after: row,
  tx: fc.record({ id: text, index: fc.nat(), end: fc.boolean() }),
  ts: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.double()),
  schemaVersion: fc.constant(null),
  size: fc.nat(),
  primaryKey: fc.array(text, { maxLength: 2 }),
}) as fc.Arbitrary<ChangeEvent>;

describe('JSON envelopes rendered as text', () => {
  for (const type of ['debezium'] as const) {
    it(`${type}: the same bytes as JSON.stringify of the envelope object`, () => {
      const fast = createJsonEnvelope({ type })!;
      const slow = createEnvelope({ type });
      fc.assert(
        fc.property(event, (e) => {
          expect(fast(e)).toBe(JSON.stringify(slow(e)));
        }),
        { numRuns: 2_000 },
      );
    });
  }

  it('has no text form for native and cloudevents (they take the general path)', () => {
    expect(createJsonEnvelope({ type: 'native' })).toBeNull();
    expect(createJsonEnvelope({ type: 'cloudevents', type_prefix: 'x' })).toBeNull();
  });
});
