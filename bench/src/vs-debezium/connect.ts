import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { allocatePort } from '@tidemark/chaos/infra/ports';
import { java } from '@tidemark/chaos/infra/native/binaries';
import { ManagedProcess } from '@tidemark/chaos/infra/process/managed-process';
import type { DebeziumInstall } from './install.js';

/**
 * The JVM flags `connect-standalone.sh` gives a worker (KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS
 * defaults of Kafka 4.3's kafka-run-class.sh): what a user who starts Connect gets.
 */
const CONNECT_JVM = ['-Xms256M', '-Xmx2G', '-server', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35', '-XX:+ExplicitGCInvokesConcurrent', '-Djava.awt.headless=true'];

/** Worker settings of the comparison (issue 17): JSON without schemas, idempotent producer, acks=all, linger 10 ms. */
export function workerProperties(o: { brokers: string; dir: string; restPort: number; pluginPath: string }): Record<string, string> {
  return {
    'bootstrap.servers': o.brokers,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'false',
    'value.converter.schemas.enable': 'false',
    'offset.storage.file.filename': join(o.dir, 'connect.offsets'),
    'plugin.path': o.pluginPath,
    listeners: `http://127.0.0.1:${o.restPort}`,
    'producer.enable.idempotence': 'true',
    'producer.acks': 'all',
    'producer.linger.ms': '10',
    // Every plugin here ships ServiceLoader manifests; scanning jars by reflection only adds ~20 s to the start.
    'plugin.discovery': 'service_load',
  };
}

const LOG4J2 = `status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = \${sys:connect.log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = file
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
`;

/**
 * One Kafka Connect standalone worker running one connector, its offsets, logs and schema history
 * in `dir` (a temp dir). Stopped by PID: SIGTERM (Connect's graceful shutdown), SIGKILL after 20 s.
 */
export class ConnectStandalone {
  private constructor(private readonly process: ManagedProcess, readonly logFile: string) {}

  static async start(install: DebeziumInstall, o: { brokers: string; dir: string; connector: Record<string, string> }): Promise<ConnectStandalone> {
    const worker = join(o.dir, 'worker.properties');
    const connector = join(o.dir, 'connector.properties');
    const log4j = join(o.dir, 'log4j2.properties');
    const logFile = join(o.dir, 'connect.log');
    await writeFile(worker, properties(workerProperties({ brokers: o.brokers, dir: o.dir, restPort: await allocatePort(), pluginPath: install.pluginPath })));
    await writeFile(connector, properties(o.connector));
    await writeFile(log4j, LOG4J2);
    const args = [...CONNECT_JVM, `-Dlog4j2.configurationFile=file:${log4j}`, `-Dconnect.log=${logFile}`, '-cp', `${install.connectLibs}/*`, 'org.apache.kafka.connect.cli.ConnectStandalone', worker, connector];
    return new ConnectStandalone(ManagedProcess.launch({ command: await java(), args, cwd: o.dir, logFile: join(o.dir, 'connect.stdout') }), logFile);
  }

  pid(): number | undefined {
    return this.process.running ? this.process.pid : undefined;
  }

  /** null while running; otherwise why it is not, with the end of its log. */
  deathNotice(): string | null {
    if (this.process.running) return null;
    return `Kafka Connect exited (${JSON.stringify(this.process.exitStatus)}); last lines of ${this.logFile}:\n${this.tail(25)}`;
  }

  /** The worker's log, errors first: what to show when the connector does not deliver. */
  tail(lines: number): string {
    try {
      const all = readFileSync(this.logFile, 'utf8').split('\n');
      const errors = all.filter((l) => / (ERROR|WARN) /.test(l)).slice(-8);
      return [...errors, '...', ...all.slice(-lines)].join('\n');
    } catch {
      return '(no log)';
    }
  }

  async stop(): Promise<void> {
    await this.process.terminate('SIGTERM', 20_000);
  }
}

function properties(values: Record<string, string>): string {
  return `${Object.entries(values).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`).join('\n')}\n`;
}
