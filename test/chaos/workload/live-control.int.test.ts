import { beforeAll, describe, expect, it } from 'vitest';
import { mysqlOptions, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { expectedState, readSourceState, startWorkload } from '../../../chaos/src/workload/index.js';
import { eventually, sharedTopology } from '../../support/infra.js';

/** The hooks the playground's sliders and "check now" use on a free-running workload. */
describe('a free-running workload under live control (mysql)', () => {
  let mysql: ServiceInfo;
  beforeAll(async () => {
    const info = await sharedTopology(['mysql']);
    mysql = info.services.find((s) => s.name === 'mysql')!;
  });

  it('changes writers, rate and mix while it runs, pauses for a clean cut, and its history matches the tables', async () => {
    const connection = mysqlOptions(mysql, 'direct');
    const database = 'wl_live_control';
    const w = await startWorkload({ source: 'mysql', connection, database, writers: 2, rate: 100, seed: 5 });
    const okTxns = () => w.counters().ok;
    await eventually(async () => expect(okTxns()).toBeGreaterThan(20));
    const writersIn = (from: number) => new Set(w.history().txns.filter((t) => t.id > from).map((t) => t.writer));
    expect(writersIn(0)).toEqual(new Set([1, 2]));

    // More writers start with fresh ids; fewer retire the newest for good.
    let mark = w.history().txns.length;
    expect(w.adjust({ writers: 4, rate: 200 })).toMatchObject({ writers: 4, rate: 200 });
    await eventually(async () => expect(writersIn(mark)).toEqual(new Set([1, 2, 3, 4])));
    w.adjust({ writers: 1, mix: { insert: 1, update: 1, delete: 0 } });
    await eventually(async () => {
      mark = Math.max(...w.history().txns.map((t) => t.id));
      await new Promise((r) => setTimeout(r, 300));
      expect(writersIn(mark)).toEqual(new Set([1]));
    });
    expect(w.live()).toMatchObject({ writers: 1, mix: { insert: 1, update: 1, delete: 0 } });
    expect(() => w.adjust({ mix: { insert: 0, update: 1, delete: 0 } })).toThrow(/mix.insert must be positive/);

    // Paused: nothing is in flight and nothing completes until resume.
    await w.pause();
    const cut = w.counters();
    expect(cut.inFlight).toBe(0);
    await new Promise((r) => setTimeout(r, 400));
    expect(w.counters().ok).toBe(cut.ok);
    w.resume();
    await eventually(async () => expect(w.counters().ok).toBeGreaterThan(cut.ok));

    // Zero writers stops writing but keeps the workload (and its history); writers come back with new ids.
    w.adjust({ writers: 0 });
    await eventually(async () => expect(w.counters().inFlight).toBe(0));
    mark = Math.max(...w.history().txns.map((t) => t.id));
    w.adjust({ writers: 2 });
    await eventually(async () => expect(writersIn(mark)).toEqual(new Set([5, 6])));

    const history = await w.stop();
    expect(history.txns.every((t) => t.outcome === 'ok')).toBe(true);
    const expected = expectedState(history);
    const actual = await readSourceState({ source: 'mysql', connection, database }, w.tables());
    for (const t of w.tables()) expect(actual.get(t.name), t.name).toEqual(expected.rows.get(t.name) ?? new Map());
  }, 60_000);
});
