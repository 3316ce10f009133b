import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../../chaos/src/infra/index.js';
import { seededRandom } from '../../../../engine/src/util/backoff.js';
import { admin, cdcDsn, Run, startMariadb, until } from './harness.js';
import { deliveredHistory, dedupe, KeyedWriter } from './workload.js';

let topo: Topology;
let db: mysql.Connection;

beforeAll(async () => {
  topo = await startMariadb();
  db = await admin(topo);
});

afterAll(async () => {
  await db?.end();
  await topo?.down();
});

const sorted = (m: Map<number, unknown>) => JSON.stringify([...m].sort((a, b) => a[0] - b[0]));

async function survives(table: string, fault: () => Promise<() => Promise<void>>): Promise<number> {
  await db.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, v INT NOT NULL)`);
  let reconnects = 0;
  const run = new Run({
    config: { dsn: cdcDsn(topo), tables: [`tidemark.${table}`], heartbeat_secs: 1, inactivity_timeout_secs: 3, connect_timeout_secs: 2 },
    metrics: { reconnected: () => void reconnects++ },
  });
  await run.start();
  const writer = new KeyedWriter(db, table, 20, seededRandom(table.length));
  try {
    writer.start(5);
    await new Promise((r) => setTimeout(r, 500));
    const heal = await fault();
    await new Promise((r) => setTimeout(r, 5000));
    const duringFault = run.events.length;
    await heal();
    await until(() => reconnects > 0, 'a reconnect', 20_000);
    await new Promise((r) => setTimeout(r, 500));
    await writer.stop();
    await until(() => sorted(deliveredHistory(dedupe(run.events))) === sorted(writer.history), 'every change', 20_000).catch(() => {});
    expect(JSON.parse(sorted(deliveredHistory(dedupe(run.events))))).toEqual(JSON.parse(sorted(writer.history)));
    expect(dedupe(run.events).length).toBe(run.events.length);
    expect(run.events.length).toBeGreaterThan(duringFault);
    return reconnects;
  } finally {
    await writer.stop().catch(() => {});
    await run.stop();
  }
}

describe('mysql source network faults (Toxiproxy)', () => {
  it('keeps an idle connection alive on heartbeats instead of reconnecting', async () => {
    await db.query('CREATE TABLE idle (id INT PRIMARY KEY)');
    let reconnects = 0;
    const run = new Run({
      config: { dsn: cdcDsn(topo), tables: ['tidemark.idle'], heartbeat_secs: 1, inactivity_timeout_secs: 3 },
      metrics: { reconnected: () => void reconnects++ },
    });
    await run.start();
    try {
      await new Promise((r) => setTimeout(r, 6000));
      await db.query('INSERT INTO idle VALUES (1)');
      await until(() => run.events.length === 1, 'the row after the idle period');
      expect(reconnects).toBe(0);
    } finally {
      await run.stop();
    }
  }, 30_000);

  it('detects a silent half-open connection (timeout toxic) and reconnects without loss', async () => {
    const reconnects = await survives('half_open', async () => {
      const name = await topo.toxiproxy.timeout('mysql', 0);
      return () => topo.toxiproxy.removeToxic('mysql', name);
    });
    expect(reconnects).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('reconnects after the proxy drops every connection', async () => {
    const reconnects = await survives('dropped', async () => {
      await topo.toxiproxy.down('mysql');
      return () => topo.toxiproxy.up('mysql');
    });
    expect(reconnects).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
