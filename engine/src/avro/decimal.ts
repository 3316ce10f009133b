/**
 * Decimal text ↔ the bytes of Avro's decimal logical type: the unscaled value as a big-endian
 * two's-complement integer in as few bytes as it takes.
 */
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** `"-12.50"` at scale 2 → bytes; null when not a decimal or when it has more fraction digits than `scale` keeps. */
export function decimalToBytes(text: string, scale: number): Buffer | null {
  const m = DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const frac = m[3] ?? '';
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) return null;
  let unscaled = BigInt(`${m[2] || '0'}${frac.slice(0, scale).padEnd(scale, '0')}`);
  if (m[1] === '-') unscaled = -unscaled;
  return bigintToBytes(unscaled);
}

/** Bytes → decimal text with exactly `scale` fraction digits (as MySQL and Postgres print numeric(p,s)). */
export function bytesToDecimal(bytes: Uint8Array, scale: number): string {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0]! & 0x80) n -= 1n << BigInt(bytes.length * 8);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  const int = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${int}.${digits.slice(digits.length - scale)}` : int;
  return negative ? `-${text}` : text;
}

function bigintToBytes(n: bigint): Buffer {
  const out: number[] = [];
  let v = n;
  for (;;) {
    out.unshift(Number(v & 0xffn));
    v >>= 8n;
    // Done once the rest is pure sign extension of the byte's top bit.
    if ((v === 0n && !(out[0]! & 0x80)) || (v === -1n && out[0]! & 0x80)) break;
  }
  return Buffer.from(out);
}
