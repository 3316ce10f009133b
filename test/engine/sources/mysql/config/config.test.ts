import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDsn, parseDsn } from '../../../../../engine/src/sources/mysql/config/dsn.js';
import { deriveServerId } from '../../../../../engine/src/sources/mysql/config/server-id.js';
import { compileTableFilter } from '../../../../../engine/src/sources/mysql/config/table-filter.js';
import { mysqlSourceConfig } from '../../../../../engine/src/config/index.js';

describe('parseDsn', () => {
  it('parses user, password, host, port and database', () => {
    expect(parseDsn('mysql://cdc:s%40cret@db.example:3307/shop', 's')).toEqual({ host: 'db.example', port: 3307, user: 'cdc', password: 's@cret', database: 'shop' });
  });

  it('defaults the port to 3306 and the database to none, and accepts IPv6 hosts', () => {
    expect(parseDsn('mysql://root@[::1]', 's')).toEqual({ host: '::1', port: 3306, user: 'root', password: '', database: '' });
  });

  it('rejects what it cannot honour, naming the source and never the password', () => {
    const cases = ['postgres://u:pw@h/db', 'mysql://u:pw@h/db?ssl-mode=REQUIRED', 'mysql://:pw@h/db', 'not a url', 'mysql://u:pw@h/a/b'];
    for (const dsn of cases) {
      let message = '';
      try {
        parseDsn(dsn, 'orders');
      } catch (e) {
        message = (e as Error).message;
        expect((e as { code?: string }).code).toBe('TIDEMARK_ERR_MYSQL_DSN');
      }
      expect(message).toMatch(/^source orders: dsn /);
      expect(message).not.toContain(':pw@');
    }
  });

  it('describes a DSN without its password', () => {
    expect(describeDsn(parseDsn('mysql://cdc:pw@h:1/d', 's'))).toBe('cdc@h:1');
  });
});

describe('deriveServerId', () => {
  it('is 1 + CRC32(id) mod 4e9, as the reference derives it', () => {
    // CRC32("orders-mysql") = 2455771985
    expect(deriveServerId('orders-mysql')).toBe(2_455_771_986);
  });

  it('always lands in 1..4e9 and is stable', () => {
    fc.assert(fc.property(fc.string(), (id) => {
      const n = deriveServerId(id);
      return n >= 1 && n <= 4_000_000_000 && n === deriveServerId(id);
    }));
  });
});

describe('table filter', () => {
  it('matches db.table, db.prefix%, db.* and %.table', () => {
    const f = compileTableFilter(['shop.orders', 'shop.order_%', 'analytics.*', '%.audit_log']);
    expect(f.captures('shop', 'orders')).toBe(true);
    expect(f.captures('shop', 'order_items')).toBe(true);
    expect(f.captures('shop', 'customers')).toBe(false);
    expect(f.captures('analytics', 'anything')).toBe(true);
    expect(f.captures('billing', 'audit_log')).toBe(true);
    expect(f.captures('billing', 'audit_logs')).toBe(false);
  });

  it('treats _ literally, unlike SQL LIKE', () => {
    const f = compileTableFilter(['shop.order_items']);
    expect(f.captures('shop', 'orderXitems')).toBe(false);
  });

  it('captures every user table when empty, never system schemas', () => {
    const all = compileTableFilter([]);
    expect(all.captures('shop', 'orders')).toBe(true);
    for (const db of ['mysql', 'information_schema', 'performance_schema', 'sys', 'MySQL']) expect(all.captures(db, 'user')).toBe(false);
    expect(compileTableFilter(['%.*']).captures('mysql', 'user')).toBe(false);
  });

  it('names the outbox pattern a table matched', () => {
    const f = compileTableFilter(['shop.*'], ['shop.outbox', '%.events_%']);
    expect(f.outboxMatch('shop', 'outbox')).toBe('shop.outbox');
    expect(f.outboxMatch('x', 'events_orders')).toBe('%.events_%');
    expect(f.outboxMatch('shop', 'orders')).toBeNull();
  });

  it('is validated when the pipeline is loaded', () => {
    const bad = mysqlSourceConfig.safeParse({ id: 's', dsn: 'mysql://u@h/d', tables: ['orders'] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('expected a table pattern like db.table');
    const good = mysqlSourceConfig.parse({ id: 's', dsn: 'mysql://u@h/d' });
    expect(good).toMatchObject({ tables: [], heartbeat_secs: 15, inactivity_timeout_secs: 60, connect_timeout_secs: 30, on_schema_drift: 'adapt' });
  });
});
