import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { redisOptions } from '../../../chaos/src/infra/index.js';
import { makeSink } from '../../engine/sinks/pipeline-harness.js';
import { readStream } from '../../engine/sinks/redis/redis-read.js';
import { useTopology } from '../../support/infra.js';
import { sinkContract, type SinkTarget } from '../sink-contract.js';

const infra = useTopology(['redis'], { provider: 'native' });
let direct: Redis;
let uri: string;

beforeAll(() => {
  const proxied = redisOptions(infra().get('redis'), 'proxy');
  uri = `redis://${proxied.host}:${proxied.port}`;
  direct = new Redis(redisOptions(infra().get('redis'), 'direct'));
});
afterAll(() => direct?.disconnect());

function redisTarget(exactlyOnce: boolean): SinkTarget {
  const spec = (name: string, routed = false) => ({
    type: 'redis' as const,
    config: { id: 'r', uri, stream: routed ? `${name}.\${after.route}` : name, exactly_once: exactlyOnce, send_timeout_secs: 1, batch_timeout_secs: 2, connect_timeout_secs: 1 },
  });
  return {
    exactlyOnce,
    ordered: true,
    make: (name, { routed, dlqEnabled, logger }) => makeSink(spec(name, routed), { dlqEnabled, logger, pipeline: name }),
    read: async (name, routed) => (await readStream(direct, routed ? `${name}.ok` : name)).map((e) => e.fields['tidemark-event-id']!),
    cut: () => infra().toxiproxy.down('redis'),
    heal: () => infra().toxiproxy.up('redis'),
    spec,
  };
}

describe('redis sink (at-least-once)', () => sinkContract('redis-alo', () => redisTarget(false)));
describe('redis sink (exactly-once script)', () => sinkContract('redis-eo', () => redisTarget(true), { ownsCheckpoint: true }));
