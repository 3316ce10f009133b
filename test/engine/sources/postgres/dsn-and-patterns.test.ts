import { describe, expect, it } from 'vitest';
import { parseDsn } from '../../../../engine/src/sources/postgres/dsn.js';
import { compileGlobs, compileTablePatterns } from '../../../../engine/src/sources/postgres/table-patterns.js';

describe('postgres DSN', () => {
  it('parses the URL form, with percent-encoding and sslmode', () => {
    const { settings, display } = parseDsn('postgres://app%40x:p%40ss@db.example:6543/orders?sslmode=require&application_name=etl', 's');
    expect(settings).toMatchObject({ host: 'db.example', port: 6543, user: 'app@x', password: 'p@ss', database: 'orders', ssl: { rejectUnauthorized: false }, application_name: 'etl' });
    expect(display).toBe('postgres://app%40x@db.example:6543/orders');
    expect(parseDsn('postgresql://u@h/db', 's').settings).toMatchObject({ host: 'h', port: 5432, user: 'u', database: 'db' });
  });

  it('parses the key=value form with quoted values and escapes', () => {
    const { settings } = parseDsn(String.raw`host=localhost port=5433 user=cdc password='it\'s \'quoted\' pw' dbname = shop sslmode=verify-full`, 's');
    expect(settings).toMatchObject({ host: 'localhost', port: 5433, user: 'cdc', password: "it's 'quoted' pw", database: 'shop', ssl: { rejectUnauthorized: true } });
    expect(parseDsn('host=h user=u', 's').settings.database).toBe('u');
  });

  it('rejects bad DSNs with messages that never contain the password', () => {
    const cases = ['host=h port=99999 password=hunter2', 'postgres://u:hunter2@h:0/db', 'host=h password=hunter2 sslmode=sometimes', 'host=h password=hunter2 bogus=1', "host='h password=hunter2"];
    for (const dsn of cases) {
      let message = '';
      try {
        parseDsn(dsn, 'src');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^source src: bad dsn: /);
      expect(message).not.toContain('hunter2');
    }
  });
});

describe('table patterns', () => {
  const match = (patterns: string[], schema: string, table: string) => compileTablePatterns(patterns)({ schema, table });

  it('supports exact names, % and * wildcards, a plain underscore and a default public schema', () => {
    expect(match(['public.orders'], 'public', 'orders')).toBe(true);
    expect(match(['public.orders'], 'public', 'orders2')).toBe(false);
    expect(match(['orders'], 'public', 'orders')).toBe(true);
    expect(match(['orders'], 'sales', 'orders')).toBe(false);
    expect(match(['public.order_%'], 'public', 'order_items')).toBe(true);
    expect(match(['public.order_%'], 'public', 'orders')).toBe(false);
    expect(match(['public.ord*s'], 'public', 'orders')).toBe(true);
    expect(match(['sales.*'], 'sales', 'anything')).toBe(true);
    expect(match(['%.audit_log'], 'hr', 'audit_log')).toBe(true);
    expect(match(['"my.schema"."T%"'], 'my.schema', 'T%')).toBe(true);
    expect(match(['"my.schema"."T%"'], 'my.schema', 'Tx')).toBe(false);
  });

  it('never matches system schemas', () => {
    for (const schema of ['pg_catalog', 'information_schema', 'pg_toast', 'pg_temp_3']) expect(match(['%.%'], schema, 'x')).toBe(false);
  });

  it('matches outbox prefixes with % and * globs only', () => {
    const isOutbox = compileGlobs(['outbox', 'order_outbox_%']);
    expect(['outbox', 'order_outbox_1'].map(isOutbox)).toEqual([true, true]);
    expect(['outbox2', 'orderXoutbox_1'].map(isOutbox)).toEqual([false, false]);
    expect(compileGlobs(['*'])('anything')).toBe(true);
    expect(compileGlobs([])('outbox')).toBe(false);
  });
});
