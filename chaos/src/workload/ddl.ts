import type { SchemaChange } from '../history/index.js';
import type { Gate } from './pacing.js';
import type { HistoryRecorder } from './recorder.js';
import { SchemaModel, type ColumnDef } from './schema.js';
import type { Dialect } from './sql/dialect.js';
import { connectSession, type ConnectionOptions } from './sql/session.js';
import { addColumnStatement, dropColumnStatement } from './sql/statements.js';

export type DdlChange =
  | { readonly table: string; readonly change: 'add'; readonly column: ColumnDef }
  | { readonly table: string; readonly change: 'drop'; readonly column: string };

export interface DdlContext {
  readonly connection: ConnectionOptions;
  readonly database: string;
  readonly dialect: Dialect;
  readonly schema: SchemaModel;
  readonly recorder: HistoryRecorder;
  readonly gate: Gate;
  readonly statementTimeoutMs: number;
}

/**
 * Adds or drops a column while the workload runs. Writers pause (running txns finish, new ones
 * wait) for the length of the ALTER, so each txn ran wholly on the old or wholly on the new
 * schema and its row images in the history are exact. Returns the recorded change.
 */
export async function runDdl(ctx: DdlContext, ddl: DdlChange): Promise<SchemaChange> {
  applyTo(new SchemaModel(ctx.schema.all), ddl); // validates before anything is paused or altered
  const table = ctx.schema.table(ddl.table);
  const statement =
    ddl.change === 'add' ? addColumnStatement(ctx.dialect, ctx.database, table, ddl.column) : dropColumnStatement(ctx.dialect, ctx.database, table, ddl.column);
  const session = await connectSession(ctx.dialect.source, ctx.connection, { label: 'tidemark-workload-ddl', statementTimeoutMs: ctx.statementTimeoutMs });
  try {
    await ctx.gate.close();
    try {
      await session.execute(statement.sql);
      applyTo(ctx.schema, ddl);
      const change: SchemaChange = {
        table: ddl.table,
        change: ddl.change,
        column: ddl.change === 'add' ? ddl.column.name : ddl.column,
        ...(ddl.change === 'add' ? { sqlType: ctx.dialect.columnType(ddl.column) } : {}),
        at: Date.now(),
        firstTxnId: ctx.recorder.peekNextId,
      };
      ctx.recorder.schemaChange(change);
      return change;
    } finally {
      ctx.gate.open();
    }
  } finally {
    await session.close();
  }
}

function applyTo(schema: SchemaModel, ddl: DdlChange): void {
  if (ddl.change === 'add') schema.addColumn(ddl.table, ddl.column);
  else schema.dropColumn(ddl.table, ddl.column);
}
