/**
 * ISO-8601 text ↔ Avro temporal numbers, exact to the microsecond and for any year Postgres
 * allows (Date.UTC would map years 0-99 to the 1900s). Postgres' `infinity` / `-infinity` map to
 * the largest and smallest value of the Avro type and back.
 */
const MS_PER_DAY = 86_400_000;
const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const DATE_TIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export const INT_MAX = 2_147_483_647;
export const INT_MIN = -2_147_483_648;
export const LONG_MAX = 2n ** 63n - 1n;
export const LONG_MIN = -(2n ** 63n);

function utcMs(year: number, month: number, day: number, h = 0, m = 0, s = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(h, m, s, 0);
  return d.getTime();
}

/** `2024-01-02` → days since 1970-01-01; null when the text is no date (e.g. MySQL's 0000-00-00). */
export function dateToDays(text: string): number | null {
  if (text === 'infinity') return INT_MAX;
  if (text === '-infinity') return INT_MIN;
  const m = DATE.exec(text);
  if (!m || m[2] === '00' || m[3] === '00') return null;
  return Math.round(utcMs(Number(m[1]), Number(m[2]), Number(m[3])) / MS_PER_DAY);
}

export function daysToDate(days: number): string {
  if (days === INT_MAX) return 'infinity';
  if (days === INT_MIN) return '-infinity';
  return isoDate(new Date(days * MS_PER_DAY));
}

/** `10:00:00.5` → microseconds after midnight (24:00:00 included, as Postgres allows). */
export function timeToMicros(text: string): number | null {
  const m = TIME.exec(text);
  if (!m) return null;
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + Number((m[4] ?? '').padEnd(6, '0'));
}

export function microsToTime(micros: number): string {
  const s = Math.floor(micros / 1_000_000);
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${fraction(micros % 1_000_000, 6, undefined)}`;
}

/**
 * A date-time → milliseconds or microseconds since the epoch (as a number while exact, else a
 * decimal string, which the JSON-ready long type takes, as avsc's unions do not take bigints). `zoned`: a zone must be present (instants); absent for wall-clock values. Null when
 * the text is not a valid date-time, or has more digits than the unit keeps.
 */
export function dateTimeToEpoch(text: string, unit: 'millis' | 'micros', zoned: boolean): number | string | null {
  if (text === 'infinity') return LONG_MAX.toString();
  if (text === '-infinity') return LONG_MIN.toString();
  const m = DATE_TIME.exec(text);
  if (!m || m[2] === '00' || m[3] === '00' || (zoned && m[8] === undefined) || (!zoned && m[8] !== undefined)) return null;
  const digits = m[7] ?? '';
  const keep = unit === 'millis' ? 3 : 6;
  if (digits.length > keep && /[1-9]/.test(digits.slice(keep))) return null;
  let ms = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const d = zone.slice(1).replace(':', '');
    ms -= (Number(d.slice(0, 2)) * 60 + Number(d.slice(2, 4) || '0')) * 60_000 * (zone[0] === '-' ? -1 : 1);
  }
  const sub = Number(digits.slice(0, keep).padEnd(keep, '0'));
  const value = unit === 'millis' ? ms + sub : ms * 1000 + sub;
  return Number.isSafeInteger(value) ? value : (BigInt(ms) * (unit === 'millis' ? 1n : 1000n) + BigInt(sub)).toString();
}

/**
 * Epoch milliseconds/microseconds → ISO text, `Z` when zoned. `digits`: print exactly that many
 * fraction digits (MySQL's fsp); undefined: trim trailing zeros (Postgres' rendering).
 */
export function epochToDateTime(value: number | string, unit: 'millis' | 'micros', zoned: boolean, digits: number | undefined): string {
  const n = BigInt(value);
  if (n === LONG_MAX) return 'infinity';
  if (n === LONG_MIN) return '-infinity';
  const perMs = unit === 'millis' ? 1n : 1000n;
  let ms = n / perMs;
  let sub = n % perMs;
  if (sub < 0n) {
    sub += perMs;
    ms -= 1n;
  }
  const date = new Date(Number(ms));
  const micros = (date.getUTCMilliseconds() * 1000) + (unit === 'micros' ? Number(sub) : 0);
  const text = `${isoDate(date)}T${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}${fraction(micros, 6, digits)}`;
  return zoned ? `${text}Z` : text;
}

function fraction(micros: number, width: number, digits: number | undefined): string {
  const text = String(micros).padStart(width, '0');
  if (digits !== undefined) return digits === 0 ? '' : `.${text.slice(0, digits).padEnd(digits, '0')}`;
  const trimmed = text.replace(/0+$/, '');
  return trimmed === '' ? '' : `.${trimmed}`;
}

/** ISO-8601 date with a 4-digit (or signed, for years < 1) year, as Postgres' BC dates are rendered here. */
function isoDate(d: Date): string {
  const y = d.getUTCFullYear();
  const year = y >= 0 ? String(y).padStart(4, '0') : `-${String(-y).padStart(4, '0')}`;
  return `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
