import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Topology } from '../../../chaos/src/infra/index.js';
import { mysqlSourceConfig } from '../../../engine/src/config/index.js';
import { silentLogger } from '../../../engine/src/logging/logger.js';
import { MysqlSource } from '../../../engine/src/sources/mysql/index.js';
import { admin, cdcDsn, FAST, startMariadb } from '../../engine/sources/mysql/harness.js';
import { sourceContract, type Row, type SourceTarget } from '../source-contract.js';

let topo: Topology;
let db: mysql.Connection;
beforeAll(async () => {
  topo = await startMariadb();
  db = await admin(topo);
}, 180_000);
afterAll(async () => {
  await db?.end();
  await topo?.down();
}, 120_000);

let streams = 0;
/** MariaDB through the binlog: own tables per stream, streaming from the binlog tail. It holds nothing on the server (no slots). */
const mariadb: () => SourceTarget = () => ({
  async open() {
    const u = `${process.pid}_${++streams}`;
    const tables = { a: `a_${u}`, b: `b_${u}` };
    for (const t of Object.values(tables)) await db.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, v INT NOT NULL)`);
    const config = mysqlSourceConfig.parse({ id: `contract_${u}`, dsn: cdcDsn(topo), tables: Object.values(tables).map((t) => `tidemark.${t}`) });
    return {
      make: () => new MysqlSource(config, { pipeline: 'contract', tenant: 't', logger: silentLogger() }, FAST),
      commit: async (txns) => {
        for (const rows of txns) {
          await db.query('BEGIN');
          for (const r of rows) await db.query(`INSERT INTO ${tables[r.table]} VALUES (${r.id}, ${r.v})`);
          await db.query('COMMIT');
        }
      },
      rowOf: (e) => ({ table: e.source.table.slice(0, 1) as Row['table'], id: Number((e.after as { id: unknown }).id), v: Number((e.after as { v: unknown }).v) }),
      close: async () => {
        for (const t of Object.values(tables)) await db.query(`DROP TABLE ${t}`);
      },
    };
  },
});

describe('mariadb source', () => sourceContract(mariadb));
