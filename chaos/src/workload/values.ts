import type { RowImage } from '../history/index.js';
import type { Rng } from './rng.js';
import { keyColumns, type ColumnDef, type TableDef } from './schema.js';

/**
 * The after image of one row version, with every value exactly as the source reports it
 * (JSON-ready): integers as numbers, DECIMAL as the string the server returns (full scale,
 * e.g. "-12.5000"), JSON as the parsed value, VARCHAR as text (some of it non-ASCII and 4-byte
 * UTF-8, to catch charset bugs), and sometimes null where the column allows it.
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
  return row;
}

const WORDS = ['tide', 'mark', 'ebb', 'flow', 'é-accent', 'naïve', 'Ωmega', 'wave 🌊', 'quote"s', "it's"];
const STATUSES = ['new', 'paid', 'shipped', 'cancelled'];

function columnValue(column: ColumnDef, writer: number, slot: number, version: number, rng: Rng): unknown {
  switch (column.kind) {
    case 'int':
      return rng.int(-1_000_000, 1_000_000);
    case 'bigint':
      return rng.int(0, 2 ** 40) * 1000 + version;
    case 'decimal':
      return decimalString(column.precision ?? [12, 2], rng);
    case 'varchar':
      if (column.name === 'status') return rng.pick(STATUSES);
      if (rng.next() < 0.15) return null;
      return `${rng.pick(WORDS)} w${writer}k${slot}v${version}`.slice(0, column.length ?? 64);
    case 'json':
      return jsonDoc(writer, slot, version, rng);
  }
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
