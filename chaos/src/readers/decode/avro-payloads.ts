import { AvroFrames } from './avro-frames.js';
import type { RawRecord } from './record.js';

/**
 * Avro payloads (Confluent wire format) of a whole read decoded through the registry (see
 * AvroFrames). A payload whose id the registry does not know, or whose body does not decode to
 * its last byte with that schema (a wrong schema id), becomes a string that fails JSON parsing,
 * so the collector records it as undecodable with why.
 */
export async function decodeAvroPayloads(raws: readonly RawRecord[], registryUrl: string): Promise<RawRecord[]> {
  const frames = new AvroFrames(registryUrl);
  try {
    await frames.prepare(raws.map((r) => r.payload));
    return raws.map((r) => {
      try {
        const payload = frames.payload(r.payload);
        return payload === r.payload ? r : { ...r, payload };
      } catch (err) {
        return { ...r, payload: (err as Error).message };
      }
    });
  } finally {
    await frames.close();
  }
}
