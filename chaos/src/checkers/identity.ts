/**
 * The identity of a row version is (table, key, op, version). A delete names the version of the
 * row it removed, so an update and the delete after it share a version and differ by op.
 */
import type { SinkRecord } from '../history/index.js';

/** A record's identity, or null when it carries no version (phantom reports those). */
export function recordIdentity(r: SinkRecord): string | null {
  if (r.version === null) return null;
  return identityOf(r.table, r.key, r.op, r.version);
}

function identityOf(table: string, key: string, op: string, version: number): string {
  // \u0001 cannot occur in table names and is escaped inside the JSON of canonical keys.
  return `${table}\u0001${key}\u0001${op}\u0001${version}`;
}

/** Key of a row within one table, for per-key bookkeeping. */
export function rowKey(table: string, key: string): string {
  return `${table}\u0001${key}`;
}

/**
 * Total order of the versions of one key: by version, and within a version the write (c/u, or
 * a snapshot read r) before the delete that removed it.
 */
export function versionRank(version: number, op: string): number {
  return version * 2 + (op === 'd' ? 1 : 0);
}

const OP_CODES: Record<string, number> = { c: 0, u: 1, d: 2, r: 3 };

/** A small number per op, for numeric identity slots. */
export function opCode(op: string): number {
  return OP_CODES[op] ?? 3;
}
