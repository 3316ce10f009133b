import { kafkaBrokers, natsServers, redisOptions } from '../../infra/index.js';
import type { SinkKind } from '../../history/index.js';
import type { ChaosSession } from '../session.js';
import type { SinkLayout } from '../sink-layout.js';
import { HttpIo } from './http-io.js';
import { KafkaIo } from './kafka-io.js';
import { NatsIo } from './nats-io.js';
import { RedisIo } from './redis-io.js';
import type { SinkFeed, SinkIo } from './sink-io.js';

export type { SinkIo, SinkFeed };

/** One SinkIo per attached sink, reading through the DIRECT endpoints. */
export function createSinkIos(session: ChaosSession, layout: SinkLayout, sinkIds: Readonly<Partial<Record<SinkKind, string>>>): SinkIo[] {
  const { topology } = session;
  const ios: SinkIo[] = [];
  const id = (kind: SinkKind) => sinkIds[kind] ?? kind;
  if (layout.kafka) ios.push(new KafkaIo(id('kafka'), kafkaBrokers(topology.get('kafka').info(), 'direct'), layout.kafka));
  if (layout.redis) ios.push(new RedisIo(id('redis'), redisOptions(topology.get('redis').info(), 'direct'), layout.redis));
  if (layout.nats) ios.push(new NatsIo(id('nats'), natsServers(topology.get('nats').info(), 'direct'), layout.nats));
  if (layout.http) {
    if (!session.receiver) throw new Error('the scenario attaches an HTTP sink but the session started no HTTP receiver');
    ios.push(new HttpIo(id('http'), session.receiver, layout.http));
  }
  return ios;
}
