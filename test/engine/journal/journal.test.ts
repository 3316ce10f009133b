import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { DeadLetterJournal } from '../../../engine/src/journal/index.js';
import { ManualClock, openJournal, poisoned, recordingLogger, recordingMetrics, removeTempDirs } from './helpers.js';
import { waitFor } from '../../support/poll.js';

afterAll(removeTempDirs);

/** Resolves once `condition` holds (checked every few ms; the journal reports state synchronously). */
async function until(condition: () => boolean): Promise<void> {
  await waitFor('the journal condition', condition, { timeoutMs: 10_000, intervalMs: 5 });
}

const opened: DeadLetterJournal[] = [];
const track = <T extends { journal: DeadLetterJournal }>(o: T): T => {
  opened.push(o.journal);
  return o;
};
afterEach(() => {
  for (const j of opened.splice(0)) j.close();
});

describe('DLQ journal: entries', () => {
  it('stores the reference entry shape, oldest first', async () => {
    const clock = new ManualClock(1_743_350_400_123);
    const { journal } = track(openJournal({}, { clock }));
    const [p] = poisoned(1);
    await journal.write('kafka-primary', 7, [p!]);
    const [entry] = await journal.peek();
    expect(entry).toMatchObject({
      seq: expect.any(Number),
      timestamp: 1_743_350_400,
      pipeline: 'p',
      stream: 'dlq',
      event_id: p!.event.id,
      source_cursor: p!.event.source.position,
      payload_truncated: false,
      event: { id: p!.event.id, op: 'c', source: { db: 'db', table: 't' }, after: p!.event.after, tx: p!.event.tx },
      meta: { sink_id: 'kafka-primary', error_kind: 'serialization', error_code: 'TIDEMARK_ERR_SINK_SERIALIZATION', error_message: p!.error.message, attempts: 1, batch_seq: 7 },
    });
  });

  it('filters by sink and error kind and limits the listing', async () => {
    const { journal } = track(openJournal());
    await journal.write('a', 1, poisoned(3));
    await journal.write('b', 1, poisoned(2, 'TIDEMARK_ERR_SINK_ROUTING'));
    await journal.write('a', 2, poisoned(1, 'TIDEMARK_ERR_SINK_TOO_LARGE'));
    expect((await journal.peek({ sinkId: 'a' })).length).toBe(4);
    expect((await journal.peek({ errorKind: 'routing' })).map((e) => e.meta.sink_id)).toEqual(['b', 'b']);
    expect((await journal.peek({ sinkId: 'a', errorKind: 'too_large' })).length).toBe(1);
    expect((await journal.peek({ limit: 2 })).length).toBe(2);
    const all = await journal.peek({ limit: 100 });
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((x, y) => x - y));
  });

  it('ack is cumulative from the head whatever the filter; purge empties; seq never goes back', async () => {
    const { journal } = track(openJournal());
    await journal.write('a', 1, poisoned(2));
    await journal.write('b', 1, poisoned(2));
    const seqs = (await journal.peek()).map((e) => e.seq);
    const firstB = (await journal.peek({ sinkId: 'b' }))[0]!.seq;
    expect(await journal.ack(firstB)).toBe(3);
    expect((await journal.peek()).map((e) => e.seq)).toEqual([seqs[3]]);
    expect(await journal.ack(firstB)).toBe(0);
    expect(await journal.purge()).toBe(1);
    expect(await journal.count()).toBe(0);
    await journal.write('a', 2, poisoned(1));
    expect((await journal.peek())[0]!.seq).toBeGreaterThan(seqs[3]!);
  });

  it('survives a reopen of its file', async () => {
    const { journal, path } = openJournal();
    await journal.write('a', 1, poisoned(2));
    journal.close();
    const again = track(openJournal({}, { path })).journal;
    expect(await again.count()).toBe(2);
  });

  it('cuts before/after above max_event_bytes and keeps every piece of metadata', async () => {
    const { journal } = track(openJournal({}, { maxEventBytes: 700 }));
    const [p] = poisoned(1, 'TIDEMARK_ERR_SINK_TOO_LARGE', { blob: 'é'.repeat(5000) });
    await journal.write('a', 1, [p!]);
    const [entry] = await journal.peek();
    expect(entry!.payload_truncated).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(entry!.event))).toBeLessThanOrEqual(700);
    expect(entry!.event).toMatchObject({ id: p!.event.id, op: 'c', source: p!.event.source, tx: p!.event.tx, before: null });
    expect(entry!.event.after).toMatchObject({ _truncated: true, original_bytes: Buffer.byteLength(JSON.stringify(p!.event.after)) });
    expect((entry!.event.after as { preview: string }).preview.startsWith('{"id":')).toBe(true);
  });
});

