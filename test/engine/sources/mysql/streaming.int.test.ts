import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Topology } from '../../../../chaos/src/infra/index.js';
import { isTidemarkError } from '../../../../engine/src/errors/index.js';
import { MemoryCheckpointBackend } from '../../../../engine/src/checkpoints/index.js';
import { admin, capturingLogger, cdcDsn, Run, startMariadb, until } from './harness.js';

let topo: Topology;
let db: mysql.Connection;

beforeAll(async () => {
  topo = await startMariadb();
  db = await admin(topo);
  await db.query(`
    CREATE TABLE orders (id INT PRIMARY KEY, total DECIMAL(10,2), note VARCHAR(40));
    CREATE TABLE items (id INT PRIMARY KEY, order_id INT, sku VARCHAR(20));
    CREATE TABLE other (id INT PRIMARY KEY);
    CREATE TABLE outbox (id INT AUTO_INCREMENT PRIMARY KEY, topic VARCHAR(20), payload JSON);
  `);
});

afterAll(async () => {
  await db?.end();
  await topo?.down();
});

describe('mysql source streaming (MariaDB)', () => {
  it('delivers a multi-table transaction as one contiguous group with one tx id and end on its last row', async () => {
    const counted = { events: 0, bytes: 0, lags: [] as number[] };
    const run = new Run({
      config: { dsn: cdcDsn(topo), tables: ['tidemark.orders', 'tidemark.items'] },
      metrics: { events: (n) => void (counted.events += n), bytes: (n) => void (counted.bytes += n), lag: (s) => void counted.lags.push(s) },
    });
    await run.start();
    try {
      await db.query("INSERT INTO orders VALUES (1, 10.50, 'first')");
      await db.query(`BEGIN; INSERT INTO orders VALUES (2, 20.00, 'two'); INSERT INTO other VALUES (1); INSERT INTO items VALUES (1, 2, 'a'), (2, 2, 'b');
        UPDATE orders SET note = 'two!' WHERE id = 2; DELETE FROM items WHERE id = 1; COMMIT;`);
      await db.query('INSERT INTO other VALUES (2)');
      await db.query("INSERT INTO orders VALUES (3, 1.00, 'after')");
      await until(() => run.events.length >= 7, '7 events');
      const events = run.events;
      expect(events.map((e) => `${e.op}:${e.source.table}`)).toEqual(['c:orders', 'c:orders', 'c:items', 'c:items', 'u:orders', 'd:items', 'c:orders']);
      const tx = events.slice(1, 6);
      expect(new Set(tx.map((e) => e.tx.id)).size).toBe(1);
      expect(tx[0]!.tx.id).toMatch(/^0-1-\d+$/);
      // Indexes count every row change of the transaction, the uncaptured `other` row included.
      expect(tx.map((e) => e.tx.index)).toEqual([0, 2, 3, 4, 5]);
      expect(tx.map((e) => e.tx.end)).toEqual([false, false, false, false, true]);
      expect(events[0]!.tx.end).toBe(true);
      expect(tx[3]!.before).toEqual({ id: 2, total: '20.00', note: 'two' });
      expect(tx[3]!.after).toEqual({ id: 2, total: '20.00', note: 'two!' });
      expect(tx[4]!.before).toEqual({ id: 1, order_id: 2, sku: 'a' });
      expect(tx[4]!.after).toBeNull();
      expect(events[0]!.primaryKey).toEqual(['id']);
      expect(events[0]!.schemaVersion).toBe(1);
      expect(events[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      // Positions grow strictly along the stream.
      for (let i = 1; i < events.length; i++) expect(run.source.comparePositions(events[i - 1]!.source.position, events[i]!.source.position)).toBeLessThan(0);
    } finally {
      await run.stop();
    }
    // Metrics are reported in aggregate, and add up to what was emitted.
    expect(counted.events).toBe(run.emitted.length);
    expect(counted.bytes).toBeGreaterThan(0);
    expect(counted.lags.length).toBeGreaterThan(0);
  });

  it('turns TRUNCATE into op t and reloads the schema after DDL', async () => {
    await db.query('CREATE TABLE ddl_t (id INT PRIMARY KEY, a INT)');
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.ddl_t'] } });
    await run.start();
    try {
      await db.query('INSERT INTO ddl_t VALUES (1, 1)');
      await db.query('ALTER TABLE ddl_t ADD COLUMN b VARCHAR(10) DEFAULT NULL');
      await db.query("INSERT INTO ddl_t VALUES (2, 2, 'bee')");
      await db.query('TRUNCATE TABLE ddl_t');
      await db.query("INSERT INTO ddl_t VALUES (3, 3, 'see')");
      await until(() => run.events.length >= 4, '4 events');
      const [first, second, truncate, third] = run.events;
      expect(first!.schemaVersion).toBe(1);
      expect(second!.after).toEqual({ id: 2, a: 2, b: 'bee' });
      expect(second!.schemaVersion).toBe(2);
      expect(truncate!.op).toBe('t');
      expect(truncate!.before).toBeNull();
      expect(truncate!.after).toBeNull();
      expect(truncate!.tx).toMatchObject({ index: 0, end: true });
      expect(truncate!.tx.id).toMatch(/^0-1-\d+$/);
      expect(third!.after).toEqual({ id: 3, a: 3, b: 'see' });
      const record = await run.store.kv.get<{ version: number; sequence: number }>('mysql:src:schemas', 'tidemark.ddl_t');
      expect(record).toMatchObject({ version: 2 });
    } finally {
      await run.stop();
    }
  });

  it('tags outbox inserts and ignores updates and deletes of outbox tables', async () => {
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.outbox'], outbox: { tables: ['tidemark.outbox'] } } });
    await run.start();
    try {
      await db.query(`INSERT INTO outbox (topic, payload) VALUES ('orders', '{"n": 1}'); UPDATE outbox SET topic = 'x'; DELETE FROM outbox; INSERT INTO outbox (topic, payload) VALUES ('orders', '{"n": 2}');`);
      // A barrier instead of a pause: whatever the update and delete produced would arrive before this insert.
      await db.query(`INSERT INTO outbox (topic, payload) VALUES ('barrier', '{"n": 3}')`);
      await until(() => run.events.some((e) => e.after?.topic === 'barrier'), 'the barrier insert');
      expect(run.events.map((e) => [e.op, e.outbox])).toEqual([
        ['c', { match: 'tidemark.outbox' }],
        ['c', { match: 'tidemark.outbox' }],
        ['c', { match: 'tidemark.outbox' }],
      ]);
      expect(run.events[1]!.after).toMatchObject({ topic: 'orders', payload: '{"n": 2}' });
    } finally {
      await run.stop();
    }
  });

  it('stops reading while paused and delivers everything after resume', async () => {
    await db.query('CREATE TABLE paused_t (id INT PRIMARY KEY)');
    const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.paused_t'] } });
    await run.start();
    try {
      run.coordinator.pause();
      for (let i = 0; i < 20; i++) await db.query('INSERT INTO paused_t VALUES (?)', [i]);
      await new Promise((r) => setTimeout(r, 500));
      expect(run.events.length).toBe(0);
      run.coordinator.resume();
      await until(() => run.events.length >= 20, '20 events after resume');
      expect(run.events.map((e) => e.after!.id)).toEqual([...Array(20).keys()]);
    } finally {
      await run.stop();
    }
  });

  it('warns when binlog_row_image is not FULL and refuses a binlog_format other than ROW', async () => {
    const { logger, lines } = capturingLogger();
    await db.query("SET GLOBAL binlog_row_image = 'MINIMAL'");
    try {
      const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.orders'] }, logger });
      await run.start();
      await run.stop();
      expect(lines.some((l) => l.level === 'warn' && /binlog_row_image is MINIMAL/.test(l.msg))).toBe(true);
    } finally {
      await db.query("SET GLOBAL binlog_row_image = 'FULL'");
    }
    await db.query("SET GLOBAL binlog_format = 'STATEMENT'");
    try {
      const run = new Run({ config: { dsn: cdcDsn(topo), tables: ['tidemark.orders'] }, backend: new MemoryCheckpointBackend() });
      await run.coordinator.start();
      expect(run.coordinator.state).toBe('failed');
      const failure = run.coordinator.failure;
      expect(isTidemarkError(failure) && failure.code).toBe('TIDEMARK_ERR_SOURCE_MISCONFIGURED');
      expect(failure!.message).toMatch(/binlog_format is STATEMENT, CDC needs ROW/);
    } finally {
      await db.query("SET GLOBAL binlog_format = 'ROW'");
    }
  });
});
