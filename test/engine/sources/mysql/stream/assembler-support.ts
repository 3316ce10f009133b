import { MemoryCheckpointBackend } from '../../../../../engine/src/checkpoints/index.js';
import type { ChangeEvent } from '../../../../../engine/src/event/index.js';
import { compileTableFilter } from '../../../../../engine/src/sources/mysql/config/table-filter.js';
import { parseGtidState } from '../../../../../engine/src/sources/mysql/protocol/gtid.js';
import { resumePlan, type MysqlPosition } from '../../../../../engine/src/sources/mysql/protocol/position.js';
import { SchemaRegistry } from '../../../../../engine/src/sources/mysql/schema/schema-registry.js';
import type { BinlogInput } from '../../../../../engine/src/sources/mysql/stream/binlog-input.js';
import type { HandoffFilter } from '../../../../../engine/src/sources/mysql/stream/handoff-filter.js';
import { TableResolver } from '../../../../../engine/src/sources/mysql/stream/table-resolver.js';
import { TxAssembler, type SchemaChange } from '../../../../../engine/src/sources/mysql/stream/tx-assembler.js';

export const COLUMNS = [
  { name: 'id', type: 3 },
  { name: 'v', type: 3 },
];

/** A registry knowing `tables` of schema db with columns (id PK, v). */
export async function tablesFor(tables: readonly string[], options: { capture?: string[]; outbox?: string[] } = {}): Promise<{ resolver: TableResolver; registry: SchemaRegistry }> {
  const registry = new SchemaRegistry(new MemoryCheckpointBackend().forPipeline('p').kv, 'mysql:t');
  await registry.load();
  for (const table of tables) {
    await registry.register({ db: 'db', table, columns: [{ name: 'id', dataType: 'int', columnType: 'int(11)', nullable: false, charset: null }, { name: 'v', dataType: 'int', columnType: 'int(11)', nullable: true, charset: null }], primaryKey: ['id'] });
  }
  return { resolver: new TableResolver(compileTableFilter(options.capture ?? tables.map((t) => `db.${t}`), options.outbox ?? []), registry), registry };
}

export interface SimRow {
  readonly table: string;
  readonly op: 'c' | 'u' | 'd';
  readonly id: number;
}

/** A transaction: rows events, each of rows of one table and op. */
export type SimTx = SimRow[][];

export interface SimLog {
  readonly flavor: 'mariadb' | 'file';
  readonly txs: readonly SimTx[];
}

interface TxInputs {
  readonly gtid: string | null;
  readonly startPos: number;
  readonly inputs: BinlogInput[];
}

/** The binlog as a server would send it, transaction by transaction, with fresh row objects. */
export function render(log: SimLog): TxInputs[] {
  const out: TxInputs[] = [];
  let pos = 256;
  log.txs.forEach((tx, n) => {
    const startPos = pos;
    const inputs: BinlogInput[] = [];
    const gtid = log.flavor === 'mariadb' ? `0-1-${n + 1}` : null;
    pos += 42;
    inputs.push({ kind: 'gtid', gtid, serverId: log.flavor === 'mariadb' ? 1 : null, ts: 1000 * n, endPos: pos });
    if (log.flavor === 'file') {
      pos += 60;
      inputs.push({ kind: 'query', sql: 'BEGIN', schema: 'db', ts: 1000 * n, endPos: pos });
    }
    for (const group of tx) {
      const first = group[0]!;
      pos += 30 * group.length;
      inputs.push({
        kind: 'rows',
        op: first.op,
        db: 'db',
        table: first.table,
        columns: COLUMNS,
        rows: group.map((r) => (r.op === 'u' ? { before: { id: r.id, v: 0 }, after: { id: r.id, v: n } } : { id: r.id, v: n })),
        size: 30 * group.length,
        ts: 1000 * n,
      });
    }
    pos += 31;
    inputs.push({ kind: 'commit', ts: 1000 * n, endPos: pos });
    out.push({ gtid, startPos, inputs });
  });
  return out;
}

/** Runs an assembler over the log as a server would stream it from `from` (null: the beginning). */
export async function stream(log: SimLog, from: MysqlPosition | null, tables: readonly string[], handoff: HandoffFilter | null = null): Promise<ChangeEvent[]> {
  const { resolver } = await tablesFor(tables);
  const txs = render(log);
  const emitted: ChangeEvent[] = [];
  const start = from ?? { server_id: 1, gtid: null, file: 'bin.000001', pos: 4, epoch: 0, gtid_set: log.flavor === 'mariadb' ? '' : null, index: -1 };
  const plan = resumePlan(start);
  const assembler = new TxAssembler(
    { sourceId: 'src', tenant: 't', emit: (e) => emitted.push(e), tables: resolver, refreshSchemas: async (_c: SchemaChange) => {}, hold: () => {}, fail: (e) => { throw e; } },
    {
      epoch: 0,
      serverId: 1,
      gtid: start.gtid_set === null ? null : parseGtidState(start.gtid_set, 'mariadb'),
      file: start.file,
      pos: start.pos,
      skip: plan.skip === null ? null : { gtid: plan.skip.gtid, index: plan.skip.count - 1 },
      handoff,
    },
  );
  // What the server sends: everything not covered by the GTID state, or from the offset on.
  const covered = start.gtid_set === null || start.gtid_set === '' ? 0 : Number(start.gtid_set.split('-')[2]);
  const dumpFrom = start.gtid_set === null ? start.pos : 4;
  assembler.push({ kind: 'rotate', file: 'bin.000001', pos: dumpFrom });
  // A real format description when the dump starts at the head of the file, an artificial one (offset 0) otherwise.
  assembler.push({ kind: 'offset', endPos: dumpFrom === 4 ? 256 : 0 });
  for (const tx of txs) {
    if (start.gtid_set !== null ? Number(tx.gtid!.split('-')[2]) <= covered : tx.startPos < start.pos) continue;
    for (const input of tx.inputs) assembler.push(input);
  }
  return emitted;
}
