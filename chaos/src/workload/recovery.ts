import type { RowImage } from '../history/index.js';
import type { PlannedWrite, WriterModel } from './planner.js';
import type { SchemaModel } from './schema.js';
import type { Dialect } from './sql/dialect.js';
import type { SqlSession } from './sql/session.js';
import { decodeRow, selectKeyStatement } from './sql/statements.js';

/**
 * After a txn ended in fail or info, learns from the database what its keys hold, so the writer
 * plans from the truth and an info txn gets a resolution. First waits until the old server
 * session is gone: until then the server may still be committing or rolling it back.
 *
 * Returns `committed` / `rolled-back` when every key agrees, undefined when they disagree (the
 * database broke atomicity; the model takes what was read) or the old session did not go away in
 * time or before the workload halted (the keys are abandoned: never written again).
 */
export async function recoverKeys(
  session: SqlSession,
  old: Pick<SqlSession, 'id' | 'serverStartedAt'>,
  writes: readonly PlannedWrite[],
  ctx: { readonly dialect: Dialect; readonly schema: SchemaModel; readonly database: string; readonly model: WriterModel; readonly timeoutMs: number; readonly halted: AbortSignal },
): Promise<'committed' | 'rolled-back' | undefined> {
  if (!(await waitSessionGone(session, old, ctx))) {
    for (const w of writes) ctx.model.abandon(w.version.table, w.slot);
    return undefined;
  }
  let committed = true;
  let rolledBack = true;
  for (const w of writes) {
    const table = ctx.schema.table(w.version.table);
    const keyImage = (w.version.after ?? w.version.before) as RowImage;
    const { sql, params } = selectKeyStatement(ctx.dialect, ctx.database, table, keyImage);
    const raw = (await session.query(sql, params))[0];
    const found = raw ? decodeRow(ctx.dialect, table, raw) : null;
    committed &&= sameVersion(found, w.version.after);
    rolledBack &&= sameVersion(found, w.version.before);
    ctx.model.reset(table.name, w.slot, found);
  }
  if (committed === rolledBack) return undefined;
  return committed ? 'committed' : 'rolled-back';
}

function sameVersion(found: RowImage | null, expected: RowImage | null): boolean {
  return found === null || expected === null ? found === expected : found.version === expected.version;
}

async function waitSessionGone(
  session: SqlSession,
  old: Pick<SqlSession, 'id' | 'serverStartedAt'>,
  ctx: { readonly dialect: Dialect; readonly timeoutMs: number; readonly halted: AbortSignal },
): Promise<boolean> {
  // A restarted server has none of the old sessions, and reuses their ids (MariaDB counts from 1 again).
  if (Math.abs(session.serverStartedAt - old.serverStartedAt) > SAME_START_TOLERANCE_MS) return true;
  const deadline = Date.now() + ctx.timeoutMs;
  while ((await session.query(ctx.dialect.sessionExists, [old.id])).length > 0) {
    if (Date.now() > deadline || ctx.halted.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** MariaDB's start time is derived from its uptime in whole seconds. */
const SAME_START_TOLERANCE_MS = 2000;
