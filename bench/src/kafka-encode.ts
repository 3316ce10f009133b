import { kafkaSinkConfig } from '@tidemark/engine/config/sinks';
import type { ChangeEvent } from '@tidemark/engine/event/index';
import { HeaderSlots } from '@tidemark/engine/sinks/kafka/confluent-client';
import { MessageBuilder } from '@tidemark/engine/sinks/kafka/messages';
import { MysqlChangeEvent } from '@tidemark/engine/sources/mysql/stream/change-event';
import type { BenchResult } from './report.js';

/**
 * The Kafka sink's own CPU per event, without a broker: MessageBuilder.build (topic, key, envelope
 * + JSON, metadata headers) and the header form librdkafka's binding takes, over MySQL-source
 * events like vs-debezium's rows (lazy event ids included: the headers pay for them). CPU time,
 * not wall time, so a busy machine disturbs it less. Batches of 10,000; envelopes native and
 * debezium; headers full, compact, none.
 */
export async function benchKafkaEncode(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 500_000;
  const results: BenchResult[] = [];
  for (const envelope of ['debezium', 'native'] as const) {
    for (const headers of ['full', 'compact', 'none'] as const) {
      const builder = new MessageBuilder(kafkaSinkConfig.parse({ id: 'k', brokers: 'x:1', topic: 'cdc.bench.orders', envelope, metadata_headers: headers }), { pipeline: 'bench', tenant: 'bench', maxMessageBytes: 1_000_000 });
      const slots = new HeaderSlots();
      const run = (batch: readonly ChangeEvent[]) => {
        let n = 0;
        for (const t of builder.build(batch).topics) for (const m of t.messages) n += slots.fill(m.headers).length + m.value.length;
        return n;
      };
      run(events(0, 10_000)); // warm-up
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let at = 0; at < total; at += 10_000) run(events(at, Math.min(10_000, total - at)));
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const us = (used.user + used.system) / total;
      results.push({ name: `kafka-encode ${envelope} envelope, ${headers} headers`, events: total, seconds, peakRssMb: process.memoryUsage.rss() / 1024 / 1024, notes: `${us.toFixed(2)} µs CPU/event` });
    }
  }
  return results;
}

const PRIMARY_KEY = ['id'];

/** Events as the MySQL source makes them (events are built outside the timed work only in part: making them is cheap next to encoding). */
function events(from: number, count: number): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  for (let i = from; i < from + count; i++) {
    const tx = Math.floor(i / 1000);
    const position = { server_id: 1, gtid: `0-1-${tx + 10}`, file: 'mysql-bin.000002', pos: 4 + i * 80, epoch: 0, gtid_set: `0-1-${tx + 10}`, index: i % 1000 };
    const after = { id: i + 1, customer: `customer-${(i + 1) % 1000}`, amount: `${((i + 1) % 10000) / 100}`, paid: (i + 1) % 2, created_at: '2024-01-02 03:04:05.678' };
    out.push(new MysqlChangeEvent('bench', { connector: 'mysql', name: 'bench', db: 'bench', table: 'orders', position }, 'c', null, after, { id: `0-1-${tx + 10}`, index: i % 1000, end: i % 1000 === 999 }, 1_700_000_000_000, 1, 120, PRIMARY_KEY, undefined));
  }
  return out;
}
