import avro from 'avsc';
import { compileDecoder } from './decode-values.js';
import { avscOptions } from './long-type.js';
import { readFrame } from './wire-format.js';

export interface DecodedAvro {
  readonly schemaId: number;
  /** The datum as JSON-ready values (rows exactly as the source produced them). */
  readonly value: unknown;
  /** False when the body had bytes left over, or was cut short: it was not written with this schema. */
  readonly exact: boolean;
}

interface Writer {
  readonly text: string;
  readonly parsed: unknown;
  readonly type: avro.Type;
  readonly convert: (v: unknown) => unknown;
}

/**
 * Decodes Confluent-framed Avro with the writer schema the registry holds for each id: what a
 * consumer does. `prepare` fetches unknown ids (async, once per id); `decode` is synchronous.
 * Used by the chaos readers and the tests, so they judge Avro sinks on the JSON-ready values
 * the engine started from.
 */
export class AvroDecoder {
  private readonly writers = new Map<number, Writer>();

  constructor(private readonly fetchSchema: (id: number) => Promise<string>) {}

  /** Fetches the writer schemas of every framed payload not seen before. */
  async prepare(payloads: Iterable<Buffer>): Promise<void> {
    const ids = new Set<number>();
    for (const p of payloads) {
      try {
        const { schemaId } = readFrame(p);
        if (!this.writers.has(schemaId)) ids.add(schemaId);
      } catch {
        // decode() reports it.
      }
    }
    for (const id of ids) this.add(id, await this.fetchSchema(id));
  }

  add(id: number, text: string): void {
    const parsed = JSON.parse(text) as avro.Schema;
    this.writers.set(id, { text, parsed, type: avro.Type.forSchema(parsed, avscOptions()), convert: compileDecoder(parsed as never) });
  }

  /** The writer schema (parsed JSON) of an id fetched before. */
  schema(id: number): unknown {
    return this.writers.get(id)?.parsed;
  }

  decode(payload: Buffer): DecodedAvro {
    const { schemaId, body } = readFrame(payload);
    const writer = this.writers.get(schemaId);
    if (!writer) throw new Error(`schema id ${schemaId} is unknown to the registry (or was not fetched)`);
    let decoded: { value: unknown; offset: number };
    try {
      decoded = writer.type.decode(body, 0);
    } catch (e) {
      throw new Error(`the body does not decode with schema ${schemaId}: ${(e as Error).message}`);
    }
    if (decoded.offset < 0) throw new Error(`the body is shorter than schema ${schemaId} needs: written with another schema`);
    return { schemaId, value: writer.convert(decoded.value), exact: decoded.offset === body.length };
  }
}
