import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDsn } from '../../../../engine/src/sources/postgres/dsn.js';
import { formatLsn, parseLsn } from '../../../../engine/src/sources/postgres/lsn.js';
import { ReplicationConnection } from '../../../../engine/src/sources/postgres/replication-connection.js';
import { ReplicationStream } from '../../../../engine/src/sources/postgres/replication-stream.js';
import { slotRow, startPostgres, uniqueName, waitFor, type PgFixture } from './harness.js';

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
  await pg.sql(`ALTER SYSTEM SET wal_sender_timeout = '2s'`);
  await pg.sql('SELECT pg_reload_conf()');
});
afterAll(async () => {
  await pg?.stop();
});

describe('replication stream client', () => {
  it('answers keepalives that request a reply with exactly the flush position it is given', async () => {
    const t = uniqueName('ka');
    const slot = `slot_${t}`;
    await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY); CREATE PUBLICATION pub_${t} FOR TABLE ${t}`);
    const connection = await ReplicationConnection.open(parseDsn(pg.dsn, 'test').settings, 'tidemark:stream-test');
    const created = await connection.createSlot(slot, { exportSnapshot: false });
    let data = 0;
    let requests = 0;
    let newest = 0n;
    const stream = new ReplicationStream(connection.client, {
      slot,
      publication: `pub_${t}`,
      startLsn: created.consistentPoint,
      // A timer far longer than the test: every update the server sees answers a keepalive.
      statusIntervalMs: 600_000,
      status: () => ({ written: newest, flushed: created.consistentPoint }),
      handler: {
        onXLogData: () => void data++,
        onKeepalive: (k) => {
          if (k.walEnd > newest) newest = k.walEnd;
          if (k.replyRequested) requests++;
        },
      },
    });
    try {
      await stream.start();
      await pg.sql(`INSERT INTO ${t} SELECT generate_series(1, 100)`);
      await waitFor(() => (requests >= 3 && data >= 100 ? true : undefined), 15_000);
      expect(stream.statusUpdates).toBeGreaterThanOrEqual(3);
      const row = (await slotRow(pg, slot))!;
      expect(row.confirmed_flush_lsn).toBe(formatLsn(created.consistentPoint));
      expect(newest).toBeGreaterThan(parseLsn(row.confirmed_flush_lsn));
    } finally {
      await stream.stop();
      await waitFor(async () => ((await slotRow(pg, slot))?.active === false ? true : undefined));
      await pg.sql('SELECT pg_drop_replication_slot($1)', [slot]);
    }
  });
});
