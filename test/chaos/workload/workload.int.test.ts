import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { RowVersion, SourceHistory, SourceTxn } from '../../../chaos/src/history/index.js';
import { mysqlOptions, pgOptions } from '../../../chaos/src/infra/index.js';
import { expectedState, readSourceState, startWorkload, type ConnectionOptions, type SourceKind, type WorkloadHandle } from '../../../chaos/src/workload/index.js';
import { eventually, useTopology } from '../../support/infra.js';
import { sourceAdmin } from './source-admin.js';

// Private servers: these tests kill sessions and change global commit settings.
const infra = useTopology(['mysql', 'postgres']);

function connectionFor(source: SourceKind): ConnectionOptions {
  return source === 'mysql' ? mysqlOptions(infra().get('mysql'), 'direct') : pgOptions(infra().get('postgres'), 'direct');
}

/** The source holds exactly what the history says: every ok (or resolved-committed) version is the key's row. */
async function expectSourceMatches(source: SourceKind, database: string, handle: WorkloadHandle, history: SourceHistory): Promise<void> {
  const expected = expectedState(history);
  expect([...expected.uncertain]).toEqual([]);
  const actual = await readSourceState({ source, connection: connectionFor(source), database }, handle.tables());
  for (const table of handle.tables()) {
    expect(actual.get(table.name), table.name).toEqual(expected.rows.get(table.name) ?? new Map());
  }
}

