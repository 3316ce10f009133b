import { mysqlOptions, pgOptions, type Topology } from '@tidemark/chaos/infra/index';
import type { Position } from '@tidemark/engine/event/index';
import mysql from 'mysql2/promise';
import { createBenchTable, load } from '../source-mysql.js';
import { loadBacklog } from '../source-postgres.js';

export type SourceKind = 'mysql' | 'postgres';

/** One backlog on one server, and how each system is pointed at it. */
export interface Backlog {
  readonly source: SourceKind;
  readonly rows: number;
  readonly loadSeconds: number;
  /** Debezium's connector properties, minus name/class/topic prefix/batching (the runner adds those). */
  readonly debezium: Record<string, string>;
  /** The topic Debezium writes: `<topic.prefix>.<db or schema>.<table>`. */
  debeziumTopic(prefix: string): string;
  /** Tidemark's source spec for one pipeline (each gets its own slot on Postgres). */
  tidemarkSource(variant: string): { type: SourceKind; config: { id: string } & Record<string, unknown> };
  /** MySQL: the checkpoint just before the backlog; Postgres: undefined (the slot is the position). */
  readonly resumeFrom?: Position;
}

const TABLE = 'bench_multi_row';
const DEBEZIUM_SLOT = 'dbz_slot';
const tidemarkSlot = (variant: string) => `tidemark_${variant.replace(/[^a-z0-9]/g, '_')}`;

/**
 * Writes `rows` rows in 1,000-row transactions before any system starts, with the loaders of the
 * source benchmarks. MariaDB: binlogs are purged first, so a connector that reads "from the start
 * of the binlog" (Debezium with snapshot.mode=never) starts at this table's CREATE. Postgres: the
 * publication and one slot per system exist before the load, so each decodes the whole backlog.
 */
export async function writeBacklog(source: SourceKind, topology: Topology, rows: number, tidemarkVariants: readonly string[]): Promise<Backlog> {
  return source === 'mysql' ? mysqlBacklog(topology, rows) : postgresBacklog(topology, rows, tidemarkVariants);
}

async function mysqlBacklog(topology: Topology, rows: number): Promise<Backlog> {
  const server = topology.get('mysql').info();
  const admin = mysqlOptions(server, 'direct', 'admin');
  const db = await mysql.createConnection({ ...admin, multipleStatements: true });
  try {
    await db.query('FLUSH BINARY LOGS');
    const [[status]] = (await db.query('SHOW MASTER STATUS')) as unknown as [[{ File: string }]];
    await db.query(`PURGE BINARY LOGS TO '${status.File}'`);
    await createBenchTable(db, TABLE);
    const [[{ gtid }]] = (await db.query('SELECT @@GLOBAL.gtid_binlog_pos AS gtid')) as unknown as [[{ gtid: string }]];
    const started = performance.now();
    await load(db, TABLE, 'multi-row', rows);
    const loadSeconds = (performance.now() - started) / 1000;
    const cdc = mysqlOptions(server, 'direct', 'cdc');
    const [[{ serverId }]] = (await db.query('SELECT @@server_id AS serverId')) as unknown as [[{ serverId: number }]];
    return {
      source: 'mysql',
      rows,
      loadSeconds,
      debezium: {
        'database.hostname': cdc.host,
        'database.port': String(cdc.port),
        'database.user': cdc.user,
        'database.password': cdc.password,
        'database.server.id': '184054',
        'database.include.list': cdc.database,
        'table.include.list': `${cdc.database}.${TABLE}`,
        'snapshot.mode': 'never',
      },
      debeziumTopic: (prefix) => `${prefix}.${cdc.database}.${TABLE}`,
      tidemarkSource: () => ({
        type: 'mysql',
        config: { id: 'bench', dsn: `mysql://${cdc.user}:${cdc.password}@${cdc.host}:${cdc.port}/${cdc.database}`, tables: [`${cdc.database}.${TABLE}`] },
      }),
      resumeFrom: { server_id: serverId, gtid: null, file: '', pos: 4, epoch: 0, gtid_set: gtid, index: -1 },
    };
  } finally {
    await db.end();
  }
}

async function postgresBacklog(topology: Topology, rows: number, tidemarkVariants: readonly string[]): Promise<Backlog> {
  const o = pgOptions(topology.get('postgres').info(), 'direct');
  const loadSeconds = await loadBacklog(o, rows, [DEBEZIUM_SLOT, ...tidemarkVariants.map(tidemarkSlot)]);
  const dsn = `postgres://${o.user}${o.password ? `:${o.password}` : ''}@${o.host}:${o.port}/${o.database}`;
  return {
    source: 'postgres',
    rows,
    loadSeconds,
    debezium: {
      'database.hostname': o.host,
      'database.port': String(o.port),
      'database.user': o.user,
      'database.password': o.password ?? '',
      'database.dbname': o.database,
      'plugin.name': 'pgoutput',
      'slot.name': DEBEZIUM_SLOT,
      'publication.name': 'bench_pub',
      'publication.autocreate.mode': 'disabled',
      'table.include.list': 'public.bench_orders',
      'snapshot.mode': 'no_data',
    },
    debeziumTopic: (prefix) => `${prefix}.public.bench_orders`,
    tidemarkSource: (variant) => ({
      type: 'postgres',
      config: { id: 'bench', dsn, slot: tidemarkSlot(variant), publication: 'bench_pub', tables: ['public.bench_orders'], create_slot: false, create_publication: false },
    }),
  };
}
