import { sinkCheckpointKey } from '@tidemark/engine/checkpoints/index';
import { mysqlSourceConfig } from '@tidemark/engine/config/index';
import { MysqlSource, type MysqlPosition } from '@tidemark/engine/sources/mysql/index';
import { mysqlOptions, startTopology, type ServiceInfo } from '@tidemark/chaos/infra/index';
import { silentLogger } from '@tidemark/engine/logging/logger';
import ZongJi from '@vlasky/zongji';
import mysql from 'mysql2/promise';
import { loadavg } from 'node:os';
import { drainToNullSink } from './drain.js';
import { withPeakRss, type BenchResult } from './report.js';

const TX_ROWS = 1000;

/**
 * Drains a pre-written binlog backlog through the real MySQL source on a private MariaDB:
 * `events` rows written first in transactions of 1,000 rows, then as single-row transactions,
 * each case replayed from the GTID state before its load through source -> coordinator
 * (batches of 2,000, respect_source_tx) -> null sink.
 */
export async function benchSourceMysql(args: { events?: number }): Promise<BenchResult[]> {
  const total = args.events ?? 1_000_000;
  const topology = await startTopology(['mysql'], { provider: 'native' });
  try {
    const server = topology.get('mysql').info();
    const db = await mysql.createConnection({ ...mysqlOptions(server, 'direct', 'admin'), multipleStatements: true });
    const results: BenchResult[] = [];
    for (const shape of ['multi-row', 'single-row'] as const) {
      const table = `bench_${shape.replace('-', '_')}`;
      await createBenchTable(db, table);
      const [[{ gtid }]] = (await db.query('SELECT @@GLOBAL.gtid_binlog_pos AS gtid')) as unknown as [[{ gtid: string }]];
      const loadStarted = performance.now();
      await load(db, table, shape, total);
      const loadSeconds = (performance.now() - loadStarted) / 1000;
      results.push(await decoderOnly(server, table, gtid, total, shape));
      const result = await drain(server, table, gtid, total, shape);
      results.push({ ...result, notes: `${result.notes}; load ${loadSeconds.toFixed(1)} s` });
    }
    await db.end();
    return results;
  } finally {
    await topology.down();
  }
}

/** The table every MySQL benchmark writes: five columns of common types. */
export async function createBenchTable(db: mysql.Connection, table: string): Promise<void> {
  await db.query(`CREATE TABLE ${table} (id BIGINT PRIMARY KEY, customer VARCHAR(32) NOT NULL, amount DECIMAL(12,2) NOT NULL, paid TINYINT NOT NULL, created_at DATETIME(3) NOT NULL)`);
}

/** Writes rows 1..total: multi-row = transactions of 1,000 rows; single-row = one per row. */
export async function load(db: mysql.Connection, table: string, shape: 'multi-row' | 'single-row', total: number): Promise<void> {
  const row = (id: string) => `${id}, CONCAT('customer-', ${id} % 1000), (${id} % 10000) / 100, ${id} % 2, '2024-01-02 03:04:05.678'`;
  if (shape === 'multi-row') {
    for (let start = 1; start <= total; start += TX_ROWS) {
      const end = Math.min(total, start + TX_ROWS - 1);
      await db.query(`INSERT INTO ${table} SELECT ${row('seq')} FROM seq_${start}_to_${end}`);
    }
    return;
  }
  // A server-side loop: one autocommitted transaction per row without a round trip each.
  await db.query(`CREATE PROCEDURE load_${table}(n INT) BEGIN DECLARE i INT DEFAULT 1; WHILE i <= n DO INSERT INTO ${table} VALUES (${row('i')}); SET i = i + 1; END WHILE; END`);
  await db.query(`CALL load_${table}(${total})`);
}

async function drain(server: ServiceInfo, table: string, gtid: string, total: number, shape: string): Promise<BenchResult> {
  const o = mysqlOptions(server, 'direct', 'cdc');
  const source = new MysqlSource(mysqlSourceConfig.parse({ id: 'bench', dsn: `mysql://${o.user}:${o.password}@${o.host}:${o.port}/${o.database}`, tables: [`${o.database}.${table}`] }), {
    pipeline: 'bench',
    tenant: 'bench',
    logger: silentLogger(),
  });
  // The checkpoint a previous run would have left just before the backlog.
  const before: MysqlPosition = { server_id: 1, gtid: null, file: '', pos: 4, epoch: 0, gtid_set: gtid, index: -1 };
  const cpu = process.cpuUsage();
  const { seconds, peakRssMb, batches } = await drainToNullSink(source, total, (store, sink) => store.save([{ key: sinkCheckpointKey('bench', sink.id), position: before }]));
  return { name: `source-mysql ${shape} transactions`, events: total, seconds, peakRssMb, notes: `${batches} batches; ${cpuNote(cpu, total)}` };
}

/** The decoder alone, same options and start, rows counted and dropped: the ceiling for the source. */
async function decoderOnly(server: ServiceInfo, table: string, gtid: string, total: number, shape: string): Promise<BenchResult> {
  const zongji = new ZongJi({ ...mysqlOptions(server, 'direct', 'cdc'), dateStrings: true, timezone: 'Z', jsonStrings: true, supportBigNumbers: true });
  const cpu = process.cpuUsage();
  const { value: seconds, peakRssMb } = await withPeakRss(
    () =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        let rows = 0;
        zongji.on('binlog', (e) => {
          const batch = (e as { rows?: unknown[] }).rows;
          if (batch && (rows += batch.length) >= total) resolve((performance.now() - started) / 1000);
        });
        zongji.on('error', reject);
        zongji.start({ serverId: 4242, gtidSet: gtid, includeEvents: ['rotate', 'mariadbgtid', 'tablemap', 'writerows', 'xid'], includeSchema: { [server.credentials!.database]: [table] } });
      }),
  );
  zongji.stop();
  return { name: `  zongji decoder alone, ${shape}`, events: total, seconds, peakRssMb, notes: cpuNote(cpu, total) };
}

/** CPU time of this process: on a shared machine, wall time alone says little. */
function cpuNote(since: NodeJS.CpuUsage, events: number): string {
  const used = process.cpuUsage(since);
  const seconds = (used.user + used.system) / 1e6;
  return `${seconds.toFixed(1)} CPU s, ${Math.round(events / seconds).toLocaleString('en-US')} events per CPU s; load avg ${loadavg()[0]!.toFixed(1)}`;
}
