/**
 * Column values made JSON-ready, identically for binlog rows (zongji) and snapshot rows
 * (mysql2 text protocol). Both drivers are configured to hand temporals over as strings with
 * every fractional digit (`dateStrings`), TIMESTAMPs in UTC, decimals as strings and 64-bit
 * integers as numbers only while exact; what remains to do is below.
 */
import { shortestFloat32 } from '../../../util/float32.js';

export type ValueKind = 'plain' | 'bit' | 'datetime' | 'timestamp' | 'float';

/** One column that needs more than the generic Buffer → base64 rule. */
export interface ColumnConversion {
  readonly name: string;
  readonly kind: Exclude<ValueKind, 'plain'>;
  /** BIT width in bits. */
  readonly bits: number;
}

/** Converts the special columns of `row` and base64-encodes any other Buffer, in place. */
export function convertRow(row: Record<string, unknown>, special: readonly ColumnConversion[], mayHoldBuffers: readonly string[]): void {
  for (let i = 0; i < special.length; i++) {
    const c = special[i]!;
    const v = row[c.name];
    if (v !== null && v !== undefined) row[c.name] = convertValue(c.kind, v, c.bits);
  }
  for (let i = 0; i < mayHoldBuffers.length; i++) {
    const name = mayHoldBuffers[i]!;
    const v = row[name];
    if (v instanceof Uint8Array) row[name] = Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  }
}

export function convertValue(kind: ValueKind, v: unknown, bits = 0): unknown {
  switch (kind) {
    case 'bit':
      return v instanceof Uint8Array ? bitValue(v, bits) : v;
    case 'datetime':
      return typeof v === 'string' ? isoSeparator(v) : v;
    case 'timestamp':
      return typeof v === 'string' ? timestampIso(v) : v;
    case 'float':
      return typeof v === 'number' ? shortestFloat32(v) : v;
    case 'plain':
      return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') : v;
  }
}

/** BIT(1) is a flag in practice: a boolean. Wider BITs are unsigned integers, a string beyond 2^53. */
export function bitValue(bytes: Uint8Array, bits: number): boolean | number | string {
  if (bits === 1) return bytes.length > 0 && bytes[bytes.length - 1] !== 0;
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n.toString();
}

/**
 * `2024-01-02 03:04:05.123456` (UTC, as the drivers are set up) → `2024-01-02T03:04:05.123456Z`.
 * The zero timestamp has no instant: it stays `0000-00-00T00:00:00`, without the zone.
 */
export function timestampIso(v: string): string {
  const iso = isoSeparator(v);
  return iso.startsWith('0000-00-00') ? iso : `${iso}Z`;
}

/** `YYYY-MM-DD hh:mm:ss` → `YYYY-MM-DDThh:mm:ss` (slicing beats replace() here: it runs once per temporal value). */
function isoSeparator(v: string): string {
  return v.charCodeAt(10) === 32 ? `${v.slice(0, 10)}T${v.slice(11)}` : v;
}