const versionsOf = (txns: readonly SourceTxn[]): RowVersion[] => txns.flatMap((t) => t.versions);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['mysql', 'postgres'] as const)('workload on %s', (source) => {
  it('writes known rows: the final tables equal the state the ok txns imply', async () => {
    const database = 'wl_basic';
    const handle = await startWorkload({ source, connection: connectionFor(source), database, writers: 4, rate: 300, durationS: 3, seed: 11 });
    const history = await handle.done();
    expect(handle.counters()).toMatchObject({ fail: 0, info: 0, inFlight: 0, reconnects: 0 });
    expect(history.txns.length).toBeGreaterThan(150);
    expect(history.txns.every((t) => t.outcome === 'ok')).toBe(true);
    expect(history).toMatchObject({ source, database, primaryKeys: { chaos_accounts: ['id'], chaos_orders: ['writer', 'seq'], chaos_events: ['id'] } });

    const versions = versionsOf(history.txns);
    expect(new Set(versions.map((v) => v.op))).toEqual(new Set(['c', 'u', 'd']));
    expect(history.txns.some((t) => new Set(t.versions.map((v) => v.table)).size > 1)).toBe(true);
    // Per key: c/u versions strictly increase, a delete names the version it removed, a re-insert goes higher.
    const last = new Map<string, RowVersion>();
    let reinserts = 0;
    for (const v of versions) {
      const id = `${v.table} ${v.key}`;
      const prev = last.get(id);
      if (v.op === 'd') expect(v.version).toBe(prev?.version);
      else if (prev) expect(v.version).toBeGreaterThan(prev.version);
      if (v.op === 'c' && prev?.op === 'd') reinserts++;
      expect(v.before).toEqual(prev && prev.op !== 'd' ? prev.after : null);
      last.set(id, v);
    }
    expect(reinserts).toBeGreaterThan(0);
    // Keys are partitioned by writer: the row's writer column is the txn's writer.
    for (const t of history.txns) for (const v of t.versions) expect((v.after ?? v.before)?.writer).toBe(t.writer);

    await expectSourceMatches(source, database, handle, history);
    if (source === 'postgres') {
      const c = new pg.Client(connectionFor(source));
      await c.connect();
      const { rows } = await c.query("SELECT relname, relreplident FROM pg_class WHERE relnamespace = 'wl_basic'::regnamespace AND relkind = 'r' ORDER BY relname");
      await c.end();
      expect(rows).toEqual(['chaos_accounts', 'chaos_events', 'chaos_orders'].map((relname) => ({ relname, relreplident: 'f' })));
    }
  }, 60_000);

  it('plans the same operations for the same seed', async () => {
    // Stopped after a number of commits, not after a fixed time: on a busy machine a time window
    // could hold too few transactions to compare.
    const run = async (database: string, seed: number) => {
      const h = await startWorkload({ source, connection: connectionFor(source), database, writers: 2, rate: 80, seed });
      await eventually(async () => expect(h.counters().ok).toBeGreaterThanOrEqual(80), 25_000);
      return h.stop();
    };
    const [a, b, c] = await Promise.all([run('wl_seed_a', 42), run('wl_seed_b', 42), run('wl_seed_c', 43)]);
    const perWriter = (h: SourceHistory, writer: number) => h.txns.filter((t) => t.writer === writer).map((t) => t.versions);
    for (const writer of [1, 2]) {
      const [x, y, z] = [perWriter(a, writer), perWriter(b, writer), perWriter(c, writer)];
      const n = Math.min(x.length, y.length, z.length);
      expect(n).toBeGreaterThan(20);
      expect(x.slice(0, n)).toEqual(y.slice(0, n));
      expect(x.slice(0, n)).not.toEqual(z.slice(0, n));
    }
  }, 60_000);

  it('records txns cut by killed sessions as fail or info, resolves every info, and the writers carry on', async () => {
    const database = 'wl_kill';
    const admin = await sourceAdmin(source, connectionFor(source));
    const handle = await startWorkload({ source, connection: connectionFor(source), database, writers: 3, rate: 150, seed: 5 });
    try {
      let kills = 0;
      for (let round = 0; round < 8; round++) {
        await sleep(300);
        const { sessionId } = handle.sessions()[round % 3] as { sessionId: number | null };
        if (sessionId === null) continue;
        await admin.kill(sessionId).then(() => kills++, () => undefined);
      }
      const afterKills = handle.counters().ok;
      await eventually(async () => expect(handle.counters().ok).toBeGreaterThan(afterKills + 30), 10_000);
      const history = await handle.stop();
      const { fail, info, reconnects } = handle.counters();
      expect(kills).toBeGreaterThan(3);
      expect(fail + info).toBeGreaterThanOrEqual(1);
      expect(reconnects).toBeGreaterThanOrEqual(fail + info);
      for (const t of history.txns.filter((t) => t.outcome !== 'ok')) expect(t.error).toBeTruthy();
      for (const t of history.txns.filter((t) => t.outcome === 'info')) expect(t.resolution).toBeDefined();
      // Every writer committed again after the last kill, on a new session.
      const lastFailure = Math.max(...history.txns.filter((t) => t.outcome !== 'ok').map((t) => t.id));
      for (const writer of [1, 2, 3]) expect(history.txns.some((t) => t.writer === writer && t.id > lastFailure && t.outcome === 'ok')).toBe(true);
      await expectSourceMatches(source, database, handle, history);
    } finally {
      await handle.stop();
      await admin.close();
    }
  }, 60_000);

  it('records a COMMIT cut off by a kill as info (never ok), learns it committed, and goes on with a new session', async () => {
    const database = 'wl_commit';
    const admin = await sourceAdmin(source, connectionFor(source));
    // Two keys per table: later txns soon touch the cut txn's keys, so a writer that guessed their state wrong would fail.
    const handle = await startWorkload({ source, connection: connectionFor(source), database, writers: 1, rate: 20, seed: 9, keysPerTable: 2 });
    try {
      await eventually(async () => expect(handle.counters().ok).toBeGreaterThanOrEqual(3));
      await admin.hangCommits();
      const stuck = await eventually(async () => {
        const id = handle.sessions()[0]?.sessionId ?? null;
        expect(id !== null && (await admin.stuckInCommit(id))).toBe(true);
        return id as number;
      }, 10_000);
      const okBefore = handle.counters().ok;
      await admin.kill(stuck);
      await eventually(async () => expect(handle.counters().info).toBe(1));
      await admin.releaseCommits();
      await eventually(async () => expect(handle.counters().ok).toBeGreaterThanOrEqual(okBefore + 6), 10_000);
      const history = await handle.stop();

      const cut = history.txns.filter((t) => t.outcome !== 'ok');
      expect(cut).toHaveLength(1);
      expect(cut[0]).toMatchObject({ outcome: 'info', resolution: 'committed' });
      expect(history.txns.filter((t) => t.id > (cut[0] as SourceTxn).id).every((t) => t.outcome === 'ok')).toBe(true);
      expect(handle.sessions()[0]?.sessionId ?? null).not.toBe(stuck);
      expect(handle.counters().reconnects).toBe(1);
      await expectSourceMatches(source, database, handle, history);
    } finally {
      await admin.releaseCommits();
      await handle.stop();
      await admin.close();
    }
  }, 60_000);

  it('rides out a SIGKILL and restart of the server: reconnects, resolves what was cut, and the tables match', async () => {
    const database = 'wl_crash';
    const server = infra().get(source);
    const handle = await startWorkload({ source, connection: connectionFor(source), database, writers: 3, rate: 150, seed: 8, keysPerTable: 4 });
    try {
      await eventually(async () => expect(handle.counters().ok).toBeGreaterThan(30));
      await server.kill();
      await sleep(300);
      await server.start();
      const afterRestart = handle.counters().ok;
      await eventually(async () => expect(handle.counters().ok).toBeGreaterThan(afterRestart + 30), 20_000);
      const history = await handle.stop();
      const cut = history.txns.filter((t) => t.outcome !== 'ok');
      expect(cut.length).toBeGreaterThanOrEqual(1);
      expect(cut.filter((t) => t.outcome === 'info' && t.resolution === undefined)).toEqual([]);
      await expectSourceMatches(source, database, handle, history);
    } finally {
      await handle.stop();
    }
  }, 90_000);

  it('adds and drops columns under load; later row images carry the new shape', async () => {
    const database = 'wl_ddl';
    const handle = await startWorkload({ source, connection: connectionFor(source), database, writers: 3, rate: 150, seed: 3 });
    await sleep(700);
    const added = await handle.addColumn('chaos_accounts', { name: 'extra', kind: 'varchar', length: 40 });
    await sleep(700);
    const dropped = await handle.dropColumn('chaos_orders', 'status');
    await sleep(700);
    const history = await handle.stop();
    expect(history.schemaChanges).toEqual([added, dropped]);
    expect(added).toMatchObject({ table: 'chaos_accounts', change: 'add', column: 'extra', sqlType: 'VARCHAR(40)' });
    expect(dropped.firstTxnId).toBeGreaterThan(added.firstTxnId);
    const images = (txns: readonly SourceTxn[], table: string) =>
      versionsOf(txns).filter((v) => v.table === table).flatMap((v) => [v.before, v.after]).filter((i) => i !== null);
    const [beforeAdd, afterAdd] = [history.txns.filter((t) => t.id < added.firstTxnId), history.txns.filter((t) => t.id >= added.firstTxnId)];
    const [beforeDrop, afterDrop] = [history.txns.filter((t) => t.id < dropped.firstTxnId), history.txns.filter((t) => t.id >= dropped.firstTxnId)];
    expect(images(afterAdd, 'chaos_accounts').length).toBeGreaterThan(10);
    expect(images(beforeAdd, 'chaos_accounts').every((i) => !('extra' in i))).toBe(true);
    expect(images(afterAdd, 'chaos_accounts').every((i) => 'extra' in i)).toBe(true);
    expect(versionsOf(afterAdd).some((v) => v.table === 'chaos_accounts' && typeof v.after?.extra === 'string')).toBe(true);
    expect(images(beforeDrop, 'chaos_orders').every((i) => 'status' in i)).toBe(true);
    expect(images(afterDrop, 'chaos_orders').every((i) => !('status' in i))).toBe(true);
    expect(handle.counters()).toMatchObject({ fail: 0, info: 0 });
    await expectSourceMatches(source, database, handle, history);
    await expect(handle.dropColumn('chaos_orders', 'seq')).rejects.toThrow(/cannot drop chaos_orders.seq/);
  }, 60_000);
});
