import { afterAll, beforeAll, describe } from 'vitest';
import { parseLsn } from '../../../engine/src/sources/postgres/lsn.js';
import { PostgresSource } from '../../../engine/src/sources/postgres/index.js';
import { cleanup, inTransaction, slotRow, sourceConfig, startPostgres, statusReplies, uniqueName, type PgFixture } from '../../engine/sources/postgres/harness.js';
import { waitFor } from '../../support/poll.js';
import { sourceContract, type Row, type SourceStream, type SourceTarget } from '../source-contract.js';

let pg: PgFixture;
beforeAll(async () => {
  pg = await startPostgres();
}, 180_000);
afterAll(() => pg?.stop(), 120_000);

/** Postgres through pgoutput: own tables, publication and slot per stream; the slot is created up front so its start is known. */
const postgres: () => SourceTarget = () => {
  const configs = new WeakMap<SourceStream, ReturnType<typeof sourceConfig>>();
  return {
    async open() {
      const u = uniqueName('c');
      const tables = { a: `a_${u}`, b: `b_${u}` };
      for (const t of Object.values(tables)) await pg.sql(`CREATE TABLE ${t} (id int PRIMARY KEY, v int NOT NULL)`);
      const config = sourceConfig(pg, { tables: Object.values(tables), status_interval_secs: 1 });
      await pg.sql(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [config.slot]);
      const stream: SourceStream = {
        make: () => new PostgresSource(config),
        commit: async (txns) => {
          for (const rows of txns) await inTransaction(pg, rows.map((r) => `INSERT INTO ${tables[r.table]} VALUES (${r.id}, ${r.v})`));
        },
        rowOf: (e) => ({ table: e.source.table.slice(0, 1) as Row['table'], id: (e.after as { id: number }).id, v: (e.after as { v: number }).v }),
        close: async () => {
          await waitFor('the slot to be released', async () => (await slotRow(pg, config.slot))?.active === false);
          await cleanup(pg, config);
          for (const t of Object.values(tables)) await pg.sql(`DROP TABLE ${t}`);
        },
      };
      configs.set(stream, config);
      return stream;
    },
    serverPosition: {
      held: async (stream) => parseLsn((await slotRow(pg, configs.get(stream)!.slot))!.confirmed_flush_lsn),
      // Read off the position itself, not through the engine's own helper: the commit's end LSN of a covered transaction.
      releasable: (p) => parseLsn((p as { end?: string; lsn: string }).end ?? (p as { lsn: string }).lsn),
      chancesToReport: async (stream) => void (await statusReplies(pg, `tidemark:${configs.get(stream)!.id}`, 3)),
    },
  };
};

describe('postgres source', () => sourceContract(postgres));
