import type { Outcome } from '../history/index.js';
import type { PlannedWrite } from './planner.js';
import type { SchemaModel } from './schema.js';
import type { Dialect } from './sql/dialect.js';
import { describeError, type SqlSession } from './sql/session.js';
import { writeStatement } from './sql/statements.js';

export interface TxnResult {
  readonly outcome: Outcome;
  readonly error?: string;
}

/**
 * Runs one planned txn and classifies it, Jepsen-style:
 * - `ok`   COMMIT returned;
 * - `fail` an error before COMMIT was sent: the server cannot have committed (it rolls back
 *          when the statement fails or the connection goes);
 * - `info` any error while COMMIT was in flight: it may or may not have committed.
 * After anything but ok the caller must discard the session.
 */
export async function executeTxn(
  session: SqlSession,
  dialect: Dialect,
  schema: SchemaModel,
  database: string,
  writes: readonly PlannedWrite[],
  /** Statements to run instead of one per write (a multi-row INSERT), with the rows each must affect. */
  statement?: { readonly sql: string; readonly params: readonly unknown[]; readonly affected: number },
): Promise<TxnResult> {
  let committing = false;
  try {
    await session.execute(dialect.begin);
    if (statement) {
      const affected = await session.execute(statement.sql, statement.params);
      if (affected !== statement.affected) throw new Error(`a multi-row statement affected ${affected} rows, expected ${statement.affected}`);
    }
    for (const { version } of statement ? [] : writes) {
      const { sql, params } = writeStatement(dialect, database, schema.table(version.table), version);
      const affected = await session.execute(sql, params);
      if (affected !== 1) {
        throw new Error(`${version.op} of ${version.table} ${version.key} v${version.version} affected ${affected} rows, expected 1: the writer's model of its keys is out of step with the database`);
      }
    }
    committing = true;
    await session.execute(dialect.commit);
    return { outcome: 'ok' };
  } catch (err) {
    return { outcome: committing ? 'info' : 'fail', error: describeError(err) };
  }
}
