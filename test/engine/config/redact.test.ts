import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactString } from '../../../engine/src/config/redact.js';

describe('redactString', () => {
  it('masks the password of a URL wherever it sits in a value', () => {
    expect(redactString('postgres://cdc:hunter2@127.0.0.1:5432/shop')).toBe('postgres://cdc:***@127.0.0.1:5432/shop');
    expect(redactString('dsn=redis://:s3cret@h:6379 and amqp+ssl://a:b@c')).toBe('dsn=redis://:***@h:6379 and amqp+ssl://a:***@c');
    expect(redactString('x9postgres://u:p@h')).toBe('x9postgres://u:***@h');
    expect(redactString('no credentials: http://h/x@y')).toBe('no credentials: http://h/x@y');
  });

  it('masks a DSN password whatever scheme and text surround it', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
    const filler = fc.stringMatching(/^[ a-z0-9_,;]{0,40}$/);
    fc.assert(
      fc.property(filler, word, word, word, fc.stringMatching(/^[A-Za-z0-9!#%]{1,16}$/), filler, (before, scheme, user, host, password, after) => {
        const shown = redactString(`${before} ${scheme}://${user}:${password}@${host}/db ${after}`);
        expect(shown).toContain(`${scheme}://${user}:***@${host}/db`);
      }),
    );
  });

  // A DLQ listing carries row images: a 24 kB alphanumeric value took 0.4 s (the scheme pattern
  // was retried from every position of the run, quadratic), so a listing of 1,000 entries blocked
  // the whole API for minutes. Not a speed target: a linear scan takes about a millisecond here,
  // the quadratic one about 50 s; the bound only tells the two apart.
  it('scans a long alphanumeric value once, not once per position', () => {
    const image = 'ad0cc5097f2e0044da99ed43d031dc1b'.repeat(8_000); // 256 kB
    const started = performance.now();
    expect(redactString(`${image}@host postgres://u:pw@h`)).toBe(`${image}@host postgres://u:***@h`);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('leaves row images intact and masks what looks like a DSN in a listing', () => {
    const image = 'ad0cc5097f2e0044da99ed43d031dc1b'.repeat(750); // 24 kB, as in dlq-poison
    const listing = Array.from({ length: 3 }, (_, seq) => ({ seq, event: { after: { payload: `${image}@`, note: 'mysql://root:pw@db' } } }));
    const shown = redact(listing);
    expect(shown.map((e) => e.event.after.payload)).toEqual(Array(3).fill(`${image}@`));
    expect(shown.map((e) => e.event.after.note)).toEqual(Array(3).fill('mysql://root:***@db'));
  });
});
