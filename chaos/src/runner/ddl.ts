import type { DdlParams } from '../nemesis/index.js';
import type { ColumnDef, WorkloadHandle } from '../workload/index.js';

/** A scenario's SQL type (`varchar(40)`, `int`, `bigint`, `decimal(12,2)`, `json`) as a workload column. */
export function columnDef(name: string, type: string): ColumnDef {
  const t = type.trim().toLowerCase();
  if (t === 'int' || t === 'integer') return { name, kind: 'int' };
  if (t === 'bigint') return { name, kind: 'bigint' };
  if (t === 'json' || t === 'jsonb') return { name, kind: 'json' };
  const varchar = /^varchar\s*\(\s*(\d+)\s*\)$/.exec(t);
  if (varchar) return { name, kind: 'varchar', length: Number(varchar[1]) };
  const decimal = /^(?:decimal|numeric)\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
  if (decimal) return { name, kind: 'decimal', precision: [Number(decimal[1]), Number(decimal[2])] };
  throw new Error(`ddl-add-column: type "${type}" is not one the workload can write (int, bigint, decimal(p,s), json, varchar(n))`);
}

/** `accounts` means the workload's `chaos_accounts`. */
export function tableName(workload: WorkloadHandle, name: string): string {
  const names = workload.tables().map((t) => t.name);
  if (names.includes(name)) return name;
  if (names.includes(`chaos_${name}`)) return `chaos_${name}`;
  throw new Error(`ddl: no workload table "${name}" (tables: ${names.join(', ')})`);
}

/**
 * Applies a scenario's DDL fault through the workload (writers pause around the ALTER, so the
 * history's images stay exact). Without params: add `drift_<n> varchar(40)` to chaos_accounts,
 * or drop the last column added there (else `note`).
 */
export class DdlDriver {
  private added = 0;
  private readonly addedColumns: { table: string; column: string }[] = [];

  constructor(private readonly workload: WorkloadHandle) {}

  async apply(change: 'add' | 'drop', params: DdlParams): Promise<string> {
    const table = tableName(this.workload, params.table ?? 'chaos_accounts');
    if (change === 'add') {
      const def = columnDef(params.column ?? `drift_${++this.added}`, params.type ?? 'varchar(40)');
      const done = await this.workload.addColumn(table, def);
      this.addedColumns.push({ table, column: def.name });
      return `added ${table}.${def.name} ${done.sqlType ?? ''} (first txn on the new shape: ${done.firstTxnId})`;
    }
    const column = params.column ?? this.addedColumns.findLast((c) => c.table === table)?.column ?? 'note';
    const done = await this.workload.dropColumn(table, column);
    return `dropped ${table}.${column} (first txn on the new shape: ${done.firstTxnId})`;
  }
}
