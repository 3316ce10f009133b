/**
 * The Source contract (engine/src/sources/source.ts), run against every source on real servers by
 * one small file per source (test/contract/sources/*.test.ts). The source is driven directly, as
 * the coordinator drives it (start / emit / acknowledge / stop), so what is judged is the source
 * alone:
 * - events come in commit order, each transaction whole and contiguous, `tx.end` on its last;
 * - resuming from any emitted position (mid-transaction included) re-emits nothing before it and
 *   skips nothing after it;
 * - the server-side position (a Postgres slot's confirmed_flush_lsn) moves only up to what
 *   `acknowledge` was told, never on its own.
 * Every wait is on an emitted event or a server reply, never a fixed time.
 */
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend, type KeyValueStore } from '../../engine/src/checkpoints/index.js';
import type { ChangeEvent, Position } from '../../engine/src/event/index.js';
import { silentLogger } from '../../engine/src/logging/logger.js';
import { NOOP_SOURCE_METRICS } from '../../engine/src/metrics/hooks.js';
import type { Source } from '../../engine/src/sources/source.js';
import { waitFor } from '../support/poll.js';

/** One row a transaction writes: an insert into table `a` or `b` with primary key `id` and a version. */
export interface Row {
  readonly table: 'a' | 'b';
  readonly id: number;
  readonly v: number;
}

/** One isolated change stream on the server: its own tables and, where the source has one, its own slot. */
export interface SourceStream {
  /** A new source instance on this stream (same id, slot and tables each time, so it can resume). */
  make(): Source;
  /** Commits each transaction, in order, on the server (directly, never through a proxy). */
  commit(txns: readonly (readonly Row[])[]): Promise<void>;
  /** The row an emitted event carries. */
  rowOf(event: ChangeEvent): Row;
  /** Drops what the stream created on the server. */
  close(): Promise<void>;
}

/** For a source that holds a position on the server (a replication slot). */
export interface ServerPosition {
  /** Where the server would resume this stream from now (a slot's confirmed_flush_lsn). */
  held(stream: SourceStream): Promise<bigint>;
  /** The most a source told `acknowledge(position)` may release. */
  releasable(position: Position): bigint;
  /** Resolves once the source had several chances to report to the server (status updates). */
  chancesToReport(stream: SourceStream): Promise<void>;
}

export interface SourceTarget {
  open(): Promise<SourceStream>;
  /** Absent for sources that hold nothing on the server (MariaDB: binlog retention is the server's, see test/engine/sources/mysql/purge.int.test.ts). */
  readonly serverPosition?: ServerPosition;
}

/** A running source: what it emitted, and how to stop it. */
interface Running {
  readonly source: Source;
  readonly emitted: ChangeEvent[];
  stop(): Promise<void>;
}

async function run(stream: SourceStream, kv: KeyValueStore, resumeFrom: Position | null): Promise<Running> {
  const source = stream.make();
  const emitted: ChangeEvent[] = [];
  let failure: Error | null = null;
  await source.start({ pipeline: 'contract', tenant: 't', resumeFrom, kv, logger: silentLogger(), metrics: NOOP_SOURCE_METRICS, emit: (e) => void emitted.push(e), fail: (e) => void (failure = e) });
  const running = { source, emitted, stop: () => source.stop() };
  Object.defineProperty(running, 'failure', { get: () => failure });
  return running;
}

const failureOf = (running: Running) => {
  const failure = (running as unknown as { failure: Error | null }).failure;
  return failure ? `source failed: ${failure.message}` : undefined;
};

/** Waits until `running` emitted `count` events (failing at once if the source reported a failure). */
function emittedCount(running: Running, count: number, what: string): Promise<unknown> {
  return waitFor(() => `${what}: ${count} events (got ${running.emitted.length})`, () => running.emitted.length >= count, { timeoutMs: 30_000, abortIf: () => failureOf(running) });
}

/** Six transactions of 1-4 rows over both tables; `base` keeps ids and versions unique per call. */
function transactions(base: number, sizes: readonly number[] = [1, 3, 2, 4, 1, 2]): Row[][] {
  let n = base;
  return sizes.map((size) => Array.from({ length: size }, () => ({ table: n % 2 === 0 ? 'a' : 'b', id: n, v: n++ }) as Row));
}

const rowKey = (r: Row) => `${r.table}/${r.id}/${r.v}`;

/** Starts a source on a fresh stream, commits `txns`, returns everything it emitted for them. */
async function firstRun(stream: SourceStream, kv: KeyValueStore, txns: Row[][]): Promise<{ running: Running; events: ChangeEvent[] }> {
  const running = await run(stream, kv, null);
  await stream.commit(txns);
  await emittedCount(running, txns.flat().length, 'the committed transactions');
  return { running, events: running.emitted.slice() };
}

