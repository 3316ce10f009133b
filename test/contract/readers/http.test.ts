import { afterAll, describe } from 'vitest';
import { HttpIo, startHttpReceiver, type HttpReceiver } from '../../../chaos/src/readers/index.js';
import { readerContract, type ReaderTarget } from '../reader-contract.js';

/**
 * A receiver per destination: a feed releases the bodies it has read from the whole receiver
 * log, so destinations sharing one receiver would see each other's released requests.
 */
const receivers: HttpReceiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

const httpTarget = (): ReaderTarget => ({
  kind: 'http',
  exactlyOnce: false,
  histories: 1,
  exactCount: true,
  place: async (name) => {
    const receiver = await startHttpReceiver();
    receivers.push(receiver);
    return {
      io: new HttpIo('h', receiver, { pathPrefix: `/${name}/` }),
      sink: { type: 'http', config: { id: 'h', url: `${receiver.url}/${name}/\${source.table}` } },
    };
  },
});

describe('http reader', () => readerContract('rc-http', httpTarget));
