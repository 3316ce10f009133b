import { AvroDecoder, createRegistryClient, isFramed } from '@tidemark/engine';
import { avroEncodingSpec } from '@tidemark/engine/config/sinks';
import type { RawRecord } from './record.js';

/**
 * Avro payloads (Confluent wire format) decoded with the writer schema the registry holds for
 * their id, as a consumer would, into the JSON-ready envelope the JSON encoding carries: every
 * checker then judges an Avro sink exactly like a JSON one. A payload whose id the registry does
 * not know, or whose body does not decode to its last byte with that schema (a wrong schema id),
 * becomes a string that fails JSON parsing, so the collector records it as undecodable with why.
 */
export async function decodeAvroPayloads(raws: readonly RawRecord[], registryUrl: string): Promise<RawRecord[]> {
  const client = await createRegistryClient(avroEncodingSpec.parse({ type: 'avro', schema_registry_url: registryUrl }), 'chaos reader');
  try {
    const decoder = new AvroDecoder((id) => client.schemaById(id));
    const framed = raws.map((r) => (Buffer.isBuffer(r.payload) && isFramed(r.payload) ? r.payload : null));
    await decoder.prepare(framed.filter((p): p is Buffer => p !== null)).catch(() => undefined);
    return raws.map((r, i) => {
      const payload = framed[i];
      if (!payload) return r;
      try {
        const decoded = decoder.decode(payload);
        if (!decoded.exact) throw new Error(`schema ${decoded.schemaId} left bytes of the body unread: the record was written with another schema`);
        return { ...r, payload: { parsed: decoded.value } };
      } catch (err) {
        return { ...r, payload: `avro: ${(err as Error).message}` };
      }
    });
  } finally {
    await client.close();
  }
}
