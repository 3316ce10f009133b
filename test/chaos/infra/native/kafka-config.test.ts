import { describe, expect, it } from 'vitest';
import { kafkaJvmArgs, kafkaServerProperties } from '../../../../chaos/src/infra/native/kafka-config.js';

const parse = (text: string): Record<string, string> =>
  Object.fromEntries(text.trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));

describe('native Kafka broker config', () => {
  const props = parse(kafkaServerProperties({ dataDir: '/tmp/k/data', proxiedListenerPort: 20001, proxyPort: 20002, directPort: 20003, controllerPort: 20004 }));

  it('advertises the proxy on the PROXIED listener, so proxied clients never bypass Toxiproxy', () => {
    expect(props.listeners).toBe('PROXIED://127.0.0.1:20001,DIRECT://127.0.0.1:20003,CONTROLLER://127.0.0.1:20004');
    expect(props['advertised.listeners']).toBe('PROXIED://127.0.0.1:20002,DIRECT://127.0.0.1:20003');
  });

  it('keeps broker-internal traffic off the proxy', () => {
    expect(props['inter.broker.listener.name']).toBe('DIRECT');
    expect(props['controller.listener.names']).toBe('CONTROLLER');
  });

  it('is a single-node KRaft broker with transactions enabled', () => {
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'node.id': '1',
      'controller.quorum.voters': '1@127.0.0.1:20004',
      'log.dirs': '/tmp/k/data',
      'transaction.state.log.replication.factor': '1',
      'transaction.state.log.min.isr': '1',
      'offsets.topic.replication.factor': '1',
      'group.initial.rebalance.delay.ms': '0',
    });
  });

  it('runs kafka.Kafka from the cached jars with a small heap', () => {
    const args = kafkaJvmArgs('/cache/kafka/libs', '/tmp/k/log4j.properties');
    expect(args).toContain('-Xmx512m');
    expect(args.slice(-2)).toEqual(['-cp', '/cache/kafka/libs/*']);
    expect(args).toContain('-Dlog4j.configuration=file:/tmp/k/log4j.properties');
  });
});
