import { afterAll, beforeAll, describe } from 'vitest';
import { Receiver } from '../../engine/sinks/http/receiver.js';
import { makeSink } from '../../engine/sinks/pipeline-harness.js';
import { sinkContract, type SinkTarget } from '../sink-contract.js';

/** A real local HTTP receiver; its outage is the endpoint going away (listening stops, connections cut) and coming back on the same port. */
const receiver = new Receiver();
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());

const http: () => SinkTarget = () => ({
  exactlyOnce: false,
  ordered: false,
  make: (name, { routed, dlqEnabled, logger }) =>
    makeSink({ type: 'http', config: { id: 'h', url: `${receiver.url}/${routed ? `${name}.\${after.route}` : name}`, send_timeout_secs: 1, connect_timeout_secs: 1 } }, { dlqEnabled, logger, pipeline: name }),
  read: async (name, routed) => receiver.accepted.filter((r) => r.path === `/${name}${routed ? '.ok' : ''}`).map((r) => String(r.headers['tidemark-event-id'])),
  cut: () => receiver.stop(),
  heal: () => receiver.start(receiver.port),
});

describe('http sink', () => sinkContract('http', http));