export function sourceContract(target: () => SourceTarget): void {
  describe('source contract', () => {
    it('emits in commit order, each transaction whole, contiguous and ended', async () => {
      const stream = await target().open();
      const kv = new MemoryCheckpointBackend().forPipeline('contract').kv;
      try {
        const txns = transactions(1);
        const { running, events } = await firstRun(stream, kv, txns);
        await running.stop();
        expect(events.map((e) => rowKey(stream.rowOf(e)))).toEqual(txns.flat().map(rowKey));
        // Group by tx.id in emission order: exactly the committed transactions, never interleaved.
        const groups: ChangeEvent[][] = [];
        for (const e of events) {
          if (groups.length === 0 || groups[groups.length - 1]![0]!.tx.id !== e.tx.id) groups.push([]);
          groups[groups.length - 1]!.push(e);
        }
        expect(groups.map((g) => g.length)).toEqual(txns.map((t) => t.length));
        expect(new Set(groups.map((g) => g[0]!.tx.id)).size).toBe(txns.length);
        for (const g of groups) {
          expect(g.map((e) => e.tx.index)).toEqual(g.map((_, i) => i));
          expect(g.map((e) => e.tx.end)).toEqual(g.map((_, i) => i === g.length - 1));
        }
        // Positions strictly increase: each is a resume token for "everything up to here".
        for (let i = 1; i < events.length; i++) expect(running.source.comparePositions(events[i - 1]!.source.position, events[i]!.source.position)).toBeLessThan(0);
      } finally {
        await stream.close();
      }
    }, 90_000);

    it('resuming from any emitted position re-emits nothing before it and skips nothing after it', async () => {
      const stream = await target().open();
      const kv = new MemoryCheckpointBackend().forPipeline('contract').kv;
      try {
        const { running, events } = await firstRun(stream, kv, transactions(100));
        await running.stop();
        const history = events.slice();
        // The first event, one in the middle of a transaction, the end of one, and the last.
        const midTx = events.findIndex((e) => e.tx.index === 1 && !e.tx.end);
        const txEnd = events.findIndex((e, i) => e.tx.end && i > midTx);
        const picks = [0, midTx, txEnd, events.length - 1];
        expect(new Set(picks).size).toBe(4);
        let base = 1000;
        for (const i of picks) {
          const from = events[i]!.source.position;
          // A fresh transaction after everything, so "nothing more" is a thing to wait for.
          const sentinel = transactions(base, [2]);
          base += 100;
          await stream.commit(sentinel);
          const resumed = await run(stream, kv, from);
          const expected = [...history.slice(i + 1).map((e) => rowKey(stream.rowOf(e))), ...sentinel.flat().map(rowKey)];
          try {
            // Once the sentinel's last row is in, everything before it is: compare the whole.
            await waitFor(() => `the sentinel after resuming from event ${i} (got ${resumed.emitted.length} of ${expected.length})`, () => resumed.emitted.some((e) => rowKey(stream.rowOf(e)) === expected[expected.length - 1]), { timeoutMs: 30_000, abortIf: () => failureOf(resumed) });
          } finally {
            await resumed.stop();
          }
          expect(resumed.emitted.map((e) => rowKey(stream.rowOf(e))), `resumed after event ${i}`).toEqual(expected);
          // The replayed events carry the same positions as the first time.
          resumed.emitted.slice(0, history.length - i - 1).forEach((e, k) => expect(resumed.source.comparePositions(e.source.position, history[i + 1 + k]!.source.position)).toBe(0));
          history.push(...resumed.emitted.slice(history.length - i - 1));
        }
      } finally {
        await stream.close();
      }
    }, 180_000);

    if (!target().serverPosition) return;
    it('only acknowledge releases the server position, and never past what it was told', async () => {
      const t = target();
      const serverPosition = t.serverPosition!;
      const stream = await t.open();
      const kv = new MemoryCheckpointBackend().forPipeline('contract').kv;
      try {
        const before = await serverPosition.held(stream);
        const { running, events } = await firstRun(stream, kv, transactions(200));
        try {
          // Everything was received; with no acknowledgement the server keeps it all.
          await serverPosition.chancesToReport(stream);
          expect(await serverPosition.held(stream)).toBe(before);
          const k = events.findIndex((e, i) => e.tx.end && i >= 3);
          const acked = events[k]!.source.position;
          running.source.acknowledge(acked);
          const held = await waitFor('the server position to move after acknowledge', async () => {
            const now = await serverPosition.held(stream);
            return now > before ? now : undefined;
          });
          expect(held).toBeLessThanOrEqual(serverPosition.releasable(acked));
          await serverPosition.chancesToReport(stream);
          expect(await serverPosition.held(stream)).toBeLessThanOrEqual(serverPosition.releasable(acked));
        } finally {
          await running.stop();
        }
      } finally {
        await stream.close();
      }
    }, 90_000);
  });
}
