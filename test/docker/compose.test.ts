/**
 * docker-compose.chaos.yml with a real compose implementation (Debian's docker-compose): valid
 * with the official images and with the local ones, and brought up with the local images:
 * replicas replicate, every proxy reaches its server. Docker job only (vitest.docker.config.ts).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeEnv } from '../../chaos/src/cli/images-command.js';
import type { ServiceInfo } from '../../chaos/src/infra/index.js';
import { kafkaAdvertisedBrokers, mysqlQuery, natsRoundTrip, pgQuery, redisCall } from '../chaos/infra/clients.js';
import { eventually } from '../support/infra.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const PROFILES = ['base', 'mysql-infra', 'pg-infra', 'kafka-infra'].flatMap((p) => ['--profile', p]);
const PROJECT = `tidemark-compose-${process.pid}`;

/** The compose services as the infra clients see them: direct ports and proxies from the file's header. */
function service(name: ServiceInfo['name'], kind: ServiceInfo['kind'], direct: number, proxy: number): ServiceInfo {
  const credentials = kind === 'mysql' ? { user: 'root', password: '', database: 'tidemark' } : kind === 'postgres' ? { user: 'postgres', password: '', database: 'tidemark' } : undefined;
  return { name, kind, direct: { host: '127.0.0.1', port: direct }, proxied: { host: '127.0.0.1', port: proxy }, ...(credentials ? { credentials } : {}) };
}

describe('docker-compose.chaos.yml (docker-compose)', () => {
  let dir: string;
  let envFile: string;
  const compose = (...args: string[]) =>
    run('docker-compose', ['--project-name', PROJECT, '--env-file', envFile, '-f', join(ROOT, 'docker-compose.chaos.yml'), ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_PROXY_ADVERTISED: 'localhost:8670' },
      timeout: 300_000,
    });

  beforeAll(async () => {
    await run('docker-compose', ['version']).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'ENOENT' ? 'docker-compose is not installed: apt-get install -y docker-compose (README, "The testcontainers path")' : `docker-compose version failed: ${err.message}`);
    });
    dir = await mkdtemp(join(tmpdir(), 'tidemark-compose-'));
    envFile = join(dir, 'local.env');
    await writeFile(envFile, composeEnv('local'));
  });
  afterAll(async () => {
    if (!dir) return; // docker-compose missing: nothing was started
    await compose(...PROFILES, 'down', '--volumes', '--remove-orphans').catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }, 120_000);

  it('is valid with the official images and with the local ones', async () => {
    const officialEnv = join(dir, 'official.env');
    await writeFile(officialEnv, composeEnv('official'));
    const official = await run('docker-compose', ['--env-file', officialEnv, '-f', join(ROOT, 'docker-compose.chaos.yml'), ...PROFILES, '--profile', 'engine', 'config'], { cwd: ROOT });
    expect(official.stdout).toContain('image: mysql:8.4');
    expect(official.stdout).toContain('image: apache/kafka:3.9.1');
    const local = await compose(...PROFILES, '--profile', 'engine', 'config');
    expect(local.stdout).toContain('image: tidemark-local/mariadb:10.11');
    expect(local.stdout).toContain('NODE_IMAGE: tidemark-local/node:20');
  });

  it('comes up with the local images: replicas replicate, every proxy reaches its server', async () => {
    await compose(...PROFILES, 'up', '--detach');
    const mysql = service('mysql', 'mysql', 13306, 8666);
    const mysqlB = service('mysql-b', 'mysql', 13307, 8667);
    const postgres = service('postgres', 'postgres', 15432, 8668);
    const postgresB = service('postgres-b', 'postgres', 15433, 8669);

    await eventually(() => mysqlQuery(mysqlB, 'direct', 'SELECT 1'), 120_000, 500);
    await eventually(async () => {
      const [status] = await mysqlQuery(mysqlB, 'direct', 'SHOW SLAVE STATUS');
      expect(status).toMatchObject({ Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes' });
    }, 60_000, 500);
    await mysqlQuery(mysql, 'proxy', 'CREATE TABLE tidemark.compose (id INT PRIMARY KEY)');
    await mysqlQuery(mysql, 'proxy', 'INSERT INTO tidemark.compose VALUES (1), (2)');
    await eventually(async () => expect(await mysqlQuery(mysqlB, 'proxy', 'SELECT COUNT(*) AS n FROM tidemark.compose')).toEqual([{ n: 2 }]), 30_000, 200);

    await eventually(() => pgQuery(postgresB, 'direct', 'SELECT 1'), 120_000, 500);
    await pgQuery(postgres, 'proxy', 'CREATE TABLE compose (id INT PRIMARY KEY)');
    await pgQuery(postgres, 'proxy', 'INSERT INTO compose VALUES (1)');
    await eventually(async () => expect(await pgQuery(postgresB, 'proxy', 'SELECT id FROM compose')).toEqual([{ id: 1 }]), 30_000, 200);

    expect(await eventually(() => redisCall(service('redis', 'redis', 16379, 8671), 'proxy', 'PING'), 30_000, 200)).toBe('PONG');
    expect(await eventually(() => natsRoundTrip(service('nats', 'nats', 14222, 8672), 'proxy'), 30_000, 200)).toBe('ping');
    const kafka = service('kafka', 'kafka', 19094, 8670);
    expect(await eventually(() => kafkaAdvertisedBrokers(kafka, 'proxy'), 120_000, 500)).toEqual(['localhost:8670']);
    expect(await kafkaAdvertisedBrokers(kafka, 'direct')).toEqual(['localhost:19094']);
  }, 300_000);
});
