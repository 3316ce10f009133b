/**
 * Avro names: each dot-separated part must match [A-Za-z_][A-Za-z0-9_]*. Table, database and
 * column names may hold anything, so they are sanitised the way Debezium does (other
 * characters become `_`, a leading digit gets a `_`); a field renamed so keeps its column name
 * in the `tidemark.column` attribute, which decoders use to restore it.
 */
export function avroName(part: string): string {
  const cleaned = part.replace(/[^A-Za-z0-9_]/g, '_');
  return cleaned === '' ? '_' : /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

export function avroNamespace(parts: readonly string[]): string {
  return parts.map(avroName).join('.');
}

/** Field names for columns: sanitised, and made unique (`a-b` and `a_b` must not collide). */
export function fieldNames(columns: readonly string[]): string[] {
  const used = new Set<string>();
  return columns.map((c) => {
    const base = avroName(c);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    return name;
  });
}

/** The attribute that carries a column's own name when its field name differs. */
export const COLUMN_ATTRIBUTE = 'tidemark.column';
