import { describe, expect, it } from 'vitest';
import type { RowVersion } from '../../../../chaos/src/history/index.js';
import { checkIdentifier, mysqlDialect, postgresDialect } from '../../../../chaos/src/workload/sql/dialect.js';
import { addColumnStatement, decodeRow, dropColumnStatement, selectKeyStatement, writeStatement } from '../../../../chaos/src/workload/sql/statements.js';
import { ACCOUNTS, ORDERS, EVENTS, WORKLOAD_TABLES } from '../../../../chaos/src/workload/schema.js';

const after = { writer: 2, seq: 5, version: 3, amount: '-1.50', status: 'paid' };
const before = { ...after, version: 2, amount: '7.00' };
const update: RowVersion = { table: ORDERS.name, key: '{"writer":2,"seq":5}', version: 3, op: 'u', writer: 2, before, after };

describe('workload SQL', () => {
  it('guards updates and deletes with the expected old version (MySQL)', () => {
    expect(writeStatement(mysqlDialect, 'db1', ORDERS, update)).toEqual({
      sql: 'UPDATE `db1`.`chaos_orders` SET `version` = ?, `amount` = ?, `status` = ? WHERE `writer` = ? AND `seq` = ? AND `version` = ?',
      params: [3, '-1.50', 'paid', 2, 5, 2],
    });
    expect(writeStatement(mysqlDialect, 'db1', ORDERS, { ...update, op: 'd', version: 2, after: null })).toEqual({
      sql: 'DELETE FROM `db1`.`chaos_orders` WHERE `writer` = ? AND `seq` = ? AND `version` = ?',
      params: [2, 5, 2],
    });
  });

  it('numbers Postgres parameters and sends JSON as text', () => {
    const doc = { a: [1, 'é'] };
    const insert: RowVersion = { table: ACCOUNTS.name, key: '{"id":200001}', version: 1, op: 'c', writer: 2, before: null, after: { id: 200_001, writer: 2, version: 1, balance: '0.5000', doc, note: null } };
    expect(writeStatement(postgresDialect, 's1', ACCOUNTS, insert)).toEqual({
      sql: 'INSERT INTO "s1"."chaos_accounts" ("id", "writer", "version", "balance", "doc", "note") VALUES ($1, $2, $3, $4, $5, $6)',
      params: [200_001, 2, 1, '0.5000', JSON.stringify(doc), null],
    });
    expect(writeStatement(postgresDialect, 's1', ORDERS, update).sql).toBe(
      'UPDATE "s1"."chaos_orders" SET "version" = $1, "amount" = $2, "status" = $3 WHERE "writer" = $4 AND "seq" = $5 AND "version" = $6',
    );
    expect(selectKeyStatement(postgresDialect, 's1', ORDERS, after)).toEqual({ sql: 'SELECT * FROM "s1"."chaos_orders" WHERE "writer" = $1 AND "seq" = $2', params: [2, 5] });
  });

  it('creates the schema: Postgres tables with REPLICA IDENTITY FULL, MySQL in utf8mb4', () => {
    const pg = postgresDialect.createSchema('s1', WORKLOAD_TABLES);
    expect(pg[0]).toBe('DROP SCHEMA IF EXISTS "s1" CASCADE');
    expect(pg).toContain('ALTER TABLE "s1"."chaos_orders" REPLICA IDENTITY FULL');
    expect(pg).toContain(
      'CREATE TABLE "s1"."chaos_accounts" ("id" INTEGER NOT NULL, "writer" INTEGER NOT NULL, "version" INTEGER NOT NULL, "balance" NUMERIC(18,4), "doc" JSONB, "note" VARCHAR(64), PRIMARY KEY ("id"))',
    );
    const my = mysqlDialect.createSchema('db1', WORKLOAD_TABLES);
    expect(my[1]).toContain('utf8mb4');
    expect(my).toContain('CREATE TABLE `db1`.`chaos_events` (`id` BIGINT NOT NULL, `writer` INT NOT NULL, `version` INT NOT NULL, `payload` JSON, PRIMARY KEY (`id`)) ENGINE=InnoDB');
    expect(addColumnStatement(mysqlDialect, 'db1', ACCOUNTS, { name: 'x', kind: 'decimal', precision: [9, 3] }).sql).toBe('ALTER TABLE `db1`.`chaos_accounts` ADD COLUMN `x` DECIMAL(9,3) NULL');
    expect(dropColumnStatement(postgresDialect, 's1', ACCOUNTS, 'note').sql).toBe('ALTER TABLE "s1"."chaos_accounts" DROP COLUMN "note"');
  });

  it('decodes driver values into the JSON-ready form of the history', () => {
    // pg: int8 and numeric as text, jsonb parsed; mysql2: JSON may come as text.
    expect(decodeRow(postgresDialect, EVENTS, { id: '20000000001', writer: 2, version: 4, payload: { a: 1 } })).toEqual({ id: 20_000_000_001, writer: 2, version: 4, payload: { a: 1 } });
    expect(decodeRow(mysqlDialect, EVENTS, { id: '99999999999999999999', writer: 2, version: 4, payload: '{"a":1}' })).toEqual({ id: '99999999999999999999', writer: 2, version: 4, payload: { a: 1 } });
    expect(decodeRow(mysqlDialect, ACCOUNTS, { id: 1, writer: 1, version: 1, balance: '12.5000', doc: null, note: null, dropped: 'x' })).toEqual({ id: 1, writer: 1, version: 1, balance: '12.5000', doc: null, note: null });
  });

  it('accepts only plain identifiers for databases', () => {
    expect(checkIdentifier('scenario_1', 'db')).toBe('scenario_1');
    expect(() => checkIdentifier('a;drop', 'workload database')).toThrow(/workload database "a;drop" is not a plain identifier/);
    expect(() => checkIdentifier('1abc', 'db')).toThrow();
  });
});
