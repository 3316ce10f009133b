import type { ReplicaName } from '../infra/index.js';
import type { Fault, NemesisContext } from './nemesis.js';

const REPLICA_OF = { mysql: 'mysql-b', postgres: 'postgres-b' } as const satisfies Record<string, ReplicaName>;

/**
 * A planned switchover to the family's replica. The workload's writes are stopped on the old
 * primary first (its proxy goes down and its sessions are killed, so nothing can commit there
 * later), the replica catches up, is promoted, and both the engine's proxy and the workload's
 * are pointed at it. So every acknowledged write exists on the new primary:
 * - MariaDB: the engine must FOLLOW (its GTID position is on the new server), with no loss;
 * - Postgres 15: logical slots do not move to a promoted standby, the engine must halt clearly.
 */
export const failover: Fault = {
  kind: 'failover',
  async inject(ctx) {
    const replica = REPLICA_OF[ctx.source];
    if (ctx.primary() === replica) throw new Error(`failover: ${replica} is already the primary; a second failover needs a fresh replica pair (run it in its own invocation)`);
    await quiesceWorkload(ctx);
    await waitReplicaCaughtUp(ctx, replica);
    const handle = ctx.topology.get(replica);
    await handle.promote();
    await ctx.topology.toxiproxy.switchUpstream(ctx.source, handle.direct);
    if (ctx.workloadProxy) {
      await ctx.topology.toxiproxy.switchUpstream(ctx.workloadProxy, handle.direct);
      await ctx.topology.toxiproxy.up(ctx.workloadProxy);
    }
    ctx.onPromoted?.(replica);
    ctx.log(`failover: ${replica} promoted; proxies now forward to it`);
    return null;
  },
};

/** No workload write can commit on the old primary after this returns. */
async function quiesceWorkload(ctx: NemesisContext): Promise<void> {
  if (!ctx.workloadProxy) {
    ctx.log('failover: the workload writes directly to the old primary; writes after the promotion are lost to the new one');
    return;
  }
  await ctx.topology.toxiproxy.down(ctx.workloadProxy);
  const primary = ctx.primary();
  // The harness's admin user is the workload's; the engine connects as another user (MariaDB)
  // or under its own application name (Postgres).
  const find =
    ctx.source === 'mysql'
      ? "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1) AND ID <> CONNECTION_ID() AND COMMAND NOT LIKE 'Binlog Dump%'"
      : "SELECT pid AS id FROM pg_stat_activity WHERE application_name LIKE 'tidemark-workload%' AND pid <> pg_backend_pid()";
  const deadline = Date.now() + 15_000;
  for (;;) {
    const sessions = await ctx.sql(primary, find);
    if (sessions.length === 0) return;
    if (Date.now() > deadline) throw new Error(`failover: ${sessions.length} workload sessions still open on ${primary} after 15 s`);
    for (const { id } of sessions) {
      const kill = ctx.source === 'mysql' ? `KILL CONNECTION ${Number(id)}` : `SELECT pg_terminate_backend(${Number(id)})`;
      await ctx.sql(primary, kill).catch(() => undefined); // it may have gone by itself
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitReplicaCaughtUp(ctx: NemesisContext, replica: ReplicaName): Promise<void> {
  const primary = ctx.primary();
  if (ctx.source === 'mysql') {
    const [row] = await ctx.sql(primary, 'SELECT @@gtid_binlog_pos AS pos');
    const pos = String(row?.pos ?? '');
    const [wait] = await ctx.sql(replica, 'SELECT MASTER_GTID_WAIT(?, 30) AS r', [pos]);
    if (Number(wait?.r) !== 0) throw new Error(`failover: ${replica} did not reach GTID ${pos} within 30 s`);
    ctx.log(`failover: ${replica} holds GTID ${pos}`);
    return;
  }
  const [row] = await ctx.sql(primary, 'SELECT pg_current_wal_lsn()::text AS lsn');
  const lsn = String(row?.lsn);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [r] = await ctx.sql(replica, 'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]);
    if (r?.ok === true) break;
    if (Date.now() > deadline) throw new Error(`failover: ${replica} did not replay up to ${lsn} within 30 s`);
    await new Promise((res) => setTimeout(res, 100));
  }
  ctx.log(`failover: ${replica} replayed up to ${lsn}`);
}
