import { BUILTIN_ARRAYS, BUILTIN_TYPES } from './builtin-types.js';
import { arrayConverter, identity, scalarConverter, type Converter } from './value-converters.js';

/** One pg_type row, as far as conversion needs it. */
export interface PgTypeRow {
  readonly oid: number;
  readonly name: string;
  /** typtype: b base, c composite, d domain, e enum, p pseudo, r range, m multirange. */
  readonly typtype: string;
  /** typcategory: 'A' for arrays. */
  readonly category: string;
  readonly elem: number;
  readonly base: number;
  readonly delim: string;
}

export interface ResolvedType {
  readonly name: string;
  readonly convert: Converter;
}

export type TypeLookup = (oids: readonly number[]) => Promise<PgTypeRow[]>;

/**
 * OID → converter. Built-in types resolve at once; arrays, enums and domains are asked of the
 * server (pg_type) once and cached. Anything still unknown after that (composites, ranges,
 * extension types) keeps the server's text rendering.
 */
export class TypeCatalog {
  private readonly resolved = new Map<number, ResolvedType>();
  private readonly rows = new Map<number, PgTypeRow>();

  constructor(private readonly lookup: TypeLookup) {}

  /** Synchronous: undefined when `missing(oid)` is not empty. */
  get(oid: number): ResolvedType | undefined {
    const hit = this.resolved.get(oid);
    if (hit) return hit;
    const made = this.resolve(oid, 0);
    if (made) this.resolved.set(oid, made);
    return made;
  }

  /** OIDs (of these types, their elements and domain bases) not yet known. */
  missing(oids: readonly number[]): number[] {
    const out = new Set<number>();
    const walk = (oid: number, depth: number): void => {
      if (depth > 8 || BUILTIN_TYPES.has(oid) || this.resolved.has(oid)) return;
      const elem = BUILTIN_ARRAYS.get(oid);
      if (elem !== undefined) return walk(elem, depth + 1);
      const row = this.rows.get(oid);
      if (!row) {
        out.add(oid);
        return;
      }
      if (row.typtype === 'd') walk(row.base, depth + 1);
      else if (row.category === 'A' && row.elem !== 0) walk(row.elem, depth + 1);
    };
    for (const oid of oids) walk(oid, 0);
    return [...out];
  }

  /** Fetches the given types and whatever they refer to. */
  async load(oids: readonly number[]): Promise<void> {
    let todo = this.missing(oids);
    for (let round = 0; todo.length > 0 && round < 8; round++) {
      const rows = await this.lookup(todo);
      for (const row of rows) this.rows.set(row.oid, row);
      // A type the server does not know (dropped meanwhile) falls back to text rather than looping.
      for (const oid of todo) if (!this.rows.has(oid)) this.rows.set(oid, { oid, name: `oid:${oid}`, typtype: 'b', category: 'U', elem: 0, base: 0, delim: ',' });
      todo = this.missing(oids);
    }
  }

  private resolve(oid: number, depth: number): ResolvedType | undefined {
    if (depth > 8) return { name: `oid:${oid}`, convert: identity };
    const builtin = BUILTIN_TYPES.get(oid);
    if (builtin) return { name: builtin.name, convert: scalarConverter(builtin.kind) };
    const builtinElem = BUILTIN_ARRAYS.get(oid);
    if (builtinElem !== undefined) {
      const elem = this.resolve(builtinElem, depth + 1)!;
      return { name: `${elem.name}[]`, convert: arrayConverter(elem.convert) };
    }
    const row = this.rows.get(oid);
    if (!row) return undefined;
    if (row.typtype === 'd') {
      const base = this.resolve(row.base, depth + 1);
      return base ? { name: row.name, convert: base.convert } : undefined;
    }
    if (row.category === 'A' && row.elem !== 0) {
      const elem = this.resolve(row.elem, depth + 1);
      const delim = this.rows.get(row.elem)?.delim ?? ',';
      return elem ? { name: row.name, convert: arrayConverter(elem.convert, delim) } : undefined;
    }
    // Enums and everything without a JSON counterpart keep the server's text.
    return { name: row.name, convert: identity };
  }
}

/** The pg_type query behind a TypeLookup; `$1` is an oid[] parameter. */
export const PG_TYPE_QUERY =
  'SELECT oid::int4 AS oid, typname AS name, typtype::text AS typtype, typcategory::text AS category, typelem::int4 AS elem, typbasetype::int4 AS base, typdelim::text AS delim FROM pg_catalog.pg_type WHERE oid = ANY($1::oid[])';
