import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, runPipeline, sourceConfig, startPostgres, uniqueName, type PgFixture } from '../harness.js';
import { CASES, TYPES_SETUP } from '../types-fixture.js';

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
  await pg.sql(TYPES_SETUP);
});
afterAll(async () => {
  await pg?.stop();
});

describe('postgres source: type conversion', () => {
  it('streams and snapshots every listed type to the same JSON-ready value', async () => {
    const table = uniqueName('types');
    await pg.sql(`CREATE TABLE ${table} (id int PRIMARY KEY, ${CASES.map(([c, t]) => `${c} ${t}`).join(', ')})`);
    const insert = (id: number) => pg.sql(`INSERT INTO ${table} (id, ${CASES.map(([c]) => c).join(', ')}) VALUES (${id}, ${CASES.map(([, , v]) => v).join(', ')})`);
    await insert(1);
    const config = sourceConfig(pg, { tables: [table], snapshot: { mode: 'initial' } });
    const run = await runPipeline(config);
    try {
      await insert(2);
      const events = await run.until((e) => e.length >= 2);
      const expected = Object.fromEntries(CASES.map(([c, , , v]) => [c, v]));
      expect(events[0]!.op).toBe('r');
      expect(events[0]!.after).toEqual({ id: 1, ...expected });
      expect(events[1]!.op).toBe('c');
      expect(events[1]!.after).toEqual({ id: 2, ...expected });
      // Both paths must agree to the byte, or consumers would see a value change on handoff.
      expect(JSON.stringify({ ...events[1]!.after, id: 1 })).toBe(JSON.stringify(events[0]!.after));
      expect(events[0]!.schemaVersion).toBe(events[1]!.schemaVersion);
    } finally {
      await run.stop();
      await cleanup(pg, config);
    }
  });
});
