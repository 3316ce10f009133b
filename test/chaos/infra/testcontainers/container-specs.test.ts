import { describe, expect, it } from 'vitest';
import { imagesOf } from '../../../../chaos/src/infra/images/image-choice.js';
import { POSTGRES_SETTINGS } from '../../../../chaos/src/infra/native/postgres.js';
import { registryArgs } from '../../../../chaos/src/infra/native/schema-registry.js';
import { loadContainerScripts } from '../../../../chaos/src/infra/testcontainers/container-scripts.js';
import { demuxDockerLogs } from '../../../../chaos/src/infra/testcontainers/container-service.js';
import { serviceContainerSpec, toxiproxyContainerSpec, toxiproxyProxies, type SpecContext } from '../../../../chaos/src/infra/testcontainers/container-specs.js';
import { MYSQL8_PROMOTE_SQL, mysql8FollowSql } from '../../../../chaos/src/infra/testcontainers/mysql8-sql.js';
import type { ServiceName } from '../../../../chaos/src/infra/types.js';

/** Container specs are pure data: what the testcontainers provider creates, checked without Docker. */
const services: ServiceName[] = ['mysql', 'mysql-b', 'postgres', 'postgres-b', 'kafka', 'redis', 'nats', 'schema-registry'];
const refs = (set: 'local' | 'official') => Object.fromEntries(imagesOf(set, ['mysql', 'postgres', 'kafka', 'redis', 'nats', 'schema-registry', 'toxiproxy'], {}).map((i) => [i.key, i.ref])) as SpecContext['images'];

