import { describe, expect, it } from 'vitest';
import { demuxDockerLogs } from '../../../chaos/src/infra/testcontainers/container-service.js';
import {
  IMAGES, serviceContainerSpec, toxiproxyContainerSpec, toxiproxyProxies, type SpecContext,
} from '../../../chaos/src/infra/testcontainers/container-specs.js';
import { MYSQL8_INIT_SQL, MYSQL8_PROMOTE_SQL, mysql8FollowSql } from '../../../chaos/src/infra/testcontainers/mysql8-sql.js';
import type { ServiceName } from '../../../chaos/src/infra/types.js';

/** The testcontainers provider cannot run without a Docker engine; its container specs are pure and tested here. */
const services: ServiceName[] = ['mysql', 'mysql-b', 'postgres', 'postgres-b', 'kafka', 'redis', 'nats'];
const ctx: SpecContext = {
  services,
  advertisedHost: 'localhost',
  kafkaClusterId: 'cluster-1',
  hostPorts: {
    direct: { mysql: 21001, 'mysql-b': 21002, postgres: 21003, 'postgres-b': 21004, kafka: 21005, redis: 21006, nats: 21007 },
    proxy: { mysql: 22001, 'mysql-b': 22002, postgres: 22003, 'postgres-b': 22004, kafka: 22005, redis: 22006, nats: 22007 },
    toxiproxyApi: 23000,
  },
};

describe('testcontainers container specs', () => {
  it('uses the pinned images', () => {
    expect(services.map((s) => serviceContainerSpec(s, ctx).image)).toEqual([
      'mysql:8.4', 'mysql:8.4', 'postgres:16', 'postgres:16', 'apache/kafka:3.9.1', IMAGES.redis, IMAGES.nats,
    ]);
    expect(toxiproxyContainerSpec(ctx).image).toBe('ghcr.io/shopify/toxiproxy:2.12.0');
  });

  it('runs MySQL 8.4 with GTIDs and a ROW/FULL binlog; the replica is super-read-only', () => {
    const primary = serviceContainerSpec('mysql', ctx);
    expect(primary.command).toEqual(expect.arrayContaining(['--server-id=1', '--gtid-mode=ON', '--enforce-gtid-consistency=ON', '--binlog-format=ROW', '--binlog-row-image=FULL', '--log-replica-updates=ON']));
    expect(primary.command).not.toContain('--super-read-only=ON');
    expect(primary.ports).toEqual([{ container: 3306, host: 21001 }]);
    expect(primary.env).toEqual({ MYSQL_ALLOW_EMPTY_PASSWORD: 'yes' });
    const replica = serviceContainerSpec('mysql-b', ctx);
    expect(replica.command).toEqual(expect.arrayContaining(['--server-id=2', '--super-read-only=ON']));
  });

  it('creates the MySQL users without binlogging them, so the replica can replay from the start', () => {
    expect(MYSQL8_INIT_SQL.trimStart().startsWith('SET SESSION sql_log_bin = 0;')).toBe(true);
    expect(serviceContainerSpec('mysql', ctx).files[0]).toEqual({ target: '/docker-entrypoint-initdb.d/00-tidemark.sql', content: MYSQL8_INIT_SQL });
    expect(mysql8FollowSql('mysql', 3306)[0]).toMatch(/SOURCE_HOST='mysql', SOURCE_PORT=3306.*SOURCE_AUTO_POSITION=1/);
    expect(MYSQL8_PROMOTE_SQL).toContain('RESET REPLICA ALL');
  });

  it('runs Postgres with logical WAL and trust auth; the standby clones its primary with pg_basebackup', () => {
    const primary = serviceContainerSpec('postgres', ctx);
    expect(primary.env).toMatchObject({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'tidemark' });
    expect(primary.command).toEqual(expect.arrayContaining(['-c', 'wal_level=logical']));
    expect(primary.files[0]?.content).toContain('host replication all all trust');
    const standby = serviceContainerSpec('postgres-b', ctx);
    expect(standby.user).toBe('postgres');
    expect(standby.entrypoint?.[2]).toMatch(/pg_basebackup -h postgres -p 5432 -U postgres -D "\$PGDATA" -R -X stream/);
    expect(standby.entrypoint?.[2]).toMatch(/exec postgres .*wal_level=logical/);
  });

  it('configures Kafka through env: PROXIED advertises the Toxiproxy host port, DIRECT its own', () => {
    const kafka = serviceContainerSpec('kafka', ctx);
    expect(kafka.env).toMatchObject({
      CLUSTER_ID: 'cluster-1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PROXIED://0.0.0.0:9092,DIRECT://0.0.0.0:9094,CONTROLLER://0.0.0.0:9093',
      KAFKA_ADVERTISED_LISTENERS: 'PROXIED://localhost:22005,DIRECT://localhost:21005',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@kafka:9093',
      KAFKA_INTER_BROKER_LISTENER_NAME: 'DIRECT',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    });
    expect(kafka.ports).toEqual([{ container: 9094, host: 21005 }]);
  });

  it('runs Redis with appendonly and NATS with JetStream', () => {
    expect(serviceContainerSpec('redis', ctx).command).toEqual(['redis-server', '--appendonly', 'yes', '--appendfsync', 'always', '--save', '']);
    expect(serviceContainerSpec('nats', ctx).command).toEqual(['-js', '-sd', '/data']);
  });

  it('binds every port to a fixed host port, so a stopped container comes back on the same one', () => {
    for (const s of services) expect(serviceContainerSpec(s, ctx).ports.every((p) => p.host > 0)).toBe(true);
    expect(toxiproxyContainerSpec(ctx).ports).toEqual([
      { container: 8474, host: 23000 },
      ...services.map((s, i) => ({ container: 8666 + i, host: ctx.hostPorts.proxy[s] })),
    ]);
  });

  it('creates one proxy per service, upstream by network alias (Kafka: its PROXIED listener)', () => {
    expect(toxiproxyProxies(services)).toEqual([
      { name: 'mysql', listen: '0.0.0.0:8666', upstream: 'mysql:3306' },
      { name: 'mysql-b', listen: '0.0.0.0:8667', upstream: 'mysql-b:3306' },
      { name: 'postgres', listen: '0.0.0.0:8668', upstream: 'postgres:5432' },
      { name: 'postgres-b', listen: '0.0.0.0:8669', upstream: 'postgres-b:5432' },
      { name: 'kafka', listen: '0.0.0.0:8670', upstream: 'kafka:9092' },
      { name: 'redis', listen: '0.0.0.0:8671', upstream: 'redis:6379' },
      { name: 'nats', listen: '0.0.0.0:8672', upstream: 'nats:4222' },
    ]);
  });

  it('fails clearly when a host port was not planned', () => {
    expect(() => serviceContainerSpec('redis', { ...ctx, hostPorts: { ...ctx.hostPorts, direct: {} } })).toThrow(/no host port planned for redis/);
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
