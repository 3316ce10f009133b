/** Schemas that hold server metadata, never user data: always excluded. */
export const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['mysql', 'information_schema', 'performance_schema', 'sys']);

/** Which tables a source captures, and which of them are outbox tables. */
export interface TableFilter {
  /** True when `db.table` is captured. */
  captures(db: string, table: string): boolean;
  /** The outbox pattern `db.table` matched, or null. */
  outboxMatch(db: string, table: string): string | null;
}

interface CompiledPattern {
  readonly source: string;
  readonly db: RegExp;
  readonly table: RegExp;
}

/**
 * Patterns `db.table`, `db.prefix%`, `db.*` and `%.table`: `*` stands for a whole name part and
 * `%` for any run of characters, as in the reference. `_` is literal, because table names are
 * full of underscores and treating it as LIKE's one-character wildcard would capture
 * look-alike tables. An empty list captures every user table.
 */
export function compileTableFilter(tables: readonly string[], outboxTables: readonly string[] = []): TableFilter {
  const captured = tables.map(compilePattern);
  const outbox = outboxTables.map(compilePattern);
  const cache = new Map<string, boolean>();
  return {
    captures(db, table) {
      const key = `${db}.${table}`;
      let hit = cache.get(key);
      if (hit === undefined) {
        hit = !SYSTEM_SCHEMAS.has(db.toLowerCase()) && (captured.length === 0 || captured.some((p) => matches(p, db, table)));
        cache.set(key, hit);
      }
      return hit;
    },
    outboxMatch(db, table) {
      return outbox.find((p) => matches(p, db, table))?.source ?? null;
    },
  };
}

/** Throws a readable message for a pattern without exactly one `.` separator. */
export function compilePattern(pattern: string): CompiledPattern {
  const dot = pattern.indexOf('.');
  if (dot <= 0 || dot === pattern.length - 1 || pattern.indexOf('.', dot + 1) !== -1) {
    throw new Error(`table pattern ${JSON.stringify(pattern)} must look like db.table, db.prefix%, db.* or %.table`);
  }
  return { source: pattern, db: partRegex(pattern.slice(0, dot)), table: partRegex(pattern.slice(dot + 1)) };
}

function partRegex(part: string): RegExp {
  if (part === '*') return /^.*$/s;
  const body = part
    .split('%')
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}

function matches(p: CompiledPattern, db: string, table: string): boolean {
  return p.db.test(db) && p.table.test(table);
}