describe('testcontainers container specs', async () => {
  const ctx: SpecContext = {
    services,
    endpointHost: '127.0.0.1',
    kafkaClusterId: 'cluster-1',
    images: refs('official'),
    scripts: await loadContainerScripts(),
    hostPorts: {
      direct: { mysql: 21001, 'mysql-b': 21002, postgres: 21003, 'postgres-b': 21004, kafka: 21005, redis: 21006, nats: 21007, 'schema-registry': 21008 },
      proxy: { mysql: 22001, 'mysql-b': 22002, postgres: 22003, 'postgres-b': 22004, kafka: 22005, redis: 22006, nats: 22007, 'schema-registry': 22008 },
      kafkaProxiedListener: 22100,
      toxiproxyApi: 23000,
    },
  };

  it('takes every image from the chosen set: the same spec runs official and local images', () => {
    expect(services.map((s) => serviceContainerSpec(s, ctx).image)).toEqual(['mysql:8.4', 'mysql:8.4', 'postgres:16', 'postgres:16', 'apache/kafka:3.9.1', 'redis:7.2', 'nats:2.10', 'apicurio/apicurio-registry-mem:2.4.2.Final']);
    expect(toxiproxyContainerSpec(ctx).image).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
    const local = { ...ctx, images: refs('local') };
    expect(serviceContainerSpec('mysql-b', local).image).toBe('tidemark-local/mariadb:10.11');
    expect(serviceContainerSpec('postgres', local).image).toBe('tidemark-local/postgres:15');
    expect(serviceContainerSpec('schema-registry', local).image).toBe('tidemark-local/apicurio-registry:2.4.2.Final');
    const { image: _official, ...officialRest } = serviceContainerSpec('kafka', ctx);
    const { image: _local, ...localRest } = serviceContainerSpec('kafka', local);
    expect(localRest).toEqual(officialRest);
  });

  it('runs the MySQL family through docker/scripts/mysql-server.sh; the replica starts read-only', () => {
    const primary = serviceContainerSpec('mysql', ctx);
    expect(primary.entrypoint).toEqual(['sh', '/tidemark/mysql-server.sh']);
    expect(primary.env).toEqual({ SERVER_ID: '1' });
    expect(primary.files.map((f) => f.target)).toEqual(['/tidemark/mysql-server.sh', '/tidemark/mysql-init.sql']);
    expect(primary.files[1]?.content).toContain("CREATE USER 'cdc'@'%'");
    expect(primary.ports).toEqual([{ container: 3306, host: 21001 }]);
    expect(serviceContainerSpec('mysql-b', ctx).env).toEqual({ SERVER_ID: '2', TIDEMARK_REPLICA: '1' });
    expect(mysql8FollowSql('mysql', 3306)[0]).toMatch(/SOURCE_HOST='mysql', SOURCE_PORT=3306.*SOURCE_AUTO_POSITION=1/);
    expect(MYSQL8_PROMOTE_SQL).toContain('RESET REPLICA ALL');
  });

  it('runs Postgres as user postgres with the native settings; the standby clones its primary by name', () => {
    const primary = serviceContainerSpec('postgres', ctx);
    expect(primary.user).toBe('postgres');
    expect(primary.command).toEqual(Object.entries(POSTGRES_SETTINGS).flatMap(([k, v]) => ['-c', `${k}=${v}`]));
    expect(primary.env).toEqual({ PGDATA: '/var/lib/postgresql/data', POSTGRES_DB: 'tidemark' });
    expect(primary.stopSignal).toBe('SIGINT');
    expect(serviceContainerSpec('postgres-b', ctx).env).toMatchObject({ PRIMARY_HOST: 'postgres', PRIMARY_PORT: '5432' });
  });

  it('configures Kafka: PROXIED advertises the proxy, DIRECT binds and advertises its published port', () => {
    const kafka = serviceContainerSpec('kafka', ctx);
    expect(kafka.env).toMatchObject({
      CLUSTER_ID: 'cluster-1',
      KAFKA_CFG_PROCESS_ROLES: 'broker,controller',
      KAFKA_CFG_LISTENERS: 'PROXIED://0.0.0.0:9092,DIRECT://0.0.0.0:21005,CONTROLLER://0.0.0.0:9093',
      KAFKA_CFG_ADVERTISED_LISTENERS: 'PROXIED://127.0.0.1:22005,DIRECT://127.0.0.1:21005',
      KAFKA_CFG_INTER_BROKER_LISTENER_NAME: 'DIRECT',
      KAFKA_CFG_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_CFG_LOG_DIRS: '/var/lib/kafka/data',
    });
    expect(kafka.ports).toEqual([{ container: 21005, host: 21005 }, { container: 9092, host: 22100 }]);
  });

  it('runs Redis with an fsynced append-only file and NATS with JetStream', () => {
    expect(serviceContainerSpec('redis', ctx).command).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'always', '--protected-mode', 'no']));
    expect(serviceContainerSpec('nats', ctx).command).toEqual(['-p', '4222', '-js', '-sd', '/data']);
  });

  it('runs the schema registry with the native service\'s JVM flags and settings, listening on all addresses, its H2 file in the container', () => {
    const registry = serviceContainerSpec('schema-registry', ctx);
    expect(registry.ports).toEqual([{ container: 8080, host: 21008 }]);
    const options = registry.env.JAVA_OPTS?.split(' ') ?? [];
    const native = registryArgs('/x/registry.jar', '/data', 9999).slice(0, -2);
    const differing = (flag: string): boolean => /quarkus\.http\.(host|port)|jdbc\.url/.test(flag);
    expect(options.filter((f) => !differing(f))).toEqual(native.filter((f) => !differing(f)));
    expect(options).toEqual(expect.arrayContaining(['-Dquarkus.http.host=0.0.0.0', '-Dquarkus.http.port=8080', '-Dregistry.rules.global.compatibility=BACKWARD']));
    expect(options.find((f) => f.includes('jdbc.url'))).toMatch(/^-Dquarkus\.datasource\.jdbc\.url=jdbc:h2:file:\/tmp\/\S+;WRITE_DELAY=0$/);
  });

  it('puts Toxiproxy on the host network with its API on the planned host port', () => {
    const toxiproxy = toxiproxyContainerSpec(ctx);
    expect(toxiproxy).toMatchObject({ networkMode: 'host', command: ['-host', '127.0.0.1', '-port', '23000'], ports: [] });
  });

  it('binds every server port to a fixed host port, so a stopped container comes back on the same one', () => {
    for (const s of services) expect(serviceContainerSpec(s, ctx).ports.every((p) => p.host > 0)).toBe(true);
  });

  it('defines the compose proxies by network alias (Kafka: its PROXIED listener)', () => {
    expect(toxiproxyProxies(services)).toEqual([
      { name: 'mysql', listen: '0.0.0.0:8666', upstream: 'mysql:3306' },
      { name: 'mysql-b', listen: '0.0.0.0:8667', upstream: 'mysql-b:3306' },
      { name: 'postgres', listen: '0.0.0.0:8668', upstream: 'postgres:5432' },
      { name: 'postgres-b', listen: '0.0.0.0:8669', upstream: 'postgres-b:5432' },
      { name: 'kafka', listen: '0.0.0.0:8670', upstream: 'kafka:9092' },
      { name: 'redis', listen: '0.0.0.0:8671', upstream: 'redis:6379' },
      { name: 'nats', listen: '0.0.0.0:8672', upstream: 'nats:4222' },
      { name: 'schema-registry', listen: '0.0.0.0:8673', upstream: 'schema-registry:8080' },
    ]);
  });

  it('fails clearly when a host port was not planned', () => {
    expect(() => serviceContainerSpec('redis', { ...ctx, hostPorts: { ...ctx.hostPorts, direct: {} } })).toThrow(/no host port planned for redis/);
    expect(() => serviceContainerSpec('kafka', { ...ctx, hostPorts: { ...ctx.hostPorts, kafkaProxiedListener: undefined } })).toThrow(/kafka PROXIED listener/);
  });

  it('strips Docker log frame headers', () => {
    const frame = (stream: number, text: string): Buffer => {
      const header = Buffer.alloc(8);
      header[0] = stream;
      header.writeUInt32BE(text.length, 4);
      return Buffer.concat([header, Buffer.from(text)]);
    };
    expect(demuxDockerLogs(Buffer.concat([frame(1, 'ready\n'), frame(2, 'warn\n')]))).toBe('ready\nwarn\n');
    expect(demuxDockerLogs(Buffer.from('plain tty log'))).toBe('plain tty log');
  });
});
