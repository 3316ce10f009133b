import { parseGtidState } from '../protocol/gtid.js';
import type { MysqlPosition } from '../protocol/position.js';
import type { ServerState } from './server-state.js';

/**
 * Why the server cannot stream from `p`, or null when it can. Run on every (re)connect, so a
 * purge, a RESET MASTER / RESET BINARY LOGS AND GTIDS or a failover to a server that lacks
 * our transactions is reported plainly instead of as a confusing dump error later.
 *
 * `sameServer` is false after the identity changed: binlog file:pos names are then meaningless.
 */
export function positionProblem(p: MysqlPosition, state: ServerState, sameServer: boolean): string | null {
  const flavor = state.identity.flavor;
  if (p.gtid_set !== null) {
    let ours;
    try {
      ours = parseGtidState(p.gtid_set, flavor);
    } catch (e) {
      return `the checkpoint's GTID state cannot be used on this server: ${(e as Error).message}`;
    }
    const server = parseGtidState(state.executed, flavor);
    const missing = ours.missingOn(server);
    if (missing.length > 0) return `the server's binlog does not hold the checkpoint's transactions (${missing.join('; ')}); it was reset, or is a server that never received them`;
    if (p.index >= 0 && p.gtid !== null && !server.covers(p.gtid)) return `the server never executed transaction ${p.gtid}, which the checkpoint is in the middle of`;
    if (flavor === 'mysql' && state.purged !== '') {
      const lostAlready = parseGtidState(state.purged, 'mysql').missingOn(ours);
      if (lostAlready.length > 0) return `the server purged binlogs holding transactions the checkpoint has not seen (gtid_purged ${state.purged})`;
    }
    return null;
  }
  if (!sameServer) return `the checkpoint is binlog ${p.file}:${p.pos} of another server (file:pos positions do not carry over a server change; enable GTIDs to follow failovers)`;
  const file = state.binlogs.find((b) => b.name === p.file);
  if (!file) return `binlog ${p.file} of the checkpoint is gone (purged, or RESET MASTER); the oldest is ${state.binlogs[0]?.name ?? 'none'}`;
  if (p.pos > file.size) return `binlog ${p.file} is ${file.size} bytes, shorter than the checkpoint offset ${p.pos} (RESET MASTER?)`;
  return null;
}
