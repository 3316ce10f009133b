import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import type { AvroEncodingSpec } from '../config/sinks.js';
import { TidemarkError } from '../errors/index.js';

/** Registrations under way in this process, by registry URL, subject and schema text. */
const IN_FLIGHT = new Map<string, Promise<number>>();

/** What Tidemark asks of a Confluent-compatible schema registry. */
export interface RegistryClient {
  /** Registers (or finds) `schema` under `subject`; resolves with its global id. */
  register(subject: string, schema: string): Promise<number>;
  /** The schema text of an id. */
  schemaById(id: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * The registry client on top of Confluent's own JavaScript client (@confluentinc/schemaregistry,
 * chosen over @kafkajs/confluent-schema-registry, whose register() reads and pins the subject's
 * compatibility level and fails when it differs, instead of leaving it to the registry). Only its
 * REST client is loaded (the package index pulls in every cloud KMS SDK), and only when an Avro
 * sink starts. No client-side retries: the sink's lane retries the whole batch with backoff.
 */
export async function createRegistryClient(spec: AvroEncodingSpec, who: string): Promise<RegistryClient> {
  const { SchemaRegistryClient } = await import('@confluentinc/schemaregistry/dist/schemaregistry-client.js');
  const url = spec.schema_registry_url.replace(/\/+$/, '');
  const client = new SchemaRegistryClient({
    baseURLs: [url],
    maxRetries: 0,
    cacheCapacity: 10_000,
    createAxiosDefaults: {
      timeout: spec.request_timeout_secs * 1000,
      ...(spec.bearer_token ? { headers: { Authorization: `Bearer ${spec.bearer_token}` } } : {}),
      ...(spec.tls ? { httpsAgent: tlsAgent(spec.tls, who) } : {}),
    },
    ...(spec.username !== undefined ? { basicAuthCredentials: { credentialsSource: 'USER_INFO' as const, userInfo: `${spec.username}:${spec.password ?? ''}` } } : {}),
  });
  const where = redactedUrl(url);
  return {
    register(subject, schema) {
      // Sinks of one process often register the same schema under the same subject at once
      // (Kafka and NATS name subjects alike; batches in flight): one request serves them all.
      const key = `${url}\u0000${subject}\u0000${schema}`;
      let pending = IN_FLIGHT.get(key);
      if (!pending) {
        pending = client.register(subject, { schemaType: 'AVRO', schema }, false).then(
          (id) => id,
          (e: unknown) => {
            throw classifyRegistryError(e, { who, where, subject, operation: 'register' });
          },
        );
        IN_FLIGHT.set(key, pending);
        const settled = () => IN_FLIGHT.delete(key);
        pending.then(settled, settled);
      }
      return pending;
    },
    async schemaById(id) {
      try {
        return (await client.getBySubjectAndId('', id)).schema;
      } catch (e) {
        throw classifyRegistryError(e, { who, where, subject: null, operation: `schema ${id}` });
      }
    },
    async close() {
      await client.close();
    },
  };
}

function tlsAgent(tls: NonNullable<AvroEncodingSpec['tls']>, who: string): Agent {
  const read = (file: string | undefined, what: string): Buffer | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file);
    } catch (e) {
      throw new TidemarkError('TIDEMARK_ERR_CONFIG_INVALID', `${who}: cannot read the schema registry ${what} ${file}: ${(e as Error).message}`, { cause: e });
    }
  };
  const ca = read(tls.ca_file, 'CA file');
  const cert = read(tls.cert_file, 'client certificate');
  const key = read(tls.key_file, 'client key');
  return new Agent({ ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}), rejectUnauthorized: !tls.insecure_skip_verify, keepAlive: true });
}

interface ErrorContext {
  readonly who: string;
  readonly where: string;
  readonly subject: string | null;
  readonly operation: string;
}

/**
 * HTTP answers by meaning, as Confluent documents them (and not by Apicurio's quirks: its 409
 * carries error_code 0): 409 is a compatibility rejection; 401/403/404/422 cannot be fixed by
 * retrying; 5xx, 408/429 and no answer at all (refused, reset, timeout) are an outage.
 * One exception is tolerated, never relied on: a registry that loses a race between two
 * registrations of a new subject answers 409 "already exists" (Apicurio, measured with four
 * sinks registering at once); that is retried, and the next attempt finds the schema.
 */
export function classifyRegistryError(e: unknown, c: ErrorContext): TidemarkError {
  const status = typeof (e as { status?: unknown }).status === 'number' ? (e as { status: number }).status : undefined;
  const reason = (e as Error)?.message ?? String(e);
  const subject = c.subject === null ? '' : ` subject "${c.subject}"`;
  const context = { registry: c.where, ...(c.subject !== null ? { subject: c.subject } : {}), ...(status !== undefined ? { status } : {}) };
  if (status === 409 && /already exists/i.test(reason)) {
    return new TidemarkError('TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE', `${c.who}: the schema registry at ${c.where} answered a concurrent registration of${subject} with a conflict (${reason}); retrying`, { cause: e, context });
  }
  if (status === 409) {
    return new TidemarkError('TIDEMARK_ERR_SCHEMA_INCOMPATIBLE', `${c.who}: the schema registry at ${c.where} rejected a new version of${subject} as incompatible: ${reason}. Relax the subject's compatibility or change the DDL, then resume the pipeline.`, { cause: e, context });
  }
  if (status !== undefined && status < 500 && status !== 408 && status !== 429) {
    const what = status === 401 || status === 403 ? 'refused the credentials' : `answered ${status}`;
    return new TidemarkError('TIDEMARK_ERR_SCHEMA_REGISTRY_REJECTED', `${c.who}: the schema registry at ${c.where} ${what} (${c.operation}${subject}): ${reason}`, { cause: e, context });
  }
  return new TidemarkError('TIDEMARK_ERR_SCHEMA_REGISTRY_UNAVAILABLE', `${c.who}: the schema registry at ${c.where} is unavailable (${c.operation}${subject}): ${status !== undefined ? `HTTP ${status} ` : ''}${reason}`, { cause: e, context });
}

function redactedUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//***@');
}
