import { describe } from 'vitest';
import { address } from '../../../chaos/src/infra/index.js';
import { readTopic } from '../../engine/sinks/kafka/kafka-read.js';
import { makeSink } from '../../engine/sinks/pipeline-harness.js';
import { useTopology } from '../../support/infra.js';
import { sinkContract, type SinkTarget } from '../sink-contract.js';

const infra = useTopology(['kafka'], { provider: 'native' });

function kafkaTarget(client: 'kafkajs' | 'confluent', exactlyOnce: boolean): SinkTarget {
  const spec = (name: string, routed = false) => ({
    type: 'kafka' as const,
    config: { id: 'k', brokers: address(infra().get('kafka'), 'proxy'), topic: routed ? `${name}.\${after.route}` : name, client, exactly_once: exactlyOnce, send_timeout_secs: 3 },
  });
  return {
    exactlyOnce,
    ordered: true,
    make: (name, { routed, dlqEnabled, logger }) => makeSink(spec(name, routed), { dlqEnabled, logger, pipeline: name }),
    // read_committed: what a consumer sees (aborted transactions hidden).
    read: async (name, routed) => (await readTopic(address(infra().get('kafka'), 'direct'), routed ? `${name}.ok` : name)).map((r) => r.headers['tidemark-event-id']!),
    cut: () => infra().toxiproxy.down('kafka'),
    heal: () => infra().toxiproxy.up('kafka'),
    spec,
  };
}

for (const client of ['kafkajs', 'confluent'] as const) {
  describe(`kafka sink (${client}, at-least-once)`, () => sinkContract(`${client}-alo`, () => kafkaTarget(client, false)));
  describe(`kafka sink (${client}, exactly-once)`, () => sinkContract(`${client}-eos`, () => kafkaTarget(client, true), { ownsCheckpoint: true }));
}
