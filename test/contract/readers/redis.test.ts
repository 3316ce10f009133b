import { beforeAll, describe } from 'vitest';
import { redisOptions, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { RedisIo } from '../../../chaos/src/readers/index.js';
import { sharedTopology } from '../../support/infra.js';
import { readerContract, type ReaderTarget } from '../reader-contract.js';

let redis: ServiceInfo;
beforeAll(async () => {
  redis = (await sharedTopology(['redis'])).services.find((s) => s.name === 'redis') as ServiceInfo;
});

/** One stream per table; the exactly-once script also keeps a checkpoint hash next to them, which the reader must pass over. */
function redisTarget(exactlyOnce: boolean): ReaderTarget {
  return {
    kind: 'redis',
    exactlyOnce,
    histories: 1,
    exactCount: true,
    place: async (name, tables) => {
      const proxied = redisOptions(redis, 'proxy');
      return {
        io: new RedisIo('r', redisOptions(redis, 'direct'), { exactlyOnce, streams: tables.map((t) => `${name}.${t}`), pattern: `${name}.*` }),
        sink: { type: 'redis', config: { id: 'r', uri: `redis://${proxied.host}:${proxied.port}`, stream: `${name}.\${source.table}`, exactly_once: exactlyOnce } },
      };
    },
    port: () => redis.direct.port,
  };
}

describe('redis reader (at-least-once)', () => readerContract('rc-redis-alo', () => redisTarget(false), { connects: true }));
describe('redis reader (exactly-once script)', () => readerContract('rc-redis-eo', () => redisTarget(true), { connects: true }));
