import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe } from 'vitest';
import { natsServers } from '../../../chaos/src/infra/index.js';
import { readStreamMessages } from '../../engine/sinks/nats/nats-read.js';
import { makeSink } from '../../engine/sinks/pipeline-harness.js';
import { useTopology } from '../../support/infra.js';
import { sinkContract, type SinkTarget } from '../sink-contract.js';

const infra = useTopology(['nats'], { provider: 'native' });
let nc: NatsConnection;
let jsm: JetStreamManager;
let url: string;

beforeAll(async () => {
  url = `nats://${natsServers(infra().get('nats'), 'proxy')}`;
  nc = await connect({ servers: natsServers(infra().get('nats'), 'direct') });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
});

/** One stream per case, created by the sink with a filter covering its subject template. */
const streamOf = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** JetStream drops a re-published Nats-Msg-Id within the duplicate window: no duplicates promised. */
const nats: () => SinkTarget = () => ({
  exactlyOnce: true,
  ordered: true,
  make: (name, { routed, dlqEnabled, logger }) =>
    makeSink(
      { type: 'nats', config: { id: 'n', url, stream: streamOf(name), subject: routed ? `${name}.\${after.route}` : `${name}.all`, create_stream: true, send_timeout_secs: 1, batch_timeout_secs: 2, connect_timeout_secs: 1 } },
      { dlqEnabled, logger, pipeline: name },
    ),
  read: async (name, routed) => (await readStreamMessages(jsm, streamOf(name))).filter((m) => m.subject === `${name}.${routed ? 'ok' : 'all'}`).map((m) => m.headers['tidemark-event-id']!),
  cut: () => infra().toxiproxy.down('nats'),
  heal: () => infra().toxiproxy.up('nats'),
});

describe('nats sink', () => sinkContract('nats', nats));
