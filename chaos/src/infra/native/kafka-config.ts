/** Ports and paths of one single-node KRaft broker. */
export interface KafkaLayout {
  readonly dataDir: string;
  /** Where the PROXIED listener binds; Toxiproxy forwards to it. */
  readonly proxiedListenerPort: number;
  /** The Toxiproxy `kafka` proxy port, advertised for the PROXIED listener. */
  readonly proxyPort: number;
  /** DIRECT listener: bound and advertised at its own port, for readers/admin during faults. */
  readonly directPort: number;
  readonly controllerPort: number;
}

export const KAFKA_NODE_ID = 1;

/** Where each listener binds and what it advertises; differs between native and containers. */
export interface KafkaListeners {
  readonly proxied: { readonly bind: string; readonly advertised: string };
  readonly direct: { readonly bind: string; readonly advertised: string };
  readonly controller: { readonly bind: string; readonly voter: string };
}

/**
 * Broker settings for a single-node KRaft broker with transactions.
 *
 * The PROXIED listener advertises the proxy address, so a client that bootstraps through the
 * proxy is told to keep talking to the proxy and never bypasses it. The DIRECT listener
 * advertises itself and also carries inter-broker traffic, so faults on the proxy never affect
 * the broker's own internals (transaction coordinator, group coordinator).
 */
export function kafkaSettings(listeners: KafkaListeners, dataDir: string): Record<string, string> {
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': KAFKA_NODE_ID,
    'controller.quorum.voters': `${KAFKA_NODE_ID}@${listeners.controller.voter}`,
    listeners: `PROXIED://${listeners.proxied.bind},DIRECT://${listeners.direct.bind},CONTROLLER://${listeners.controller.bind}`,
    'advertised.listeners': `PROXIED://${listeners.proxied.advertised},DIRECT://${listeners.direct.advertised}`,
    'listener.security.protocol.map': 'PROXIED:PLAINTEXT,DIRECT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'inter.broker.listener.name': 'DIRECT',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': dataDir,
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    // Internal topics default to 50 partitions; creating them is most of a fresh broker's first-use latency.
    'offsets.topic.num.partitions': 3,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 3,
    'group.initial.rebalance.delay.ms': 0,
    // After a SIGKILL the restarted broker cannot register until its old session expires (default 9 s).
    'broker.session.timeout.ms': 3000,
    'broker.heartbeat.interval.ms': 500,
    'auto.create.topics.enable': 'true',
    'delete.topic.enable': 'true',
    'log.segment.bytes': 64 * 1024 * 1024,
  };
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, String(v)]));
}

/** server.properties for the native broker: everything on 127.0.0.1. */
export function kafkaServerProperties(layout: KafkaLayout): string {
  const local = (port: number): string => `127.0.0.1:${port}`;
  const settings = kafkaSettings(
    {
      proxied: { bind: local(layout.proxiedListenerPort), advertised: local(layout.proxyPort) },
      direct: { bind: local(layout.directPort), advertised: local(layout.directPort) },
      controller: { bind: local(layout.controllerPort), voter: local(layout.controllerPort) },
    },
    layout.dataDir,
  );
  return `${Object.entries(settings).map(([key, value]) => `${key}=${value}`).join('\n')}\n`;
}

/** log4j 1 (reload4j) config sending everything to stdout, which the harness captures to a file. */
export const KAFKA_LOG4J_PROPERTIES = `log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
`;

/** JVM flags: a small heap, and the classpath of jars setup copied from Maven Central. */
export function kafkaJvmArgs(libsDir: string, log4jFile: string): string[] {
  return [
    '-Xms256m',
    '-Xmx512m',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-Djava.awt.headless=true',
    `-Dlog4j.configuration=file:${log4jFile}`,
    '-cp',
    `${libsDir}/*`,
  ];
}
