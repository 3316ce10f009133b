import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpointBackend } from '../../../../engine/src/checkpoints/index.js';
import type { ChangeEvent } from '../../../../engine/src/event/index.js';
import { silentLogger } from '../../../../engine/src/logging/logger.js';
import { ChangeAssembler } from '../../../../engine/src/sources/postgres/change-assembler.js';
import type { Lsn } from '../../../../engine/src/sources/postgres/lsn.js';
import { comparePgPositions, positionKey, startLsnOf, type PositionKey } from '../../../../engine/src/sources/postgres/position.js';
import { decodePgoutput } from '../../../../engine/src/sources/postgres/protocol/index.js';
import { SchemaRegistry } from '../../../../engine/src/sources/postgres/schema-registry.js';
import { TypeCatalog } from '../../../../engine/src/sources/postgres/types/type-catalog.js';
import { pgout } from './pgoutput-fixtures.js';

const ORDERS = 16400;
const OTHER = 16401;

async function assembler(o: { skip?: PositionKey | null; outbox?: boolean; covered?: (table: string, lsn: Lsn) => boolean } = {}) {
  const schemas = new SchemaRegistry({
    kv: new MemoryCheckpointBackend().forPipeline('t').kv,
    namespace: 'schemas',
    types: new TypeCatalog(async () => []),
    isCaptured: (n) => n.table !== 'ignored',
    fetchTable: async () => undefined,
    logger: silentLogger(),
  });
  await schemas.init([]);
  const events: ChangeEvent[] = [];
  const a = new ChangeAssembler(
    {
      sourceId: 'src',
      database: 'shop',
      generation: 0,
      schemas,
      isOutbox: (p) => !!o.outbox && p.startsWith('outbox'),
      coveredBySnapshot: (t, lsn) => o.covered?.(t.table, lsn) ?? false,
      emit: (e) => events.push(e),
    },
    o.skip ?? null,
  );
  const feed = (...messages: Buffer[]) => {
    for (const m of messages) expect(a.handle(decodePgoutput(m))).toBeUndefined();
  };
  feed(
    pgout.relation(ORDERS, 'public', 'orders', [{ name: 'id', typeOid: 23, key: true }, { name: 'v', typeOid: 25 }]),
    pgout.relation(OTHER, 'public', 'ignored', [{ name: 'id', typeOid: 23, key: true }]),
  );
  return { a, events, feed };
}

/** One transaction: BEGIN, inserts of `ids` into orders, COMMIT. */
function tx(commit: bigint, xid: number, ids: readonly number[]): Buffer[] {
  return [pgout.begin(commit, xid), ...ids.map((id) => pgout.insert(ORDERS, [String(id), `v${id}`])), pgout.commit(commit, commit + 0x30n)];
}

describe('change assembler', () => {
  it('keeps a transaction contiguous: one tx id, indexes in log order, end only on the last change', async () => {
    const { events, feed } = await assembler();
    feed(pgout.begin(0x100n, 700), pgout.insert(ORDERS, ['1', 'a']), pgout.insert(OTHER, ['9']), pgout.update(ORDERS, ['1', 'b']), pgout.delete(ORDERS, 'K', ['1', null]));
    expect(events).toHaveLength(2); // the newest change waits for the next one or the commit
    feed(pgout.commit(0x100n, 0x148n));
    expect(events.map((e) => [e.op, e.tx.id, e.tx.index, e.tx.end])).toEqual([
      ['c', '700', 0, false],
      ['u', '700', 2, false],
      ['d', '700', 3, true],
    ]);
    expect(events[1]!.before).toEqual({ id: 1 });
    expect(events[2]!.before).toEqual({ id: 1 });
    expect(events[2]!.source.position).toEqual({ lsn: '0/100', xid: 700, schema: 'public', i: 3, end: '0/148' });
    expect(events[0]!.source.position).toEqual({ lsn: '0/100', xid: 700, schema: 'public', i: 0 });
  });

  it('emits outbox messages inside their transaction and non-transactional ones on their own', async () => {
    const { events, feed } = await assembler({ outbox: true });
    feed(pgout.begin(0x200n, 701), pgout.message(true, 0x200n, 'other', 'x'), pgout.message(true, 0x200n, 'outbox.a', '{"k":1}'), pgout.commit(0x200n, 0x230n));
    feed(pgout.message(false, 0x240n, 'outbox.b', '[1]'));
    expect(events.map((e) => [e.source.table, e.tx.id, e.tx.index, e.tx.end, e.outbox?.match, e.after])).toEqual([
      ['outbox.a', '701', 1, true, 'outbox.a', { k: 1 }],
      ['outbox.b', 'msg:0/240', 0, true, 'outbox.b', { payload: [1] }],
    ]);
    expect(events[1]!.source.position).toEqual({ lsn: '0/240', xid: null, i: 0, end: '0/241' });
  });

  it('emits a truncate per captured relation and drops changes a table snapshot already holds', async () => {
    const { events, feed } = await assembler({ covered: (_t, lsn) => lsn < 0x400n });
    feed(...tx(0x300n, 1, [1, 2]), pgout.begin(0x400n, 2), pgout.truncate([ORDERS, OTHER]), pgout.commit(0x400n, 0x430n));
    expect(events.map((e) => [e.op, e.tx.index, e.tx.end])).toEqual([['t', 0, true]]);
  });

  it('rejects a stream out of order instead of guessing', async () => {
    const { feed } = await assembler();
    expect(() => feed(pgout.insert(ORDERS, ['1', 'a']))).toThrow(/INSERT outside a transaction/);
    const second = await assembler();
    expect(() => second.feed(pgout.begin(0x10n, 1), pgout.begin(0x20n, 2))).toThrow(/BEGIN of xid 2 inside transaction 1/);
    const third = await assembler();
    expect(() => third.feed(pgout.begin(0x10n, 1), pgout.insert(99, ['1']))).toThrow(/relation 99 before its Relation message/);
  });

  it('resuming from any event position re-emits nothing before it and skips nothing after it (property)', async () => {
    const txs = fc.array(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(txs, fc.nat(), async (shape, pick) => {
        const log = shape.map((ids, t) => ({ commit: BigInt(0x1000 + t * 0x100), messages: tx(BigInt(0x1000 + t * 0x100), 500 + t, ids) }));
        const full = await assembler();
        for (const t of log) full.feed(...t.messages);
        const all = full.events;
        for (let i = 1; i < all.length; i++) expect(comparePgPositions(all[i - 1]!.source.position, all[i]!.source.position)).toBeLessThan(0);
        const k = pick % all.length;
        const key = positionKey(all[k]!.source.position);
        // What the server sends after START_REPLICATION at the position's start LSN.
        const resumed = await assembler({ skip: key });
        for (const t of log) if (t.commit >= startLsnOf(key)) resumed.feed(...t.messages);
        expect(resumed.events.map((e) => e.id)).toEqual(all.slice(k + 1).map((e) => e.id));
        expect(resumed.events.map((e) => e.tx.end)).toEqual(all.slice(k + 1).map((e) => e.tx.end));
      }),
      { numRuns: 200 },
    );
  });
});
