import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fitEvent, type DlqEvent } from '../../../engine/src/journal/index.js';
import { openJournal, poisoned, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

type Command = { kind: 'write'; n: number } | { kind: 'ack'; pick: number } | { kind: 'purge' };

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('write' as const), n: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('ack' as const), pick: fc.integer({ min: -2, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('purge' as const) }) },
);

describe('DLQ journal properties', () => {
  it('never holds more than max_entries, seq strictly increases, ack removes exactly the head up to seq', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.constantFrom('drop_oldest' as const, 'reject' as const), fc.array(command, { maxLength: 25 }), async (max, policy, commands) => {
        const { journal } = openJournal({ max_entries: max, overflow_policy: policy });
        try {
          let lastSeq = 0;
          let model: number[] = [];
          for (const c of commands) {
            if (c.kind === 'write') {
              await journal.write('s', 1, poisoned(c.n));
              const seqs = (await journal.peek({ limit: 1000 })).map((e) => e.seq);
              const fresh = seqs.filter((s) => !model.includes(s));
              for (const s of fresh) expect(s).toBeGreaterThan(lastSeq);
              lastSeq = Math.max(lastSeq, ...fresh);
              // Old entries only ever leave from the head.
              expect(seqs.filter((s) => model.includes(s))).toEqual(model.slice(model.length - seqs.filter((s) => model.includes(s)).length));
              if (policy === 'reject') expect(seqs.slice(0, model.length)).toEqual(model);
              model = seqs;
            } else if (c.kind === 'ack') {
              const upTo = c.pick < 0 ? lastSeq + 5 : (model[c.pick] ?? 0);
              const removed = await journal.ack(upTo);
              expect(removed).toBe(model.filter((s) => s <= upTo).length);
              model = model.filter((s) => s > upTo);
            } else {
              expect(await journal.purge()).toBe(model.length);
              model = [];
            }
            expect(await journal.count()).toBe(model.length);
            expect(model.length).toBeLessThanOrEqual(max);
          }
        } finally {
          journal.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a truncated event never exceeds max_event_bytes once its metadata fits', () => {
    const base: DlqEvent = { id: 'e', op: 'u', source: { connector: 'c', name: 'n', db: 'd', table: 't', position: { offset: 1 } }, tx: { id: 'x', index: 0, end: true }, ts_ms: 0, primary_key: ['id'], before: null, after: null };
    fc.assert(
      fc.property(fc.option(fc.dictionary(fc.string(), fc.string({ unit: 'binary', maxLength: 400 }))), fc.option(fc.dictionary(fc.string(), fc.string({ unit: 'grapheme', maxLength: 300 }))), fc.integer({ min: 400, max: 3000 }), (before, after, max) => {
        const event = { ...base, before, after };
        const { event: out, truncated } = fitEvent(event, max);
        const size = Buffer.byteLength(JSON.stringify(out));
        if (!truncated) expect(out).toEqual(JSON.parse(JSON.stringify(event)));
        else expect(size).toBeLessThanOrEqual(max);
        expect({ ...out, before: null, after: null }).toEqual({ ...base });
      }),
      { numRuns: 300 },
    );
  });
});
