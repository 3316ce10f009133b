/**
 * Log sequence numbers. On the wire they are 64-bit integers; Postgres prints them as two
 * hex halves (`16/B374D848`). We keep them as bigint: a busy server can pass 2^53 bytes of WAL.
 */
export type Lsn = bigint;

const LSN_TEXT = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

export function parseLsn(text: string): Lsn {
  const m = LSN_TEXT.exec(text);
  if (!m) throw new RangeError(`not an LSN: ${JSON.stringify(text)} (expected two hex halves like 0/16B6C50)`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export function isLsnText(text: unknown): text is string {
  return typeof text === 'string' && LSN_TEXT.test(text);
}

/** The server's own rendering: upper-case hex, no padding. */
export function formatLsn(lsn: Lsn): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

export function maxLsn(a: Lsn, b: Lsn): Lsn {
  return a > b ? a : b;
}

export const ZERO_LSN: Lsn = 0n;
