import type { RowImage } from '../history/index.js';
import type { Rng } from './rng.js';
import { keyColumns, type ColumnDef, type TableDef } from './schema.js';

/**
 * The after image of one row version, with every value exactly as the source reports it
 * (JSON-ready; docs/workload.md, "Values"): integers as numbers, DECIMAL as the string the
 * server returns (full scale, e.g. "-12.5000"), JSON as the parsed value, text with non-ASCII
 * and 4-byte UTF-8, binary as base64, date-times as text, and sometimes null.
 */
export function rowImage(table: TableDef, writer: number, slot: number, version: number, rng: Rng): RowImage {
  const key = keyColumns(table, writer, slot);
  const row: RowImage = {};
  for (const column of table.columns) {
    if (column.name in key) row[column.name] = key[column.name];
    else if (column.name === 'writer') row[column.name] = writer;
    else if (column.name === 'version') row[column.name] = version;
    else row[column.name] = columnValue(column, writer, slot, version, rng);
  }
  if (table.poison) poisonRow(row, slot, rng);
  return row;
}

/** Size limit the dlq scenarios give their sinks; a big row's payload is far over it. */
export const POISON_LIMIT_BYTES = 16_384;

/** 80% good rows, 10% big (a 24 kB payload, over the 16 kB limits), 10% unroutable (an empty route). */
function poisonRow(row: RowImage, slot: number, rng: Rng): void {
  const draw = rng.next();
  row.kind = draw < 0.8 ? 'good' : draw < 0.9 ? 'big' : 'noroute';
  row.route = row.kind === 'noroute' ? '' : `r${slot}`;
  row.payload = row.kind === 'big' ? hex(rng, 24_000) : `small ${hex(rng, 16)}`;
}

/**
 * The sinks (as the dlq scenarios configure them) that must refuse a row version: a big image
 * (before or after: the event carries both) is over Kafka's, Redis's and the HTTP receiver's
 * limits (not NATS's 1 MB); an empty route fails the Kafka key and NATS subject templates.
 */
export function poisonFor(before: RowImage | null, after: RowImage | null): string[] {
  const big = before?.kind === 'big' || after?.kind === 'big';
  const noroute = (after ?? before)?.route === '';
  return [...(big || noroute ? ['kafka'] : []), ...(big ? ['redis', 'http'] : []), ...(noroute ? ['nats'] : [])];
}

const WORDS = ['tide', 'mark', 'ebb', 'flow', 'é-accent', 'naïve', 'Ωmega', 'wave 🌊', 'quote"s', "it's"];
const STATUSES = ['new', 'paid', 'shipped', 'cancelled'];
/** The values of the `enum` kind (both sources declare the same list). */
export const ENUM_VALUES = STATUSES;

