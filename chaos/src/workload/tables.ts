import type { ColumnDef, TableDef } from './schema.js';

export const ACCOUNTS: TableDef = {
  name: 'chaos_accounts',
  keySpace: 'int',
  columns: [
    { name: 'id', kind: 'int' },
    { name: 'writer', kind: 'int' },
    { name: 'version', kind: 'int' },
    { name: 'balance', kind: 'decimal', precision: [18, 4] },
    { name: 'doc', kind: 'json' },
    { name: 'note', kind: 'varchar', length: 64 },
  ],
  primaryKey: ['id'],
};

export const ORDERS: TableDef = {
  name: 'chaos_orders',
  keySpace: 'writer-seq',
  columns: [
    { name: 'writer', kind: 'int' },
    { name: 'seq', kind: 'int' },
    { name: 'version', kind: 'int' },
    { name: 'amount', kind: 'decimal', precision: [12, 2] },
    { name: 'status', kind: 'varchar', length: 16 },
  ],
  primaryKey: ['writer', 'seq'],
};

export const EVENTS: TableDef = {
  name: 'chaos_events',
  keySpace: 'bigint',
  columns: [
    { name: 'id', kind: 'bigint' },
    { name: 'writer', kind: 'int' },
    { name: 'version', kind: 'int' },
    { name: 'payload', kind: 'json' },
  ],
  primaryKey: ['id'],
};

/** The classic tables: what a scenario writes unless it lists `workload.tables`. */
export const WORKLOAD_TABLES: readonly TableDef[] = [ACCOUNTS, ORDERS, EVENTS];


/**
 * Tables for realism (docs/workload.md, "Schema"): every common column type, large values, a
 * table without a primary key, a wide row, and the table multi-thousand-row transactions write.
 * A scenario opts in by listing them in `workload.tables` (the classic three stay the default).
 */
const bookkeeping = (key: ColumnDef): ColumnDef[] => [key, { name: 'writer', kind: 'int' }, { name: 'version', kind: 'int' }];

export const TYPES: TableDef = {
  name: 'chaos_types',
  keySpace: 'bigint',
  primaryKey: ['id'],
  columns: [
    ...bookkeeping({ name: 'id', kind: 'bigint' }),
    { name: 'small', kind: 'smallint' },
    { name: 'flag', kind: 'bool' },
    { name: 'ratio', kind: 'float' },
    { name: 'measure', kind: 'double' },
    { name: 'price', kind: 'decimal', precision: [20, 6] },
    { name: 'big', kind: 'bigint' },
    { name: 'code', kind: 'char', length: 8 },
    { name: 'label', kind: 'varchar', length: 120 },
    { name: 'ref', kind: 'uuid' },
    { name: 'state', kind: 'enum' },
    { name: 'day', kind: 'date' },
    { name: 'local_at', kind: 'datetime' },
    { name: 'utc_at', kind: 'timestamptz' },
    { name: 'clock', kind: 'time' },
    { name: 'attrs', kind: 'json' },
    { name: 'raw', kind: 'blob' },
    { name: 'ints', kind: 'int_array', sources: ['postgres'] },
    { name: 'words', kind: 'text_array', sources: ['postgres'] },
  ],
};

const documentColumns: ColumnDef[] = [
  ...bookkeeping({ name: 'id', kind: 'int' }),
  { name: 'title', kind: 'varchar', length: 64 },
  { name: 'body', kind: 'text' },
  { name: 'attachment', kind: 'blob' },
  { name: 'meta', kind: 'doc' },
];

/** Large values; on Postgres the default replica identity, so an unchanged TOASTed value is not sent. */
export const DOCS: TableDef = { name: 'chaos_docs', keySpace: 'int', primaryKey: ['id'], columns: documentColumns, replicaIdentity: 'default' };

/** The same with REPLICA IDENTITY FULL: the old row carries every value. */
export const DOCS_FULL: TableDef = { name: 'chaos_docs_full', keySpace: 'int', primaryKey: ['id'], columns: documentColumns };

/** No primary key (an index on `id`); Postgres can capture its updates only with REPLICA IDENTITY FULL. */
export const NOPK: TableDef = {
  name: 'chaos_nopk',
  keySpace: 'int',
  primaryKey: ['id'],
  noPrimaryKey: true,
  columns: [...bookkeeping({ name: 'id', kind: 'int' }), { name: 'note', kind: 'varchar', length: 64 }, { name: 'amount', kind: 'decimal', precision: [12, 2] }],
};

