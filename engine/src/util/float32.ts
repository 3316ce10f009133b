/**
 * The shortest decimal that reads back as the same binary32. FLOAT columns hold binary32 values
 * that decoders widen to a double (0.1 → 0.10000000149011612); this is what MySQL and Postgres
 * print for the column, so both the binlog decoder and the Avro reader give it.
 */
export function shortestFloat32(v: number): number {
  if (!Number.isFinite(v)) return v;
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}
