import type { ScheduledFault } from '../nemesis/index.js';
import { SOAK_FAULT_KINDS, type Scenario } from '../scenarios/index.js';
import { Rng } from '../workload/rng.js';

/** Servers a soak may kill or restart: their acknowledged data survives (NATS may lose unflushed messages). */
const SERVERS = ['source', 'kafka', 'redis'] as const;
const PROXY_FAULTS = new Set(['partition', 'latency', 'bandwidth', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'slow_close']);
const HTTP_FAULTS = new Set(['http-error', 'http-slow', 'http-reset']);

/**
 * A soak's faults, drawn from the seed: one every `every` seconds (uniform in [min, max]), each
 * lasting `duration` (uniform), of a kind drawn from `kinds` (default: the whole nemesis but
 * what ends in a halt) on a target that kind accepts: a proxy of the source or of an attached
 * sink, the engine, a server. Schema changes add a column and drop it again in turn. Every
 * fault heals before the workload ends; faults on one target do not overlap. A soak that
 * requires `engine-restarted` always gets a SIGKILL of the engine: drawn among the other kinds,
 * 37% of 10-minute seeds (6% of 30-minute ones) had none, and so proved nothing about restarts.
 */
export function soakSchedule(scenario: Scenario, seed: number): ScheduledFault[] {
  const faults = scenario.soak?.faults;
  if (!faults) return [];
  const rng = new Rng(seed ^ 0x50a4);
  const sinks = (['kafka', 'redis', 'nats', 'http'] as const).filter((k) => scenario.sinks[k] !== undefined);
  const proxies = ['source', ...sinks];
  const kinds = (faults.kinds ?? SOAK_FAULT_KINDS).filter((k) => (HTTP_FAULTS.has(k) ? sinks.includes('http') : !(k.startsWith('ddl') && scenario.tpcc)));
  const end = scenario.workload.duration;
  /** A fault's length, drawn, cut so that it heals before the workload ends. */
  const drawDuration = (at: number) => Math.min(Math.round(draw(rng, faults.duration)), Math.floor(end - at - 1));
  const busyUntil = new Map<string, number>();
  const out: ScheduledFault[] = [];
  let added = 0;
  let dropped = 0;
  for (let at = draw(rng, faults.every); at < end - 1; at += draw(rng, faults.every)) {
    const kind = rng.pick(kinds);
    const targets = PROXY_FAULTS.has(kind) ? proxies : kind === 'kill-server' || kind === 'restart-server' ? SERVERS.filter((t) => t === 'source' || sinks.includes(t as 'kafka')) : HTTP_FAULTS.has(kind) ? ['http'] : kind === 'kill-engine' ? ['engine'] : ['source'];
    const free = targets.filter((t) => (busyUntil.get(t) ?? 0) <= at);
    if (free.length === 0) continue;
    const target = rng.pick(free);
    const instant = kind.startsWith('ddl');
    const duration = instant ? 0 : drawDuration(at);
    if (!instant && duration < 1) continue;
    let params: Record<string, unknown> = {};
    if (kind === 'ddl-add-column') params = { table: 'chaos_accounts', column: `soak_${++added}`, type: 'varchar(40)' };
    if (kind === 'ddl-drop-column') {
      if (dropped >= added) continue; // nothing added to drop yet
      params = { table: 'chaos_accounts', column: `soak_${++dropped}` };
    }
    busyUntil.set(target, at + Math.max(duration, 1));
    out.push({ at: Math.round(at), fault: kind, target, duration, params });
  }
  if (scenario.requires?.includes('engine-restarted') && kinds.includes('kill-engine') && !out.some((f) => f.fault === 'kill-engine')) {
    // Only kill-engine targets the engine, so this overlaps no other fault on its target.
    const at = Math.round(end * (0.25 + 0.5 * rng.next()));
    const duration = Math.max(1, drawDuration(at));
    out.push({ at, fault: 'kill-engine', target: 'engine', duration, params: {} });
    out.sort((a, b) => a.at - b.at);
  }
  return out;
}

function draw(rng: Rng, r: { min: number; max: number }): number {
  return r.min + rng.next() * (r.max - r.min);
}
