/**
 * The reader contract (chaos/src/readers/reader.ts, `SinkIo`), run against every sink kind's
 * reader on real servers by one small file per kind (test/contract/readers/*.test.ts). Each case
 * writes workload-shaped change events through the engine's real sink (a Coordinator over a
 * MemorySource, until every event is committed) into a destination of its own, then judges what
 * the reader gives back against what went in: never a fixed sleep.
 *
 * Cases: count() reaches the number written; read() gives every record once, in order per key,
 * decoded; readAll() starts with read()'s history; feeds() tails keep their place across writes;
 * close() releases every connection the reader opened.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SinkHistory, SinkKind, SinkRecord } from '../../chaos/src/history/index.js';
import type { SinkIo, SinkTail } from '../../chaos/src/readers/index.js';
import { WORKLOAD_PRIMARY_KEYS } from '../../chaos/src/workload/schema.js';
import type { SinkSpec } from '../../engine/src/config/index.js';
import type { ChangeEvent } from '../../engine/src/event/index.js';
import { deliverThroughEngine } from '../chaos/readers/engine-pipeline.js';
import { comparable, expectedRecord, workloadEvents } from '../chaos/readers/fixtures.js';
import { waitFor } from '../support/poll.js';

/** The engine sink that writes into a destination, as a pipeline spec would name it. */
export interface EngineSink {
  readonly type: SinkSpec['type'];
  readonly config: Record<string, unknown>;
}

/** A sink kind as the contract sees it. */
export interface ReaderTarget {
  readonly kind: SinkKind;
  readonly exactlyOnce: boolean;
  /** How many histories readAll() gives (Kafka: read_committed and read_uncommitted). */
  readonly histories: number;
  /** count() counts records only (false: it may also count Kafka transaction markers). */
  readonly exactCount: boolean;
  /** A fresh destination `name` for rows of `tables`: the reader over it (not prepared yet) and the engine sink writing there. */
  place(name: string, tables: readonly string[]): Promise<{ io: SinkIo; sink: EngineSink }>;
  /** The server port the reader connects to (its direct endpoint), for the close() case. */
  port?(): number;
}

const PRIMARY_KEYS: Readonly<Record<string, readonly string[]>> = WORKLOAD_PRIMARY_KEYS;
const unique = () => randomUUID().slice(0, 8);
const tablesOf = (events: readonly ChangeEvent[]) => [...new Set(events.map((e) => e.source.table))].sort();

/** Records grouped by table and key, each group in the order given: what "in order per key" compares. */
function byKey(records: readonly Partial<SinkRecord>[]): Record<string, Partial<SinkRecord>[]> {
  const groups: Record<string, Partial<SinkRecord>[]> = {};
  for (const r of records) (groups[`${r.table} ${r.key}`] ??= []).push(r);
  return Object.fromEntries(Object.entries(groups).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The history holds each event once, decoded field for field, per key in source order. */
function expectEvents(records: readonly SinkRecord[], events: readonly ChangeEvent[]): void {
  expect(records).toHaveLength(events.length);
  expect(byKey(records.map(comparable))).toEqual(byKey(events.map((e) => expectedRecord(e))));
}

/** Splits a log at the transaction start nearest its middle: two writes that together are the log. */
function halves(events: readonly ChangeEvent[]): [ChangeEvent[], ChangeEvent[]] {
  const at = events.findIndex((e, i) => i >= events.length / 2 && e.tx.index === 0);
  return [events.slice(0, at), events.slice(at)];
}

/**
 * TCP connections this process holds open to `port` on this host, read from /proc: the sockets
 * among our file descriptors whose remote end is that port and which are not closed yet.
 */
export function connectionsTo(port: number): number {
  const mine = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const link = readlinkSync(`/proc/self/fd/${fd}`);
      if (link.startsWith('socket:[')) mine.add(link.slice(8, -1));
    } catch {
      // closed between readdir and readlink
    }
  }
  let count = 0;
  for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const remotePort = parseInt(f[2]!.split(':')[1]!, 16);
      const state = f[3]; // 07 = CLOSE
      if (remotePort === port && state !== '07' && mine.has(f[9]!)) count++;
    }
  }
  return count;
}