function columnValue(column: ColumnDef, writer: number, slot: number, version: number, rng: Rng): unknown {
  switch (column.kind) {
    case 'int':
      return rng.int(-1_000_000, 1_000_000);
    case 'smallint':
      return rng.int(-32_768, 32_767);
    case 'bigint':
      // Beyond 2^53 the source reports the exact decimal string.
      return column.name === 'big' && rng.next() < 0.3 ? `${rng.int(1_000_000_000, 9_223_372_035)}${String(rng.int(0, 999_999_999)).padStart(9, '0')}` : rng.int(0, 2 ** 40) * 1000 + version;
    case 'decimal':
      return decimalString(column.precision ?? [12, 2], rng);
    case 'bool':
      return rng.next() < 0.5;
    case 'float':
      // A binary32 value with an exact short decimal: it survives FLOAT/REAL and every JSON hop.
      return rng.int(-4096, 4096) / 8;
    case 'double':
      // At most 15 significant digits: what a server's text rendering gives back exactly.
      return Math.round((rng.next() - 0.5) * 2e13) / 1e5;
    case 'char':
      // Exactly the declared length: CHAR padding (Postgres keeps it, MariaDB strips it) stays out of the picture.
      return hex(rng, column.length ?? 8);
    case 'uuid':
      return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`;
    case 'enum':
      return rng.pick(STATUSES);
    case 'varchar':
      if (column.name === 'status') return rng.pick(STATUSES);
      if (rng.next() < 0.15) return null;
      return `${rng.pick(WORDS)} w${writer}k${slot}v${version}`.slice(0, column.length ?? 64);
    case 'json':
      return jsonDoc(writer, slot, version, rng);
    case 'date':
      return `${rng.int(1990, 2037)}-${two(rng.int(1, 12))}-${two(rng.int(1, 28))}`;
    case 'datetime':
    case 'timestamptz':
      // UTC wall-clock with microseconds; within TIMESTAMP's range (1970-2038).
      return `${rng.int(1971, 2037)}-${two(rng.int(1, 12))}-${two(rng.int(1, 28))} ${two(rng.int(0, 23))}:${two(rng.int(0, 59))}:${two(rng.int(0, 59))}.${micros(rng)}`;
    case 'time':
      return `${two(rng.int(0, 23))}:${two(rng.int(0, 59))}:${two(rng.int(0, 59))}.${micros(rng)}`;
    case 'text':
      return large(rng, () => `${rng.pick(WORDS)} `, (n) => hex(rng, n));
    case 'blob':
      return large(rng, () => '', (n) => Buffer.from(hex(rng, n * 2), 'hex').toString('base64'));
    case 'doc':
      return large(rng, () => '', (n) => ({ w: writer, k: slot, v: version, title: rng.pick(WORDS), body: hex(rng, n), items: [1, 2, 3].map((i) => ({ i, tag: rng.pick(WORDS) })) }));
    case 'int_array':
      return Array.from({ length: rng.int(0, 5) }, () => rng.int(-1000, 1000));
    case 'text_array':
      return Array.from({ length: rng.int(0, 4) }, () => rng.pick(WORDS));
  }
}

/** Large values (LARGE_KINDS) are null, short (under 200 bytes, stored inline) or 8 to 40 kB: TOASTed / off-page, never in between. */
export const LARGE_MIN_BYTES = 8000;

function large(rng: Rng, prefix: () => string, make: (bytes: number) => unknown): unknown {
  const draw = rng.next();
  if (draw < 0.1) return null;
  if (draw < 0.35) {
    const v = make(rng.int(10, 60));
    return typeof v === 'string' ? `${prefix()}${v}` : v;
  }
  return make(rng.int(LARGE_MIN_BYTES, 40_000));
}

/** Whether a large value is stored out of line (so Postgres does not send it when an update leaves it alone). */
export function isToasted(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const bytes = typeof value === 'string' ? value.length : JSON.stringify(value).length;
  return bytes >= LARGE_MIN_BYTES * 0.75; // base64 of 8000 bytes is 10668 chars; hex text 8000
}

function hex(rng: Rng, chars: number): string {
  let out = '';
  while (out.length < chars) out += Math.floor(rng.next() * 2 ** 32).toString(16).padStart(8, '0');
  return out.slice(0, chars);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Six fractional digits, the last never 0: Postgres prints times without trailing zeros, MariaDB with. */
function micros(rng: Rng): string {
  return `${String(rng.int(0, 99_999)).padStart(5, '0')}${rng.int(1, 9)}`;
}

/** A decimal with exactly `scale` fractional digits, within the column's precision. */
export function decimalString([precision, scale]: readonly [number, number], rng: Rng): string {
  const intDigits = Math.min(precision - scale, 9);
  const whole = rng.int(0, 10 ** rng.int(0, intDigits) - 1);
  const fraction = scale === 0 ? '' : `.${String(rng.int(0, 10 ** scale - 1)).padStart(scale, '0')}`;
  const negative = rng.next() < 0.2 && (whole > 0 || /[1-9]/.test(fraction));
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * A small JSON document: nested object and array, unicode, an exact binary fraction (so the
 * number survives any JSON round trip) and the row's own identity.
 */
function jsonDoc(writer: number, slot: number, version: number, rng: Rng): unknown {
  return {
    w: writer,
    k: slot,
    v: version,
    tags: Array.from({ length: rng.int(0, 3) }, () => rng.pick(WORDS)),
    nested: { ratio: rng.int(0, 64) / 8, flag: rng.next() < 0.5, label: rng.next() < 0.3 ? null : rng.pick(WORDS) },
  };
}