describe('DLQ journal: bounds and overflow policies', () => {
  it('drop_oldest evicts the oldest entries to stay within max_entries', async () => {
    const { calls, metrics } = recordingMetrics();
    const { journal } = track(openJournal({ max_entries: 5, overflow_policy: 'drop_oldest' }, { metrics }));
    const first = poisoned(4);
    await journal.write('a', 1, first);
    const next = poisoned(4);
    await journal.write('a', 2, next);
    expect(await journal.count()).toBe(5);
    expect((await journal.peek()).map((e) => e.event_id)).toEqual([first[3]!, ...next].map((p) => p.event.id));
    expect(calls.evicted).toBe(3);
    // More at once than the queue holds: only the newest are kept.
    const flood = poisoned(7);
    await journal.write('a', 3, flood);
    expect((await journal.peek()).map((e) => e.event_id)).toEqual(flood.slice(2).map((p) => p.event.id));
    expect(calls.evicted).toBe(3 + 5 + 2);
    expect(calls.routed).toBe(15);
  });

  it('reject keeps what fits and drops the rest, counting it and logging an error', async () => {
    const { calls, metrics } = recordingMetrics();
    const { lines, logger } = recordingLogger();
    const { journal } = track(openJournal({ max_entries: 5, overflow_policy: 'reject' }, { metrics, logger }));
    const batch = poisoned(8);
    await journal.write('a', 1, batch);
    expect((await journal.peek()).map((e) => e.event_id)).toEqual(batch.slice(0, 5).map((p) => p.event.id));
    expect(calls.rejected).toBe(3);
    await journal.write('a', 2, poisoned(1));
    expect(calls.rejected).toBe(4);
    expect(await journal.count()).toBe(5);
    expect(lines.some((l) => l.level === 'error' && /rejected/.test(l.msg))).toBe(true);
    // Recorded as TIDEMARK_ERR_DLQ_FULL, with the count that /health and the pipeline status show.
    expect(journal.status()).toMatchObject({ blocked: false, rejected: 4, full: { code: 'TIDEMARK_ERR_DLQ_FULL', context: { pipeline: 'p', sink: 'a', rejected: 1, rejectedTotal: 4 } } });
    expect(lines.find((l) => /rejected and lost/.test(l.msg))).toMatchObject({ err: { code: 'TIDEMARK_ERR_DLQ_FULL' } });
  });

  it('block makes the write wait until an ack makes room, and reports the pipeline blocked meanwhile', async () => {
    const { calls, metrics } = recordingMetrics();
    const { journal } = track(openJournal({ max_entries: 3, overflow_policy: 'block' }, { metrics }));
    await journal.write('a', 1, poisoned(2));
    let done = false;
    const write = journal.write('a', 2, poisoned(3)).then(() => (done = true));
    await until(() => journal.status().blocked);
    expect(done).toBe(false);
    expect(await journal.count()).toBe(3);
    expect(journal.status()).toMatchObject({ blocked: true, rejected: 0, full: { code: 'TIDEMARK_ERR_DLQ_FULL', context: { sink: 'a' } } });
    expect(calls.blocked).toEqual([true]);
    const head = (await journal.peek({ limit: 2 })).map((e) => e.seq);
    await journal.ack(head[1]!);
    await write;
    expect(done).toBe(true);
    expect(await journal.count()).toBe(3);
    expect(journal.status()).toMatchObject({ blocked: false, full: null });
    expect(calls.blocked).toEqual([true, false]);
  });

  it('a blocked write fails (retryable) when the journal closes', async () => {
    const { journal } = openJournal({ max_entries: 1, overflow_policy: 'block' });
    await journal.write('a', 1, poisoned(1));
    const write = journal.write('a', 2, poisoned(1));
    await until(() => journal.status().blocked);
    journal.close();
    await expect(write).rejects.toMatchObject({ code: 'TIDEMARK_ERR_DLQ_CLOSED', kind: 'retryable' });
  });

  it('warns at 80% and errors at 95% saturation, once per crossing', async () => {
    const { lines, logger } = recordingLogger();
    const { calls, metrics } = recordingMetrics();
    const { journal } = track(openJournal({ max_entries: 20 }, { logger, metrics }));
    await journal.write('a', 1, poisoned(15));
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(0);
    await journal.write('a', 2, poisoned(1));
    await journal.write('a', 3, poisoned(1));
    expect(lines.filter((l) => l.level === 'warn' && /80%/.test(l.msg))).toHaveLength(1);
    await journal.write('a', 4, poisoned(2));
    expect(lines.filter((l) => l.level === 'error' && /95%/.test(l.msg))).toHaveLength(1);
    expect(calls.saturation.at(-1)).toBe(0.95);
    expect(calls.entries.at(-1)).toBe(19);
  });
});

describe('DLQ journal: age cleanup', () => {
  it('removes entries older than max_age_secs by insertion time, also at start', async () => {
    const clock = new ManualClock();
    const { journal, path } = openJournal({ max_age_secs: 60 }, { clock });
    await journal.write('a', 1, poisoned(2));
    clock.t += 30_000;
    await journal.write('a', 2, poisoned(1));
    clock.t += 31_000;
    expect(journal.cleanup()).toBe(2);
    expect(await journal.count()).toBe(1);
    journal.close();
    clock.t += 60_000;
    const again = track(openJournal({ max_age_secs: 60 }, { clock, path })).journal;
    expect(await again.count()).toBe(1);
    again.start();
    expect(await again.count()).toBe(0);
  });
});
