import { kafkaBrokers, natsServers, redisOptions } from '../infra/index.js';
import type { SinkKind } from '../history/index.js';
import { HttpIo, KafkaIo, NatsIo, RedisIo, type SinkIo } from '../readers/index.js';
import type { ChaosSession } from './session.js';
import type { SinkLayout } from './sink-layout.js';

/**
 * One SinkIo per attached sink, reading through the DIRECT endpoints. `registryUrl` (the
 * registry's direct URL) when the pipeline encodes Avro: the readers decode through it.
 */
export function createSinkIos(session: ChaosSession, layout: SinkLayout, sinkIds: Readonly<Partial<Record<SinkKind, string>>>, registryUrl?: string): SinkIo[] {
  const { topology } = session;
  const ios: SinkIo[] = [];
  const id = (kind: SinkKind) => sinkIds[kind] ?? kind;
  const decode = registryUrl ? { registryUrl } : {};
  if (layout.kafka) ios.push(new KafkaIo(id('kafka'), kafkaBrokers(topology.get('kafka').info(), 'direct'), layout.kafka, decode));
  if (layout.redis) ios.push(new RedisIo(id('redis'), redisOptions(topology.get('redis').info(), 'direct'), layout.redis, decode));
  if (layout.nats) ios.push(new NatsIo(id('nats'), natsServers(topology.get('nats').info(), 'direct'), layout.nats, decode));
  if (layout.http) {
    if (!session.receiver) throw new Error('the scenario attaches an HTTP sink but the session started no HTTP receiver');
    ios.push(new HttpIo(id('http'), session.receiver, layout.http, decode));
  }
  return ios;
}
