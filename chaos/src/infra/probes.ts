import { jetstreamManager } from '@nats-io/jetstream';
import { connect as natsConnect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import pg from 'pg';
import { withTimeout } from './readiness.js';
import type { Credentials, Endpoint, ServiceKind } from './types.js';

/**
 * Health probes with the real client libraries: a server counts as up only when the client the
 * engine uses can do a round trip. Each probe opens and closes its own connection.
 */
const PROBE_TIMEOUT_MS = 3000;

export async function probeMysql(endpoint: Endpoint, credentials: Credentials): Promise<void> {
  const connection = await createConnection({ ...endpoint, user: credentials.user, password: credentials.password, connectTimeout: PROBE_TIMEOUT_MS });
  try {
    await connection.query('SELECT 1');
  } finally {
    connection.destroy();
  }
}

export async function probePostgres(endpoint: Endpoint, credentials: Credentials): Promise<void> {
  const client = new pg.Client({ ...endpoint, user: credentials.user, password: credentials.password, database: 'postgres', connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function probeRedis(endpoint: Endpoint): Promise<void> {
  const redis = new Redis({ ...endpoint, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: PROBE_TIMEOUT_MS });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const reply = await redis.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${reply}`);
  } finally {
    redis.disconnect();
  }
}

/** Kafka counts as up once the broker answers metadata with itself as a live broker. */
export async function probeKafka(endpoint: Endpoint): Promise<void> {
  const kafka = new Kafka({
    clientId: 'tidemark-probe',
    brokers: [`${endpoint.host}:${endpoint.port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: PROBE_TIMEOUT_MS,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0 || cluster.controller === null) throw new Error('no controller elected yet');
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function probeNats(endpoint: Endpoint): Promise<void> {
  const nc = await natsConnect({ servers: `${endpoint.host}:${endpoint.port}`, reconnect: false, timeout: PROBE_TIMEOUT_MS });
  try {
    const jsm = await jetstreamManager(nc, { timeout: PROBE_TIMEOUT_MS });
    await jsm.getAccountInfo();
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** The registry counts as up once its Confluent-compatible API lists subjects. */
export async function probeSchemaRegistry(endpoint: Endpoint): Promise<void> {
  const response = await fetch(`http://${endpoint.host}:${endpoint.port}/apis/ccompat/v7/subjects`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`schema registry answered ${response.status}`);
  await response.arrayBuffer();
}

export async function probeToxiproxy(url: string): Promise<void> {
  const response = await fetch(`${url}/version`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`toxiproxy answered ${response.status}`);
}

/** The probe for a kind of service, bounded by a timeout so a black-holed server cannot hang it. */
export function probeFor(kind: ServiceKind, endpoint: Endpoint, credentials?: Credentials): Promise<void> {
  const need = (): Credentials => {
    if (!credentials) throw new Error(`${kind} probe needs credentials`);
    return credentials;
  };
  const run = (): Promise<void> => {
    switch (kind) {
      case 'mysql':
        return probeMysql(endpoint, need());
      case 'postgres':
        return probePostgres(endpoint, need());
      case 'redis':
        return probeRedis(endpoint);
      case 'kafka':
        return probeKafka(endpoint);
      case 'nats':
        return probeNats(endpoint);
      case 'schema-registry':
        return probeSchemaRegistry(endpoint);
    }
  };
  return withTimeout(run(), PROBE_TIMEOUT_MS + 1000, `${kind} probe on ${endpoint.host}:${endpoint.port}`);
}
