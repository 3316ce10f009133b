import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { java } from '@tidemark/chaos/infra/native/binaries';
import { ManagedProcess } from '@tidemark/chaos/infra/process/managed-process';
import type { DebeziumInstall } from './install.js';

/**
 * Kafka's own producer benchmark (`kafka-producer-perf-test`, org.apache.kafka.tools.ProducerPerformance)
 * as a process: `records` records drawn at random from `payloads` (Tidemark's own record values from
 * the same run, so size and compressibility match), no key, acks=all, idempotent, with the
 * compression Tidemark's sink uses. Nothing is built per record: this is what the broker and a
 * tuned Java client reach on this machine, the ceiling for any CDC engine writing to it.
 */
export async function startProducerPerf(install: DebeziumInstall, o: { brokers: string; topic: string; records: number; dir: string; payloads: readonly Buffer[]; producerProps: Readonly<Record<string, string>> }): Promise<ManagedProcess> {
  const payloadFile = join(o.dir, 'payloads.txt');
  // One payload per line (JSON values hold no raw newline).
  await writeFile(payloadFile, `${o.payloads.map((p) => p.toString('utf8')).join('\n')}\n`);
  const props = { 'bootstrap.servers': o.brokers, acks: 'all', 'enable.idempotence': 'true', ...o.producerProps };
  const args = [
    '-Xms256M', '-Xmx512M', '-XX:+UseG1GC', '-Djava.awt.headless=true',
    '-cp', `${install.connectLibs}/*`, 'org.apache.kafka.tools.ProducerPerformance',
    '--topic', o.topic, '--num-records', String(o.records), '--throughput', '-1', '--payload-file', payloadFile,
    '--producer-props', ...Object.entries(props).map(([k, v]) => `${k}=${v}`),
  ];
  return ManagedProcess.launch({ command: await java(), args, cwd: o.dir, logFile: join(o.dir, 'producer-perf.log') });
}
