import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { composeEnv } from '../../../chaos/src/cli/images-command.js';
import { SERVICE_NAMES } from '../../../chaos/src/infra/index.js';
import { IMAGE_CATALOG, imageEnvVar, type ImageKey } from '../../../chaos/src/infra/images/catalog.js';
import { kafkaSettings } from '../../../chaos/src/infra/native/kafka-config.js';
import { POSTGRES_SETTINGS, settingFlags } from '../../../chaos/src/infra/native/postgres.js';
import { NATS_COMMAND, REDIS_COMMAND, REGISTRY_JAVA_OPTS, toxiproxyProxies } from '../../../chaos/src/infra/testcontainers/container-specs.js';

const root = join(import.meta.dirname, '../../..');

interface ComposeService {
  profiles?: string[];
  image?: string;
  build?: string | { context: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  command?: unknown;
  entrypoint?: unknown;
}

/**
 * docker-compose.chaos.yml must stay in step with the catalog and the provider; the Docker job
 * of .ci/run also validates it with docker-compose and brings it up (test/docker/compose.test.ts).
 */
describe('docker-compose.chaos.yml', async () => {
  const text = await readFile(join(root, 'docker-compose.chaos.yml'), 'utf8');
  const compose = parse(text, { merge: true }) as { services: Record<string, ComposeService> };
  const proxies = JSON.parse(await readFile(join(root, 'toxiproxy.chaos.json'), 'utf8')) as unknown[];

  it('has every topology service, Toxiproxy and the engine', () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([...SERVICE_NAMES, 'toxiproxy', 'engine']));
    const build = compose.services.engine?.build;
    expect(typeof build === 'string' ? build : build?.context).toBe('.');
  });

  it('names every image through TIDEMARK_IMAGE_<KEY>, defaulting to the catalog official image', () => {
    const imageOf: Record<string, ImageKey> = { mysql: 'mysql', 'mysql-b': 'mysql', 'mysql-b-follow': 'mysql', postgres: 'postgres', 'postgres-b': 'postgres', kafka: 'kafka', redis: 'redis', nats: 'nats', 'schema-registry': 'schema-registry', toxiproxy: 'toxiproxy', engine: 'engine' };
    for (const [service, key] of Object.entries(imageOf)) {
      expect(compose.services[service]?.image, service).toBe(`\${${imageEnvVar(key)}:-${IMAGE_CATALOG.get(key)?.official}}`);
    }
    const engineBuild = compose.services.engine?.build;
    expect(typeof engineBuild === 'object' ? engineBuild.args?.NODE_IMAGE : undefined).toBe(`\${${imageEnvVar('node')}:-${IMAGE_CATALOG.get('node')?.official}}`);
  });

  it('`images env` writes a value for every variable the file uses', () => {
    const used = new Set([...text.matchAll(/\$\{(TIDEMARK_IMAGE_[A-Z_]+):-/g)].map((m) => m[1]));
    const written = new Set([...composeEnv('local').matchAll(/^(TIDEMARK_IMAGE_[A-Z_]+)=tidemark-local\//gm)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...written].sort());
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

  it('starts the servers like the provider: same scripts, commands and settings', () => {
    for (const name of ['mysql', 'mysql-b']) expect(compose.services[name]?.entrypoint).toEqual(['sh', '/tidemark/mysql-server.sh']);
    for (const name of ['postgres', 'postgres-b']) {
      expect(compose.services[name]?.entrypoint).toEqual(['sh', '/tidemark/postgres-server.sh']);
      expect(compose.services[name]?.command).toEqual(settingFlags(POSTGRES_SETTINGS));
    }
    expect(compose.services['mysql-b']?.environment).toMatchObject({ SERVER_ID: '2', TIDEMARK_REPLICA: '1' });
    expect(compose.services['postgres-b']?.environment).toMatchObject({ PRIMARY_HOST: 'postgres' });
    expect(compose.services.redis?.command).toEqual([...REDIS_COMMAND]);
    expect(compose.services.nats?.command).toEqual([...NATS_COMMAND]);
    expect(compose.services['schema-registry']?.environment?.JAVA_OPTS?.split(/\s+/)).toEqual(REGISTRY_JAVA_OPTS.split(' '));
  });

  it('defines the same proxies as the provider, by network alias', () => {
    expect(proxies).toEqual(toxiproxyProxies(SERVICE_NAMES).map((p) => ({ ...p, enabled: true })));
  });

  it('gives Kafka the provider broker settings; PROXIED advertises the proxy, DIRECT its published port', () => {
    const env = compose.services.kafka?.environment ?? {};
    const settings = kafkaSettings(
      {
        proxied: { bind: '0.0.0.0:9092', advertised: '${KAFKA_PROXY_ADVERTISED:-toxiproxy:8670}' },
        direct: { bind: '0.0.0.0:19094', advertised: '${KAFKA_DIRECT_ADVERTISED:-localhost:19094}' },
        controller: { bind: '0.0.0.0:9093', voter: 'localhost:9093' },
      },
      '/var/lib/kafka/data',
    );
    const fromCompose = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('KAFKA_CFG_')).map(([k, v]) => [k.slice('KAFKA_CFG_'.length).toLowerCase().replaceAll('_', '.'), String(v)]));
    expect(fromCompose).toEqual(settings);
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
