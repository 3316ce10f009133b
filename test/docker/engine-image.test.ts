/**
 * The engine image (./Dockerfile, built by `tidemark-chaos images build`) runs a pipeline against
 * real servers: MariaDB → Redis Streams and Kafka (through the librdkafka client built into the
 * image), all behind the topology's proxies. Docker job only (vitest.docker.config.ts).
 */
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, mysqlOptions, redisOptions, startTopology, type Topology } from '../../chaos/src/infra/index.js';
import { imageEntry } from '../../chaos/src/infra/images/catalog.js';
import { allocatePort } from '../../chaos/src/infra/ports.js';
import { demuxDockerLogs } from '../../chaos/src/infra/testcontainers/container-service.js';
import { dockerRuntime, imageOps } from '../../chaos/src/infra/testcontainers/docker-runtime.js';
import { LABELS, newSession } from '../../chaos/src/infra/testcontainers/sessions.js';
import { mysqlQuery } from '../chaos/infra/clients.js';
import { eventually } from '../support/infra.js';

const ROWS = 20;

function pipelineYaml(topology: Topology): string {
  const mysql = mysqlOptions(topology.get('mysql').info(), 'proxy', 'cdc');
  const redis = redisOptions(topology.get('redis').info());
  return `apiVersion: tidemark/v1
kind: Pipeline
metadata:
  name: image-check
  tenant: docker
spec:
  source:
    type: mysql
    config:
      id: image-mysql
      dsn: mysql://${mysql.user}:${mysql.password}@${mysql.host}:${mysql.port}/${mysql.database}
      tables: [tidemark.orders]
  sinks:
    - type: redis
      config:
        id: redis
        uri: redis://${redis.host}:${redis.port}
        stream: image.orders
    - type: kafka
      config:
        id: kafka
        brokers: ${kafkaBrokers(topology.get('kafka').info()).join(',')}
        topic: image.orders
        client: confluent
`;
}

describe('the engine image', () => {
  let topology: Topology;
  let engine: StartedTestContainer;
  let apiPort: number;

  beforeAll(async () => {
    topology = await startTopology(['mysql', 'redis', 'kafka'], { provider: 'testcontainers' });
    const info = topology.info();
    const image = (info.imageSet === 'official' ? imageEntry('engine').official : imageEntry('engine').local) as string;
    if (!(await imageOps(await dockerRuntime()).exists(image))) {
      throw new Error(`the engine image ${image} is not built: run \`npx tidemark-chaos images build --only engine\` (or \`docker build -t tidemark:dev .\`)`);
    }
    apiPort = await allocatePort();
    // On the host's network like Toxiproxy, so it reaches the proxies at the addresses the topology reports.
    engine = await new GenericContainer(image)
      .withNetworkMode('host')
      .withLabels({ ...newSession().labels, [LABELS.session]: info.session as string, [LABELS.service]: 'engine' })
      .withEnvironment({ TIDEMARK_API_ADDR: `127.0.0.1:${apiPort}`, TIDEMARK_METRICS_ADDR: `127.0.0.1:${await allocatePort()}` })
      .withCopyContentToContainer([{ content: pipelineYaml(topology), target: '/etc/tidemark/pipeline.yaml' }])
      .withCommand(['run', '--config', '/etc/tidemark'])
      .start();
  }, 300_000);

  afterAll(async () => {
    // The engine carries the topology's session label: down() removes it with the servers.
    await topology?.down();
  }, 120_000);

  it('answers /health once the pipeline runs', async () => {
    await eventually(async () => {
      const response = await fetch(`http://127.0.0.1:${apiPort}/health`);
      expect(response.status).toBe(200);
    }, 60_000, 250);
  }, 90_000);

  it('streams committed rows into Redis and Kafka, in order, with their values', async () => {
    const mysql = topology.get('mysql').info();
    await mysqlQuery(mysql, 'direct', 'CREATE TABLE tidemark.orders (id INT PRIMARY KEY, note VARCHAR(40))');
    for (let tx = 0; tx < 4; tx += 1) {
      const values = Array.from({ length: ROWS / 4 }, (_, i) => `(${tx * (ROWS / 4) + i + 1}, 'order ${tx * (ROWS / 4) + i + 1}')`);
      await mysqlQuery(mysql, 'direct', `INSERT INTO tidemark.orders VALUES ${values.join(', ')}`);
    }

    const redis = new Redis({ ...redisOptions(topology.get('redis').info(), 'direct'), lazyConnect: true });
    await redis.connect();
    try {
      const entries = await eventually(async () => {
        const found = await redis.xrange('image.orders', '-', '+');
        expect(found).toHaveLength(ROWS);
        return found;
      }, 60_000, 250);
      const events = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf('event') + 1] as string) as { op: string; after: { id: number; note: string } });
      expect(events.map((e) => e.after.id)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
      expect(events.every((e) => e.op === 'c' && e.after.note === `order ${e.after.id}`)).toBe(true);
    } finally {
      redis.disconnect();
    }

    const kafka = new Kafka({ clientId: 'image-check', brokers: kafkaBrokers(topology.get('kafka').info(), 'direct'), logLevel: logLevel.NOTHING });
    // The engine's producer created the topic moments ago: wait until its partitions have a leader.
    const admin = kafka.admin();
    await admin.connect();
    await eventually(async () => {
      const { topics } = await admin.fetchTopicMetadata({ topics: ['image.orders'] });
      expect(topics[0]?.partitions.every((p) => p.leader >= 0)).toBe(true);
    }, 60_000, 250);
    await admin.disconnect();
    const consumer = kafka.consumer({ groupId: 'image-check' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'image.orders', fromBeginning: true });
    const ids: number[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Kafka gave only ${ids.length} records`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          ids.push((JSON.parse(message.value?.toString() ?? '{}') as { after: { id: number } }).after.id);
          if (ids.length === ROWS) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
  }, 180_000);

  it('stops cleanly on SIGTERM, having logged no error', async () => {
    const runtime = await dockerRuntime();
    const container = runtime.container.getById(engine.getId());
    await runtime.container.stop(container, { timeout: 30_000 }); // ms: SIGTERM, SIGKILL only after 30 s
    const state = await runtime.container.inspect(container);
    expect(state.State.ExitCode).toBe(0);
    const logs = demuxDockerLogs((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer);
    expect(logs).toContain('image-check');
    expect(logs).not.toMatch(/"level":50/); // pino's error level
  }, 60_000);
});
