/**
 * `tables` patterns: `schema.table`, `%` or `*` for any run of characters, a bare `table`
 * meaning `public.table`, and double-quoted parts (matched literally) for names containing
 * dots. `_` is a plain underscore, as in the MySQL source: `public.order_%` means "starts with
 * order_", which is what people mean by it. System schemas never match.
 */
export interface QualifiedName {
  readonly schema: string;
  readonly table: string;
}

export type TableMatcher = (name: QualifiedName) => boolean;

const SYSTEM_SCHEMA = /^(pg_catalog|information_schema|pg_toast.*|pg_temp_.*)$/;

export function isSystemSchema(schema: string): boolean {
  return SYSTEM_SCHEMA.test(schema);
}

export function compileTablePatterns(patterns: readonly string[]): TableMatcher {
  const compiled = patterns.map(compileOne);
  return (name) => !isSystemSchema(name.schema) && compiled.some(([s, t]) => s.test(name.schema) && t.test(name.table));
}

/** `schema.table`, quoted as Postgres needs it in SQL. */
export function quoteQualified(name: QualifiedName): string {
  return `${quoteIdent(name.schema)}.${quoteIdent(name.table)}`;
}

export function quoteIdent(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

export function qualifiedText(name: QualifiedName): string {
  return `${name.schema}.${name.table}`;
}

function compileOne(pattern: string): [RegExp, RegExp] {
  const parts = splitUnquoted(pattern.trim());
  if (parts.length === 1) return [partRegExp({ text: 'public', quoted: true }), partRegExp(parts[0]!)];
  if (parts.length !== 2) throw new RangeError(`table pattern ${JSON.stringify(pattern)}: expected schema.table or table`);
  return [partRegExp(parts[0]!), partRegExp(parts[1]!)];
}

interface Part {
  readonly text: string;
  /** A double-quoted part is matched literally. */
  readonly quoted: boolean;
}

function splitUnquoted(pattern: string): Part[] {
  const parts: Part[] = [];
  let current = '';
  let quoted = false;
  let inQuotes = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '"') {
      if (inQuotes && pattern[i + 1] === '"') {
        current += '"';
        i++;
      } else {
        inQuotes = !inQuotes;
        quoted = true;
      }
    } else if (c === '.' && !inQuotes) {
      parts.push({ text: current, quoted });
      current = '';
      quoted = false;
    } else current += c;
  }
  parts.push({ text: current, quoted });
  return parts;
}

function partRegExp(part: Part): RegExp {
  return part.quoted ? new RegExp(`^${escapeRegExp(part.text)}$`) : wildcardRegExp(part.text);
}

/** `%` and `*` match any run of characters; everything else is literal. */
function wildcardRegExp(text: string): RegExp {
  return new RegExp(`^${text.split(/[%*]/).map(escapeRegExp).join('.*')}$`, 's');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Globs for `outbox.prefixes`, with the same wildcards as table patterns. */
export function compileGlobs(globs: readonly string[]): (value: string) => boolean {
  const res = globs.map(wildcardRegExp);
  return (value) => res.some((r) => r.test(value));
}
