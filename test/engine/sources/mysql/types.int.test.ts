import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../../chaos/src/infra/index.js';
import { admin, cdcDsn, Run, startMariadb, until } from './harness.js';
import { TYPES_EXPECTED, TYPES_INSERT, TYPES_TABLE } from './types-fixture.js';

let topo: Topology;
let db: mysql.Connection;

const TABLE = TYPES_TABLE;
const INSERT = TYPES_INSERT;
const EXPECTED = TYPES_EXPECTED;

beforeAll(async () => {
  topo = await startMariadb();
  db = await admin(topo);
  await db.query("SET time_zone = '+00:00'");
  await db.query(TABLE);
});

afterAll(async () => {
  await db?.end();
  await topo?.down();
});

describe('mysql source value types (MariaDB)', () => {
  it('round-trips every listed type exactly, identically in the stream and in the snapshot', async () => {
    const streaming = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.types'] } });
    await streaming.start();
    try {
      await db.query(INSERT);
      await db.query('UPDATE types SET nul = 7 WHERE id = 1');
      await until(() => streaming.events.length >= 2, 'insert and update');
    } finally {
      await streaming.stop();
    }
    const [insert, update] = streaming.events;
    expect(insert!.after).toEqual(EXPECTED);
    expect(update!.before).toEqual(EXPECTED);
    expect(update!.after).toEqual({ ...EXPECTED, nul: 7 });

    const snapshot = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.types'], snapshot: { mode: 'initial', max_parallel_tables: 1, chunk_size: 100 } } });
    await snapshot.start();
    try {
      await until(() => snapshot.events.length >= 1, 'snapshot row');
    } finally {
      await snapshot.stop();
    }
    const [read] = snapshot.events;
    expect(read!.op).toBe('r');
    expect(read!.after).toEqual({ ...EXPECTED, nul: 7 });
  });
});
