import type { ChangeEvent } from '../event/index.js';

/** A compiled table pattern: `orders`, `shop.orders`, `shop.*`, `*.tmp`, `shop.outbox_%`. */
export type TableMatcher = (event: ChangeEvent) => boolean;

/**
 * The reference's table globs for processors (`tables.include`, outbox `tables`): `*` and `%`
 * match any run of characters. A pattern with a dot is matched against `db.table` (and, for
 * Postgres, `schema.table`); one without against the bare table name (a Postgres outbox
 * event's table is its message prefix).
 */
export function compileTableGlobs(patterns: readonly string[]): TableMatcher {
  const compiled = patterns.map((p) => ({ qualified: p.includes('.'), re: globRegExp(p) }));
  return (event) => {
    const { db, table, position } = event.source;
    const schema = (position as { schema?: unknown }).schema;
    for (const { qualified, re } of compiled) {
      if (!qualified ? re.test(table) : re.test(`${db}.${table}`) || (typeof schema === 'string' && re.test(`${schema}.${table}`))) return true;
    }
    return false;
  };
}

function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/[*%]/g, '.*');
  return new RegExp(`^${body}$`);
}
