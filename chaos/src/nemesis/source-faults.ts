import type { DdlParams, Fault, NemesisContext } from './nemesis.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Binlog purge past the engine's checkpoint, as retention would do it: the engine is stopped,
 * the workload keeps writing for `gap_ms`, the binary logs are rotated and every older file is
 * purged, then the engine starts and must halt with `position lost`. A replica keeps following
 * (PURGE, unlike RESET MASTER, keeps the GTID history).
 */
export const binlogPurge: Fault = {
  kind: 'binlog-purge',
  async inject(ctx, _target, params) {
    if (ctx.source !== 'mysql') throw new Error('binlog-purge exists only for the MySQL family');
    await ctx.engine.stop();
    await sleep(Number(params.gap_ms ?? 2000));
    await purgeAllButCurrent(ctx);
    ctx.log('binlog-purge: every binlog but the newest purged while the engine was down');
    await ctx.engine.start();
    return null;
  },
};

async function purgeAllButCurrent(ctx: NemesisContext): Promise<void> {
  const primary = ctx.primary();
  await ctx.sql(primary, 'FLUSH BINARY LOGS');
  const [status] = await ctx.sql(primary, 'SHOW MASTER STATUS');
  const file = String(status?.File);
  // MariaDB keeps a file until its binlog checkpoint (and any replica) moved past it: retry.
  const deadline = Date.now() + 20_000;
  for (;;) {
    await ctx.sql(primary, `PURGE BINARY LOGS TO '${file.replace(/'/g, "''")}'`);
    const logs = await ctx.sql(primary, 'SHOW BINARY LOGS');
    if (logs.length === 1) return;
    if (Date.now() > deadline) throw new Error(`binlog-purge: ${logs.length} binlogs still there after PURGE BINARY LOGS TO '${file}'`);
    await sleep(200);
  }
}

/** Slot drop while the engine is down; on start it must halt with a clear error. */
export const slotDrop: Fault = {
  kind: 'slot-drop',
  async inject(ctx) {
    if (ctx.source !== 'postgres' || !ctx.slot) throw new Error('slot-drop needs a Postgres source and the pipeline slot name');
    await ctx.engine.stop();
    const primary = ctx.primary();
    // The walsender may outlive the engine by a moment; an active slot cannot be dropped.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await ctx.sql(primary, 'SELECT active FROM pg_replication_slots WHERE slot_name = $1', [ctx.slot]);
      if (rows.length === 0) throw new Error(`slot-drop: slot ${ctx.slot} does not exist on ${primary}`);
      if (rows[0]?.active !== true) break;
      if (Date.now() > deadline) throw new Error(`slot-drop: slot ${ctx.slot} still active 20 s after the engine stopped`);
      await sleep(100);
    }
    await ctx.sql(primary, 'SELECT pg_drop_replication_slot($1)', [ctx.slot]);
    ctx.log(`slot-drop: dropped ${ctx.slot} while the engine was down`);
    await ctx.engine.start();
    return null;
  },
};

/** Schema change under load, through the workload so its history knows the columns. */
export function ddlFault(change: 'add' | 'drop'): Fault {
  return {
    kind: `ddl-${change}-column`,
    async inject(ctx, _target, params) {
      if (!ctx.ddl) throw new Error('ddl faults need a workload that supports schema changes');
      ctx.log(`ddl: ${await ctx.ddl(change, params as DdlParams)}`);
      return null;
    },
  };
}
