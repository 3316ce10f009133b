/**
 * Confluent's wire format: one magic byte 0, the schema id as a 4-byte big-endian integer, then
 * the Avro binary body. Hand-written because it is 5 bytes, and the registry client's own
 * serializers look the schema up asynchronously per message, which the per-event hot path
 * cannot afford (schemas are resolved once per batch instead, see avro-serializer.ts).
 *
 *   [0x00][id: int32 BE][avro body ...]
 */
export const MAGIC_BYTE = 0;
export const HEADER_BYTES = 5;

/** Writes the 5-byte header into `buf` at 0. */
export function writeHeader(buf: Buffer, schemaId: number): void {
  buf[0] = MAGIC_BYTE;
  buf.writeUInt32BE(schemaId, 1);
}

export interface Framed {
  readonly schemaId: number;
  /** The Avro body (a view into the input). */
  readonly body: Buffer;
}

/** Splits a framed payload; throws naming what is wrong (not framed, too short). */
export function readFrame(payload: Buffer): Framed {
  if (payload.length < HEADER_BYTES) throw new Error(`payload of ${payload.length} bytes is too short for the Confluent wire format (5-byte header)`);
  if (payload[0] !== MAGIC_BYTE) throw new Error(`payload starts with byte ${payload[0]}, not the Confluent magic byte 0`);
  return { schemaId: payload.readUInt32BE(1), body: payload.subarray(HEADER_BYTES) };
}

/** True when a payload looks framed (magic byte 0 and room for the header): JSON never starts with 0. */
export function isFramed(payload: Buffer): boolean {
  return payload.length >= HEADER_BYTES && payload[0] === MAGIC_BYTE;
}
