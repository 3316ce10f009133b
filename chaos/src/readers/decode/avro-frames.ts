import { AvroDecoder, createRegistryClient, isFramed, TidemarkError, type RegistryClient } from '@tidemark/engine';
import { avroEncodingSpec } from '@tidemark/engine/config/sinks';
import type { RawRecord } from './record.js';

/** How long `prepare` keeps trying a registry that does not answer (a restart mid-run) before the read fails. */
const UNAVAILABLE_RETRY_MS = 30_000;

/**
 * Confluent-framed Avro payloads decoded as a consumer would: with the writer schema the
 * registry holds for their id, into the JSON-ready envelope the JSON encoding carries, so every
 * checker judges an Avro sink exactly like a JSON one. One registry client and one decoder live
 * as long as their reader or tail (schemas are fetched once per id): `prepare` fetches the ids of
 * a batch (async), then `payload` decodes each message of it (sync). Payloads that are not framed
 * pass through unchanged.
 */
export class AvroFrames {
  private client: Promise<RegistryClient> | null = null;
  private readonly decoder = new AvroDecoder(async (id) => (await this.registry()).schemaById(id));

  constructor(
    private readonly registryUrl: string,
    private readonly unavailableRetryMs = UNAVAILABLE_RETRY_MS,
  ) {}

  /**
   * Fetches the writer schemas of the framed payloads not seen before. An id the registry does
   * not know is left for `payload` to report (that message is undecodable); a registry that
   * does not answer is retried for a while, then the read fails (nothing is taken as undecodable
   * for the registry's sake).
   */
  async prepare(payloads: Iterable<RawRecord['payload']>): Promise<void> {
    const byId = new Map<number, Buffer>();
    for (const p of payloads) if (Buffer.isBuffer(p) && isFramed(p) && !byId.has(p.readUInt32BE(1))) byId.set(p.readUInt32BE(1), p);
    for (const p of byId.values()) {
      const giveUpAt = Date.now() + this.unavailableRetryMs;
      for (;;) {
        try {
          await this.decoder.prepare([p]);
          break;
        } catch (e) {
          if (e instanceof TidemarkError && e.code === 'TIDEMARK_ERR_SCHEMA_REGISTRY_REJECTED') break;
          if (Date.now() >= giveUpAt) throw e;
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      }
    }
  }

  /** The payload a record decoder takes: a framed one decoded (throws, saying why, when it does not decode exactly). */
  payload(p: RawRecord['payload']): RawRecord['payload'] {
    if (!Buffer.isBuffer(p) || !isFramed(p)) return p;
    let decoded: ReturnType<AvroDecoder['decode']>;
    try {
      decoded = this.decoder.decode(p);
    } catch (e) {
      throw new Error(`avro: ${(e as Error).message}`);
    }
    if (!decoded.exact) throw new Error(`avro: schema ${decoded.schemaId} left bytes of the body unread: the record was written with another schema`);
    return { parsed: decoded.value };
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await (await client).close().catch(() => undefined);
  }

  private registry(): Promise<RegistryClient> {
    this.client ??= createRegistryClient(avroEncodingSpec.parse({ type: 'avro', schema_registry_url: this.registryUrl }), 'chaos reader');
    return this.client;
  }
}
