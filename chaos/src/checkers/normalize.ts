import type { RowImage } from '../history/index.js';

/**
 * Equality of a value the workload wrote and the value a sink delivered, modulo encodings that
 * are equally faithful: see docs/checkers.md ("Normalisation") for the rules and why each holds.
 * Precision loss is never forgiven: 0.1 equals "0.10", but 12345678901234567.89 does not equal
 * the double 12345678901234568.
 */
export function valuesEqual(expected: unknown, actual: unknown): boolean {
  if (expected === actual) return true;
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (actual === null || actual === undefined) return false;
  const e = numericText(expected);
  if (e !== null) {
    const a = numericText(actual);
    return a !== null && e === a;
  }
  if (typeof expected === 'string' && typeof actual === 'string') {
    const te = timestampText(expected);
    return te !== null && te === timestampText(actual);
  }
  if (typeof expected === 'object' || typeof actual === 'object') return jsonEqual(expected, actual);
  return false;
}

export interface ColumnDiff {
  readonly column: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/**
 * The first column whose value differs, or null when the images agree. The workload's image
 * is the authority for the columns it names; columns only the sink has (server defaults, a
 * column added by DDL the workload did not write) are not judged.
 */
export function imageDiff(expected: RowImage | null, actual: RowImage | null): ColumnDiff | null {
  if (expected === null || actual === null) {
    return expected === actual ? null : { column: '(image)', expected: expected === null ? null : 'a row', actual: actual === null ? null : 'a row' };
  }
  // for-in, not Object.keys: no array per image on the hot path.
  for (const column in expected) {
    if (!valuesEqual(expected[column], actual[column])) return { column, expected: expected[column], actual: actual[column] };
  }
  return null;
}

const NUMERIC = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Canonical decimal text of a number, numeric string or boolean (as 1/0); null otherwise. */
export function numericText(v: unknown): string | null {
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return null;
    text = String(v);
  } else if (typeof v === 'bigint') {
    text = v.toString();
  } else if (typeof v === 'boolean') {
    return v ? '1' : '0';
  } else if (typeof v === 'string') {
    text = v.trim();
  } else {
    return null;
  }
  const m = NUMERIC.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const sign = m[1] === '-' ? '-' : '';
  let digits = (m[2] ?? '') + (m[3] ?? '');
  let point = (m[2] ?? '').length + Number(m[4] ?? 0);
  // Place the decimal point, then strip the zeros that do not change the value.
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  const int = digits.slice(0, point).replace(/^0+/, '') || '0';
  const frac = digits.slice(point).replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return body === '0' ? '0' : sign + body;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Canonical UTC text (`2024-01-02T03:04:05.123456000Z`) of a date-time string, or null. A
 * missing zone means UTC: DATETIME and `timestamp without time zone` carry none, and the
 * workload writes UTC.
 */
export function timestampText(v: string): string | null {
  const fast = utcFast(v);
  if (fast !== null) return fast;
  const m = TIMESTAMP.exec(v);
  if (!m) return null;
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMin = (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  // Already in UTC with valid fields: the text is the instant (no Date arithmetic; checkers at scale call this for every value).
  if (offsetMin === 0 && validFields(m)) return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${(m[7] ?? '').padEnd(9, '0')}Z`;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offsetMin * 60_000;
  if (!Number.isFinite(ms)) return null;
  const iso = new Date(ms).toISOString().slice(0, 19);
  return `${iso}.${(m[7] ?? '').padEnd(9, '0')}Z`;
}

/**
 * `YYYY-MM-DD[T ]HH:MM:SS[.f…]` with no zone or `Z`, parsed by hand: checkers at scale meet a
 * date-time in nearly every image, and the regex plus Date round trip dominated their profile.
 * Anything else (offsets, odd spacing, short forms) goes the general way.
 */
function utcFast(v: string): string | null {
  const n = v.length;
  if (n < 19 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58) return null;
  const sep = v.charCodeAt(10);
  if (sep !== 84 && sep !== 32) return null;
  const year = digits(v, 0, 4);
  const month = digits(v, 5, 2);
  const day = digits(v, 8, 2);
  const hour = digits(v, 11, 2);
  const minute = digits(v, 14, 2);
  const second = digits(v, 17, 2);
  if ((year | month | day | hour | minute | second) < 0) return null;
  let end = n;
  const last = v.charCodeAt(n - 1);
  if (last === 90 || last === 122) end = n - 1;
  if (end > 19 && (v.charCodeAt(19) !== 46 || end - 20 < 1 || end - 20 > 9 || digits(v, 20, end - 20) < 0)) return null;
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return null;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const frac = end > 19 ? v.slice(20, end) : '';
  return `${v.slice(0, 10)}T${v.slice(11, 19)}.${frac}${ZEROS.slice(frac.length)}Z`;
}

const ZEROS = '000000000';

/** The decimal value of `len` digits at `at`, or -1 when one is not a digit. */
function digits(v: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Fields Date.UTC would take as they are (years below 100 it maps to 19xx; day overflow rolls over). */
function validFields(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return false;
  if (month === 2 && day === 29 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0))) return false;
  return Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60;
}

/** JSON documents: key order is irrelevant; one side may still be JSON text. */
function jsonEqual(expected: unknown, actual: unknown): boolean {
  const e = typeof expected === 'string' ? parseJson(expected) : expected;
  const a = typeof actual === 'string' ? parseJson(actual) : actual;
  // Reached only when one side is an object; the other must be one too, or JSON text of one.
  if (!isObject(e) || !isObject(a)) return false;
  if (Array.isArray(e) || Array.isArray(a)) {
    if (!Array.isArray(e) || !Array.isArray(a) || e.length !== a.length) return false;
    return e.every((x, i) => valuesEqual(x, a[i]));
  }
  // for-in rather than Object.keys: no arrays allocated per JSON value compared.
  const eo = e as Record<string, unknown>;
  const ao = a as Record<string, unknown>;
  let count = 0;
  for (const k in eo) {
    if (!Object.prototype.hasOwnProperty.call(ao, k) || !valuesEqual(eo[k], ao[k])) return false;
    count++;
  }
  for (const _ in ao) count--;
  return count === 0;
}

function isObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
