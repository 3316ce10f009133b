import type { Queryable, TableInfo } from '../server/catalog.js';
import { quoteIdent, quoteQualified } from '../table-patterns.js';

/** One unit of snapshot work: a WHERE clause over one table. */
export interface Chunk {
  readonly table: TableInfo;
  readonly where: string;
  readonly params: readonly string[];
}

const INTEGER_TYPES = new Set([20, 21, 23]);

/** Integer key ranges `[lo, hi)` covering `[min, max]`, or null when keys are too sparse for ranges to be even. */
export function integerRanges(min: bigint, max: bigint, chunkSize: number, estimatedRows: number): Array<[bigint, bigint]> | null {
  const size = BigInt(chunkSize);
  const count = (max - min) / size + 1n;
  const reasonable = BigInt(Math.max(16, 4 * Math.ceil(Math.max(estimatedRows, 1) / chunkSize)));
  if (count > reasonable) return null;
  const out: Array<[bigint, bigint]> = [];
  for (let lo = min; lo <= max; lo += size) out.push([lo, lo + size]);
  return out;
}

/** Page ranges `[from, to)` of a heap; the last range is open-ended (to = null). */
export function pageRanges(pages: number, rowsPerPage: number, chunkSize: number): Array<[number, number | null]> {
  const step = Math.max(1, Math.floor(chunkSize / Math.max(1, rowsPerPage)));
  const out: Array<[number, number | null]> = [];
  for (let from = 0; from + step < pages; from += step) out.push([from, from + step]);
  out.push([out.length === 0 ? 0 : out[out.length - 1]![1]!, null]);
  return out;
}

/**
 * Splits a table into chunks, read under the snapshot: ranges of a single integer primary key
 * when its keys are dense enough, else ranges of heap pages (ctid, a TID range scan).
 */
export async function planChunks(db: Queryable, table: TableInfo, chunkSize: number): Promise<Chunk[]> {
  const name = quoteQualified(table);
  const stats = await db.query<{ reltuples: number; relpages: number; pages: string }>(
    "SELECT reltuples::float8 AS reltuples, relpages, (pg_relation_size(oid) / current_setting('block_size')::int)::text AS pages FROM pg_catalog.pg_class WHERE oid = $1",
    [table.oid],
  );
  const { reltuples, relpages, pages } = stats.rows[0] ?? { reltuples: 0, relpages: 0, pages: '0' };
  const pkColumn = table.primaryKey.length === 1 ? table.columns.find((c) => c.name === table.primaryKey[0]) : undefined;
  if (pkColumn && INTEGER_TYPES.has(pkColumn.typeOid)) {
    const pk = quoteIdent(pkColumn.name);
    const { rows } = await db.query<{ min: string | null; max: string | null }>(`SELECT min(${pk})::text AS min, max(${pk})::text AS max FROM ${name}`);
    const { min, max } = rows[0]!;
    if (min === null || max === null) return [];
    const ranges = integerRanges(BigInt(min), BigInt(max), chunkSize, Number(reltuples));
    if (ranges) return ranges.map(([lo, hi]) => ({ table, where: `${pk} >= $1 AND ${pk} < $2`, params: [String(lo), String(hi)] }));
  }
  const rowsPerPage = relpages > 0 && reltuples > 0 ? reltuples / relpages : 100;
  return pageRanges(Number(pages), rowsPerPage, chunkSize).map(([from, to]) => ({
    table,
    where: to === null ? `ctid >= $1::tid` : `ctid >= $1::tid AND ctid < $2::tid`,
    params: to === null ? [`(${from},0)`] : [`(${from},0)`, `(${to},0)`],
  }));
}
