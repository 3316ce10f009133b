import { canonicalKey, type RowImage, type RowVersion } from '../../history/index.js';
import type { TableDef } from '../schema.js';
import type { Dialect } from '../sql/dialect.js';
import type { SqlSession } from '../sql/session.js';
import { decodeRow } from '../sql/statements.js';

/**
 * Versioned row access inside one TPC-C transaction: every write is guarded by the version read
 * under a row lock, and every write is staged as the row version the history records (full
 * before and after images: REPLICA IDENTITY FULL, binlog_row_image FULL).
 */
export class VersionedTxn {
  readonly versions: RowVersion[] = [];

  constructor(
    private readonly session: SqlSession,
    private readonly d: Dialect,
    private readonly database: string,
    private readonly writer: number,
  ) {}

  /** The row by key, locked until the transaction ends; null when absent. */
  async lock(table: TableDef, key: RowImage): Promise<RowImage | null> {
    const where = table.primaryKey.map((c, i) => `${this.d.ident(c)} = ${this.d.param(i + 1)}`).join(' AND ');
    const rows = await this.session.query(`SELECT * FROM ${this.name(table)} WHERE ${where} FOR UPDATE`, table.primaryKey.map((c) => key[c]));
    return rows[0] ? decodeRow(this.d, table, rows[0]) : null;
  }

  /** Rows matching a condition, locked, decoded (e.g. the lines of an order). */
  async lockWhere(table: TableDef, condition: string, params: readonly unknown[]): Promise<RowImage[]> {
    const rows = await this.session.query(`SELECT * FROM ${this.name(table)} WHERE ${condition} FOR UPDATE`, params);
    return rows.map((r) => decodeRow(this.d, table, r));
  }

  async read(sql: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
    return this.session.query(sql, params);
  }

  /** The dialect's placeholder for the i-th parameter (1-based). */
  placeholder(i: number): string {
    return this.d.param(i);
  }

  name(table: TableDef): string {
    return `${this.d.ident(this.database)}.${this.d.ident(table.name)}`;
  }

  /** Inserts many rows in one statement (version 1, this terminal as writer). */
  async insert(table: TableDef, rows: readonly RowImage[]): Promise<void> {
    if (rows.length === 0) return;
    const cols = table.columns;
    const params: unknown[] = [];
    const afters: RowImage[] = rows.map((r) => ({ ...r, writer: this.writer, version: 1 }));
    const values = afters.map((r) => `(${cols.map((c) => (params.push(this.d.encode(c, r[c.name] ?? null)), this.d.param(params.length))).join(', ')})`);
    const affected = await this.session.execute(`INSERT INTO ${this.name(table)} (${cols.map((c) => this.d.ident(c.name)).join(', ')}) VALUES ${values.join(', ')}`, params);
    if (affected !== rows.length) throw new Error(`insert into ${table.name} affected ${affected} rows, expected ${rows.length}`);
    for (const after of afters) this.stage(table, 'c', null, after);
  }

  /** Updates a locked row: the changed columns, writer and version + 1, guarded by the version read. */
  async update(table: TableDef, before: RowImage, changes: RowImage): Promise<RowImage> {
    const after: RowImage = { ...before, ...changes, writer: this.writer, version: (before.version as number) + 1 };
    const set = Object.keys(changes).concat('writer', 'version');
    const params: unknown[] = set.map((c) => this.d.encode(columnOf(table, c), after[c] ?? null));
    const where = [...table.primaryKey, 'version'].map((c) => (params.push(this.d.encode(columnOf(table, c), before[c])), `${this.d.ident(c)} = ${this.d.param(params.length)}`)).join(' AND ');
    const affected = await this.session.execute(`UPDATE ${this.name(table)} SET ${set.map((c, i) => `${this.d.ident(c)} = ${this.d.param(i + 1)}`).join(', ')} WHERE ${where}`, params);
    if (affected !== 1) throw new Error(`update of ${table.name} ${JSON.stringify(before)} affected ${affected} rows, expected 1`);
    this.stage(table, 'u', before, after);
    return after;
  }

  async delete(table: TableDef, before: RowImage): Promise<void> {
    const params: unknown[] = [];
    const where = [...table.primaryKey, 'version'].map((c) => (params.push(this.d.encode(columnOf(table, c), before[c])), `${this.d.ident(c)} = ${this.d.param(params.length)}`)).join(' AND ');
    const affected = await this.session.execute(`DELETE FROM ${this.name(table)} WHERE ${where}`, params);
    if (affected !== 1) throw new Error(`delete from ${table.name} affected ${affected} rows, expected 1`);
    this.stage(table, 'd', before, null);
  }

  private stage(table: TableDef, op: 'c' | 'u' | 'd', before: RowImage | null, after: RowImage | null): void {
    const image = (after ?? before)!;
    this.versions.push({ table: table.name, key: canonicalKey(table.primaryKey, image), version: image.version as number, op, writer: this.writer, before, after });
  }
}

function columnOf(table: TableDef, name: string) {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new Error(`${table.name} has no column ${name}`);
  return c;
}
