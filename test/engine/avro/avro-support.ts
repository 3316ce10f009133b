import { expect } from 'vitest';
import { registryUrl, type Topology } from '../../../chaos/src/infra/index.js';
import { AvroDecoder, createAvroSerializer, createRegistryClient, type AvroSerializer, type ChangeEvent, type RegistryClient } from '../../../engine/src/index.js';
import { avroEncodingSpec, type AvroEncodingSpec } from '../../../engine/src/config/sinks.js';

export function avroSpec(url: string, extra: Record<string, unknown> = {}): AvroEncodingSpec {
  return avroEncodingSpec.parse({ type: 'avro', schema_registry_url: url, request_timeout_secs: 3, ...extra });
}

/** The engine's serializer against the registry through its Toxiproxy proxy. */
export function serializerFor(topo: Topology, extra: Record<string, unknown> = {}): AvroSerializer {
  return createAvroSerializer(avroSpec(registryUrl(topo.get('schema-registry').info()), extra), { type: 'native' }, { who: 'test sink' });
}

/** A consumer's view: the registry's schema for each id (direct, unaffected by faults). */
export async function consumer(topo: Topology): Promise<{ decoder: AvroDecoder; client: RegistryClient }> {
  const client = await createRegistryClient(avroSpec(registryUrl(topo.get('schema-registry').info(), 'direct')), 'test consumer');
  return { decoder: new AvroDecoder((id) => client.schemaById(id)), client };
}

/** Encodes events through the serializer and decodes them back with the registry's schemas. */
export async function throughAvro(serializer: AvroSerializer, decoder: AvroDecoder, events: readonly ChangeEvent[], topic: string): Promise<Array<{ schemaId: number; value: { before: unknown; after: unknown; op: string } }>> {
  await serializer.prepare(events, () => topic, { keys: true });
  const payloads = events.map((e) => serializer.serialize(e, topic));
  await decoder.prepare(payloads);
  return payloads.map((p) => {
    const d = decoder.decode(p);
    expect(d.exact).toBe(true);
    return { schemaId: d.schemaId, value: d.value as { before: unknown; after: unknown; op: string } };
  });
}

/** Versions of a subject, straight from the registry's REST API. */
export async function subjectVersions(topo: Topology, subject: string): Promise<number[]> {
  const response = await fetch(`${registryUrl(topo.get('schema-registry').info(), 'direct')}/subjects/${encodeURIComponent(subject)}/versions`);
  return response.ok ? ((await response.json()) as number[]) : [];
}
