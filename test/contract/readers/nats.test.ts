import { beforeAll, describe } from 'vitest';
import { natsServers, type ServiceInfo } from '../../../chaos/src/infra/index.js';
import { NatsIo } from '../../../chaos/src/readers/index.js';
import { sharedTopology } from '../../support/infra.js';
import { readerContract, type ReaderTarget } from '../reader-contract.js';

let nats: ServiceInfo;
beforeAll(async () => {
  nats = (await sharedTopology(['nats'])).services.find((s) => s.name === 'nats') as ServiceInfo;
});

/** The reader creates the stream (prepare), as the runner does; the engine publishes one subject per table into it. */
const natsTarget = (): ReaderTarget => ({
  kind: 'nats',
  exactlyOnce: false,
  histories: 1,
  exactCount: true,
  place: async (name) => {
    const stream = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    return {
      io: new NatsIo('n', natsServers(nats, 'direct'), { stream, subjects: `${name}.>` }),
      sink: { type: 'nats', config: { id: 'n', url: `nats://${natsServers(nats, 'proxy')}`, stream, subject: `${name}.\${source.table}` } },
    };
  },
  port: () => nats.direct.port,
});

describe('nats reader', () => readerContract('rc-nats', natsTarget, { connects: true }));
