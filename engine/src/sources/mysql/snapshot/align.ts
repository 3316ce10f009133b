import { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { MysqlDsn } from '../config/dsn.js';
import type { Flavor } from '../protocol/gtid.js';
import type { Control, Timeouts } from '../server/control.js';
import { readBinlogHead } from '../server/server-state.js';
import type { TableSchema } from '../schema/table-schema.js';
import type { StoredPoint } from './snapshot-record.js';
import { quoteIdent, SnapshotWorker } from './snapshot-worker.js';

export interface AlignedWorkers {
  readonly workers: SnapshotWorker[];
  /** Each worker's hand-over point: its snapshot contains exactly the binlog up to there. */
  readonly points: StoredPoint[];
}

/**
 * Opens `count` workers, each in a consistent snapshot, and finds the binlog point of each.
 *
 * MariaDB tells every session the binlog position of its snapshot, so workers need no lock and
 * may differ. MySQL does not: there the workers start their snapshots while a short global read
 * lock (or LOCK TABLES on the captured tables) holds writes back, and share the head position.
 */
export async function openAlignedWorkers(o: {
  readonly dsn: MysqlDsn;
  readonly timeouts: Timeouts;
  readonly control: Control;
  readonly flavor: Flavor;
  readonly usesGtids: boolean;
  readonly serverId: number;
  readonly count: number;
  readonly tables: readonly TableSchema[];
  readonly logger: Logger;
}): Promise<AlignedWorkers> {
  const workers: SnapshotWorker[] = [];
  try {
    for (let i = 0; i < o.count; i++) workers.push(await SnapshotWorker.open(o.dsn, o.timeouts));
    if (o.flavor === 'mariadb') {
      const points: StoredPoint[] = [];
      for (const w of workers) {
        await w.begin();
        points.push(await w.mariadbPoint(o.serverId));
      }
      return { workers, points };
    }
    await lockWrites(o.control, o.tables, o.logger);
    try {
      for (const w of workers) await w.begin();
      const head = await readBinlogHead(o.control, o.flavor);
      const point: StoredPoint = { serverId: o.serverId, gtidSet: o.usesGtids ? (head.executedGtidSet ?? '') : null, file: head.file, pos: head.pos };
      return { workers, points: workers.map(() => point) };
    } finally {
      await o.control.query('UNLOCK TABLES');
    }
  } catch (e) {
    await Promise.allSettled(workers.map((w) => w.close()));
    throw e;
  }
}

async function lockWrites(control: Control, tables: readonly TableSchema[], logger: Logger): Promise<void> {
  try {
    await control.query('FLUSH TABLES WITH READ LOCK');
    return;
  } catch (e) {
    logger.info({ err: e }, 'FLUSH TABLES WITH READ LOCK refused; trying LOCK TABLES on the captured tables');
  }
  try {
    if (tables.length > 0) await control.query(`LOCK TABLES ${tables.map((t) => `${quoteIdent(t.db)}.${quoteIdent(t.table)} READ`).join(', ')}`);
  } catch (e) {
    throw new TidemarkError('TIDEMARK_ERR_MYSQL_SNAPSHOT_LOCK', `could not hold writes back while the snapshot workers start (FLUSH TABLES WITH READ LOCK and LOCK TABLES were refused): ${(e as Error).message}`, { cause: e });
  }
}