/** Reads a tail until `until` records arrived since this call began; returns those records and what did not decode. */
async function pollTail(tail: SinkTail, until: number, what: string): Promise<{ got: SinkRecord[]; undecodable: string[] }> {
  const got: SinkRecord[] = [];
  const undecodable: string[] = [];
  await waitFor(
    () => `${what}: ${got.length} of ${until} records`,
    async () => {
      await tail.read((r) => got.push(r), (position, error) => undecodable.push(`${position}: ${error}`));
      return got.length >= until;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );
  return { got, undecodable };
}

/**
 * Registers the contract's cases for one sink kind. `prefix` keeps destination names apart
 * when several targets share a server; it must be a valid topic/stream/subject/path token.
 * `connects`: the reader opens connections to a server (port()), which close() must release.
 */
export function readerContract(prefix: string, target: () => ReaderTarget, options: { connects?: boolean } = {}): void {
  describe('reader contract', () => {
    describe('over one write of the engine sink', () => {
      const events = workloadEvents(24, 11);
      let io: SinkIo;
      let read: SinkHistory;

      beforeAll(async () => {
        const t = target();
        const name = `${prefix}-once-${unique()}`;
        const placed = await t.place(name, tablesOf(events));
        io = placed.io;
        await io.prepare();
        await deliverThroughEngine(placed.sink, events, name);
        read = await io.read();
        return () => io.close();
      }, 90_000);

      it('count() reaches the number of records written', async () => {
        const n = await waitFor(`count() to reach ${events.length}`, async () => {
          const c = await io.count();
          return c >= events.length && c;
        });
        if (target().exactCount) expect(n).toBe(events.length);
      });

      it('read() gives every record once, decoded, in source order per key', () => {
        const t = target();
        expect(read).toMatchObject({ sink: io.name, kind: t.kind, exactlyOnce: t.exactlyOnce });
        expect(read.undecodable).toBeUndefined();
        expect(read.complete).not.toBe(false);
        expectEvents(read.records, events);
        // Per stream (topic partition, stream key, URL path), records come in the sink's order.
        for (const stream of new Set(read.records.map((r) => r.stream))) {
          const seqs = read.records.filter((r) => r.stream === stream).map((r) => r.seq);
          expect(seqs, `order within ${stream}`).toEqual([...seqs].sort((a, b) => a - b));
        }
      });

      it("readAll() gives read()'s history first, then every other history of the same records", async () => {
        const all = await io.readAll();
        expect(all).toHaveLength(target().histories);
        expect(all[0]).toEqual(read);
        for (const history of all.slice(1)) {
          expect(history.undecodable).toBeUndefined();
          expectEvents(history.records, events);
        }
      });
    });

    it('feeds() tails keep their place: a poll after more writes gives only the new records', async () => {
      const t = target();
      const name = `${prefix}-feed-${unique()}`;
      const events = workloadEvents(24, 12);
      const [first, second] = halves(events);
      const { io, sink } = await t.place(name, tablesOf(events));
      try {
        await io.prepare();
        const feeds = io.feeds(PRIMARY_KEYS);
        expect(feeds).toHaveLength(t.histories);
        expect(feeds[0]!.meta).toMatchObject({ sink: io.name, kind: t.kind, exactlyOnce: t.exactlyOnce });
        expect(io.feeds(PRIMARY_KEYS).map((f) => f.tail), 'feeds are created once per run').toEqual(feeds.map((f) => f.tail));

        await deliverThroughEngine(sink, first, `${name}-1`);
        for (const [i, f] of feeds.entries()) {
          const polled = await pollTail(f.tail, first.length, `feed ${i}, first write`);
          expect(polled.undecodable).toEqual([]);
          expectEvents(polled.got, first);
        }
        // A distinct pipeline: an exactly-once sink would otherwise resume from its own checkpoint.
        await deliverThroughEngine(sink, second, `${name}-2`);
        for (const [i, f] of feeds.entries()) {
          const polled = await pollTail(f.tail, second.length, `feed ${i}, second write`);
          expect(polled.undecodable).toEqual([]);
          expectEvents(polled.got, second);
          const again = await pollTail(f.tail, 0, `feed ${i}, nothing new`);
          expect(again.got).toEqual([]);
        }
      } finally {
        await io.close();
      }
    }, 90_000);

    // A reader of an in-process receiver (HTTP) opens no connection: nothing for close() to release.
    if (!options.connects) return;
    it('close() releases every connection the reader opened', async () => {
      const t = target();
      if (!t.port) throw new Error('a reader that connects needs port() for the close() case');
      const port = t.port();
      const name = `${prefix}-close-${unique()}`;
      const events = workloadEvents(4, 13);
      const { io, sink } = await t.place(name, tablesOf(events));
      await io.prepare();
      await deliverThroughEngine(sink, events, name);
      const before = connectionsTo(port);
      await io.count();
      await io.read();
      for (const f of io.feeds(PRIMARY_KEYS)) await pollTail(f.tail, events.length, 'a feed before close');
      expect(connectionsTo(port), 'the reader holds connections while open').toBeGreaterThan(before);
      await io.close();
      await waitFor(() => `connections to ${port} back to ${before} (now ${connectionsTo(port)})`, () => connectionsTo(port) <= before, { timeoutMs: 10_000 });
    }, 60_000);
  });
}
