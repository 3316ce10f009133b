/** Decimal money as integer cents: balances are summed and compared exactly, never in floating point. */
export function cents(decimal: unknown): number {
  const text = String(decimal);
  const negative = text.startsWith('-');
  const [whole, frac = ''] = text.replace(/^[-+]/, '').split('.');
  const c = Number(whole) * 100 + Number(`${frac}00`.slice(0, 2));
  return negative ? -c : c;
}

/** Cents as the decimal text the server returns for a column of `scale` digits (2 or 4). */
export function decimal(c: number, scale = 2): string {
  const negative = c < 0;
  const abs = Math.abs(c);
  const text = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}${'0'.repeat(scale - 2)}`;
  return negative && abs !== 0 ? `-${text}` : text;
}

/** Now, as a DATETIME(6) / TIMESTAMP(6) value in UTC. */
export function now(): string {
  const d = new Date();
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 23)}${String(Math.floor(Math.random() * 999) + 1).padStart(3, '0')}`;
}
