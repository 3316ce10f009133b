import { hash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deterministicEventId } from '../../../engine/src/event/idempotency.js';

/** The id as first defined: SHA-1 hex slices, version digit 5, variant (nibble & 3) | 8. Ids are a contract: consumers deduplicate on them across versions. */
function referenceId(key: string): string {
  const h = hash('sha1', key, 'hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

describe('deterministicEventId', () => {
  it('is the reference id for any key, ASCII or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (key) => {
        expect(deterministicEventId(key)).toBe(referenceId(key));
      }),
      { numRuns: 2000 },
    );
  });

  it('has the UUID shape, version 5 and the RFC 4122 variant', () => {
    fc.assert(
      fc.property(fc.string(), (key) => {
        expect(deterministicEventId(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }),
    );
  });

  it('keeps the id of a known key (a consumer deduplicating across versions sees the same id)', () => {
    expect(deterministicEventId('acme|shop.orders|733|2')).toBe('8b169760-7b92-5c24-b3d9-6ed2234d52a5');
  });

  it('returns a string of its own: the next id does not change the previous one', () => {
    const first = deterministicEventId('a|db.t|1|0');
    const copy = `${first}`;
    deterministicEventId('b|db.t|2|0');
    expect(first).toBe(copy);
  });
});