const WIDE_KINDS: ColumnDef['kind'][] = ['int', 'varchar', 'decimal', 'double', 'bool', 'date'];

/** A wide row: 60 columns of mixed types. */
export const WIDE: TableDef = {
  name: 'chaos_wide',
  keySpace: 'int',
  primaryKey: ['id'],
  columns: [
    ...bookkeeping({ name: 'id', kind: 'int' }),
    ...Array.from({ length: 60 }, (_, i): ColumnDef => {
      const kind = WIDE_KINDS[i % WIDE_KINDS.length]!;
      return { name: `c${String(i + 1).padStart(2, '0')}`, kind, ...(kind === 'varchar' ? { length: 40 } : kind === 'decimal' ? { precision: [14, 3] as const } : {}) };
    }),
  ],
};

/** What multi-thousand-row transactions write (inserted, then updated, then deleted, in turn). */
export const BULK: TableDef = {
  name: 'chaos_bulk',
  bulk: true,
  keySpace: 'bigint',
  primaryKey: ['id'],
  columns: [...bookkeeping({ name: 'id', kind: 'bigint' }), { name: 'note', kind: 'varchar', length: 40 }, { name: 'amount', kind: 'decimal', precision: [12, 2] }],
};

/** What a backlog is written into before the engine starts (backlog-drain). */
export const BACKLOG: TableDef = {
  name: 'chaos_backlog',
  keySpace: 'bigint',
  primaryKey: ['id'],
  columns: [
    ...bookkeeping({ name: 'id', kind: 'bigint' }),
    { name: 'amount', kind: 'decimal', precision: [14, 4] },
    { name: 'note', kind: 'varchar', length: 64 },
    { name: 'doc', kind: 'json' },
    { name: 'at', kind: 'datetime' },
  ],
};

/**
 * Rows some sinks must refuse (dlq-poison): `kind` good, big (a 24 kB payload: over the sinks'
 * size limits) or noroute (`route` empty: a routing template using it resolves empty).
 */
export const POISON: TableDef = {
  name: 'chaos_poison',
  keySpace: 'int',
  primaryKey: ['id'],
  poison: true,
  columns: [...bookkeeping({ name: 'id', kind: 'int' }), { name: 'kind', kind: 'varchar', length: 12 }, { name: 'route', kind: 'varchar', length: 40 }, { name: 'payload', kind: 'text' }],
};

/** Every table the workload knows. */
export const ALL_TABLES: readonly TableDef[] = [ACCOUNTS, ORDERS, EVENTS, TYPES, DOCS, DOCS_FULL, NOPK, WIDE, BULK, BACKLOG, POISON];

/** The realism set a scenario names with `tables: [realism]`: everything but the bulk table (large transactions add it). */
export const REALISM_TABLES: readonly TableDef[] = [ACCOUNTS, ORDERS, EVENTS, TYPES, DOCS, DOCS_FULL, NOPK, WIDE];

/** The key columns per table, as `SourceHistory.primaryKeys` wants them (every table, so readers can key any record). */
export const WORKLOAD_PRIMARY_KEYS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(ALL_TABLES.map((t) => [t.name, t.primaryKey]));

/**
 * Tables by name (`accounts` means `chaos_accounts`; `realism` the realism set) in the shape a
 * source has them: columns other sources lack are dropped. Absent names: the classic tables.
 */
export function tablesFor(source: 'mysql' | 'postgres', names?: readonly string[]): TableDef[] {
  const picked: TableDef[] = [];
  for (const name of names ?? WORKLOAD_TABLES.map((t) => t.name)) {
    const found = name === 'realism' ? REALISM_TABLES : ALL_TABLES.filter((t) => t.name === name || t.name === `chaos_${name}`);
    if (found.length === 0) throw new Error(`unknown workload table "${name}" (known: ${ALL_TABLES.map((t) => t.name.replace(/^chaos_/, '')).join(', ')}, realism)`);
    for (const t of found) if (!picked.includes(t)) picked.push(t);
  }
  return picked.map((t) => ({ ...t, columns: t.columns.filter((c) => !c.sources || c.sources.includes(source)) }));
}
