/**
 * Text-format Postgres values (as pgoutput and a text-mode query send them) to the JSON-ready
 * values the event model requires. Sessions run with DateStyle=ISO, TimeZone=UTC,
 * IntervalStyle=iso_8601, bytea_output=hex and extra_float_digits=3, so the text forms below
 * are the only ones we see.
 */
import { parseArrayLiteral, type ArrayElement } from './array-literal.js';

export type Converter = (text: string) => unknown;

/** The converters a type can resolve to; `text` keeps the server's rendering. */
export type ConverterKind = 'bool' | 'int' | 'int8' | 'float' | 'numeric' | 'json' | 'bytea' | 'timestamptz' | 'timestamp' | 'date' | 'text';

export const identity: Converter = (s) => s;

const toBool: Converter = (s) => s === 't';
const toInt: Converter = (s) => Number(s);

/** int8: a JSON number while it is exact (|n| <= 2^53 - 1), the decimal string beyond. */
const toInt8: Converter = (s) => {
  if (s.length < 16) return Number(s);
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : s;
};

/** float4/float8: NaN and the infinities have no JSON number, so they stay strings. */
const toFloat: Converter = (s) => {
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
};

const toJson: Converter = (s) => JSON.parse(s);

/** bytea_output=hex: `\x0a0b` → base64. */
const toBase64: Converter = (s) => Buffer.from(s.slice(2), 'hex').toString('base64');

/** `2024-01-02 03:04:05.123456+00` → `2024-01-02T03:04:05.123456Z` (microseconds kept). */
const toTimestamptz: Converter = (s) => {
  if (s === 'infinity' || s === '-infinity') return s;
  let t = isoDateTime(s);
  if (t.endsWith('+00')) return `${t.slice(0, -3)}Z`;
  // `+05:30` is already ISO; `+05` needs its minutes.
  if (/[+-]\d\d$/.test(t)) t += ':00';
  return t;
};

const toTimestamp: Converter = (s) => (s === 'infinity' || s === '-infinity' ? s : isoDateTime(s));

const toDate: Converter = (s) => (s === 'infinity' || s === '-infinity' ? s : bcToIsoYear(s));

function isoDateTime(s: string): string {
  const t = bcToIsoYear(s);
  const space = t.indexOf(' ');
  return space < 0 ? t : `${t.slice(0, space)}T${t.slice(space + 1)}`;
}

/** `0044-03-15 BC` → `-0043-03-15`: ISO 8601 counts a year 0, Postgres does not. */
function bcToIsoYear(s: string): string {
  if (!s.endsWith(' BC')) return s;
  const body = s.slice(0, -3);
  const dash = body.indexOf('-');
  const year = Number(body.slice(0, dash)) - 1;
  return `${year === 0 ? '' : '-'}${String(year).padStart(4, '0')}${body.slice(dash)}`;
}

const SCALARS: Record<ConverterKind, Converter> = {
  bool: toBool,
  int: toInt,
  int8: toInt8,
  float: toFloat,
  numeric: identity,
  json: toJson,
  bytea: toBase64,
  timestamptz: toTimestamptz,
  timestamp: toTimestamp,
  date: toDate,
  text: identity,
};

export function scalarConverter(kind: ConverterKind): Converter {
  return SCALARS[kind];
}

/** An array of `element` values; `delimiter` is the element type's typdelim (`;` for box). */
export function arrayConverter(element: Converter, delimiter = ','): Converter {
  const convert = (items: ArrayElement[]): unknown[] => items.map((e) => (e === null ? null : Array.isArray(e) ? convert(e) : element(e)));
  return (s) => convert(parseArrayLiteral(s, delimiter));
}
