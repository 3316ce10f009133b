import { connect as natsConnect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import pg from 'pg';
import { kafkaBrokers, mysqlOptions, pgOptions, redisOptions, natsServers, type ServiceInfo, type Via } from '../../../chaos/src/infra/index.js';

/** One short round trip per kind of service, with fail-fast client settings (no retries). */

export async function mysqlQuery(service: ServiceInfo, via: Via, sql: string): Promise<RowDataPacket[]> {
  const connection = await createConnection({ ...mysqlOptions(service, via), connectTimeout: 3000 });
  try {
    const [rows] = await connection.query<RowDataPacket[]>(sql);
    return rows;
  } finally {
    connection.destroy();
  }
}

export async function pgQuery(service: ServiceInfo, via: Via, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ ...pgOptions(service, via), connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function redisCall(service: ServiceInfo, via: Via, ...args: [string, ...(string | number)[]]): Promise<unknown> {
  const redis = new Redis({ ...redisOptions(service, via), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await redis.call(...args);
  } finally {
    redis.disconnect();
  }
}

/** Few retries by default, so a test of a dead broker fails fast; `retries` for a broker that is only warming up. */
export function kafkaClient(service: ServiceInfo, via: Via, clientId = 'infra-test', retries = 2): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers(service, via), logLevel: logLevel.NOTHING, connectionTimeout: 3000, retry: { retries, initialRetryTime: 100 } });
}

/** Broker addresses the cluster metadata advertises to a client connected via `via`. */
export async function kafkaAdvertisedBrokers(service: ServiceInfo, via: Via): Promise<string[]> {
  const admin = kafkaClient(service, via).admin();
  await admin.connect();
  try {
    const cluster = await admin.describeCluster();
    return cluster.brokers.map((b) => `${b.host}:${b.port}`);
  } finally {
    await admin.disconnect();
  }
}

export async function natsRoundTrip(service: ServiceInfo, via: Via): Promise<string> {
  const nc = await natsConnect({ servers: natsServers(service, via), reconnect: false, timeout: 3000 });
  try {
    const sub = nc.subscribe('infra.echo', { max: 1 });
    (async () => {
      for await (const m of sub) m.respond(m.data);
    })().catch(() => undefined);
    const reply = await nc.request('infra.echo', 'ping', { timeout: 3000 });
    return reply.string();
  } finally {
    await nc.close();
  }
}

export function elapsed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  return work().then((value) => ({ ms: performance.now() - started, value }));
}
