import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICE_NAMES } from '../../../chaos/src/infra/index.js';
import { toxiproxyProxies } from '../../../chaos/src/infra/testcontainers/container-specs.js';

const root = join(import.meta.dirname, '../../..');

interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  environment?: Record<string, string>;
  command?: unknown;
}

/** docker-compose.chaos.yml cannot be run here (no Docker engine); keep it in step with the code instead. */
describe('docker-compose.chaos.yml', async () => {
  const compose = parse(await readFile(join(root, 'docker-compose.chaos.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  const proxies = JSON.parse(await readFile(join(root, 'toxiproxy.chaos.json'), 'utf8')) as unknown[];

  it('has every topology service, Toxiproxy and the engine', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...SERVICE_NAMES, 'toxiproxy', 'engine']));
    const build = compose.services.engine?.build;
    expect(typeof build === 'string' ? build : build?.context).toBe('.');
  });

  it('groups services into the documented profiles', () => {
    const profileOf = (name: string): string[] | undefined => compose.services[name]?.profiles;
    expect(profileOf('toxiproxy')).toEqual(['base']);
    expect(profileOf('redis')).toEqual(['base']);
    expect(profileOf('nats')).toEqual(['base']);
    expect(profileOf('mysql')).toEqual(['mysql-infra']);
    expect(profileOf('mysql-b')).toEqual(['mysql-infra']);
    expect(profileOf('postgres')).toEqual(['pg-infra']);
    expect(profileOf('postgres-b')).toEqual(['pg-infra']);
    expect(profileOf('kafka')).toEqual(['kafka-infra']);
    expect(profileOf('engine')).toEqual(['engine']);
  });

  it('defines the same proxies as the testcontainers provider', () => {
    expect(proxies).toEqual(toxiproxyProxies(SERVICE_NAMES).map((p) => ({ ...p, enabled: true })));
  });

  it('advertises the kafka proxy on the PROXIED listener and keeps transactions single-node', () => {
    const env = compose.services.kafka?.environment ?? {};
    expect(env.KAFKA_ADVERTISED_LISTENERS).toContain('PROXIED://${KAFKA_PROXY_ADVERTISED:-toxiproxy:8670}');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR).toBe('1');
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
