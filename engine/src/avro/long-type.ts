import avro from 'avsc';

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Avro `long` in the event model's JSON-ready form: a number while exact (|n| < 2^53), a decimal
 * string beyond (avsc's own long is a double and would round 9007199254740993 silently).
 * Writers accept numbers, integer strings and bigints.
 */
export const JsonReadyLong = avro.types.LongType.__with({
  fromBuffer(buf: Buffer): number | string {
    const n = buf.readBigInt64LE(0);
    return n <= SAFE && n >= -SAFE ? Number(n) : n.toString();
  },
  toBuffer(value: number | string | bigint): Buffer {
    const buf = Buffer.allocUnsafe(8);
    buf.writeBigInt64LE(toBigInt(value)!, 0);
    return buf;
  },
  fromJSON(value: unknown): number | string {
    return typeof value === 'number' ? value : String(value);
  },
  toJSON(value: number | string | bigint): number | string {
    return typeof value === 'bigint' ? value.toString() : value;
  },
  isValid(value: unknown): boolean {
    return toBigInt(value) !== null;
  },
  compare(a: number | string | bigint, b: number | string | bigint): number {
    const x = toBigInt(a)!;
    const y = toBigInt(b)!;
    return x < y ? -1 : x > y ? 1 : 0;
  },
});

function toBigInt(value: unknown): bigint | null {
  let n: bigint;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return null;
    n = BigInt(value);
  } else if (typeof value === 'bigint') {
    n = value;
  } else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    n = BigInt(value);
  } else {
    return null;
  }
  return n >= MIN && n <= MAX ? n : null;
}

/**
 * forSchema options every Tidemark Avro type is compiled with (writer and reader alike). A fresh
 * registry each time: avsc records every named type in it, and two compilations of one table's
 * versions share names.
 */
export function avscOptions(): Partial<avro.ForSchemaOptions> {
  return {
    registry: { long: JsonReadyLong },
    wrapUnions: false,
    // Object-form longs (`{type: long, logicalType: ...}`) bypass the registry in avsc.
    typeHook: (schema: avro.Schema) => (typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'long' ? JsonReadyLong : undefined),
  };
}
