import fc from 'fast-check';
import { ENGINE_FAULTS, PROXY_FAULTS, type FaultKind, type NemesisStep, type ProxyTarget } from './faults.js';

export interface ScheduleOptions {
  /** Seconds of workload: every fault starts and heals within it. */
  readonly durationS: number;
  /** Proxies that may be faulted, e.g. ['source', 'kafka']. */
  readonly proxies: readonly ProxyTarget[];
  /** Servers that may be killed or restarted (none by default). */
  readonly servers?: readonly ProxyTarget[];
  /** Fault kinds to draw from; default RANDOM_FAULT_KINDS. */
  readonly kinds?: readonly FaultKind[];
  /** At most this many faults (default 6). */
  readonly maxFaults?: number;
  /** At most this many engine kills and terms (default 2). */
  readonly maxEngineKills?: number;
  /** Longest fault in seconds (default a third of the workload, at least 1). */
  readonly maxFaultS?: number;
}

/**
 * Faults after which a healthy engine must deliver everything: no purge, slot drop, failover
 * or DDL, which end in an expected halt or need a schema-aware workload.
 */
export const RANDOM_FAULT_KINDS: readonly FaultKind[] = [...PROXY_FAULTS, 'kill-engine', 'term-engine', 'kill-server', 'restart-server'];

/**
 * Sane fault schedules for property-based runs: which faults, on which proxy or process, when
 * and for how long. Faults on one target never overlap, all heal before the workload ends, and
 * engine kills are capped. Built by mapping raw draws through `saneSchedule`, so every shrunk
 * schedule fast-check tries is sane too.
 */
export function faultScheduleArbitrary(options: ScheduleOptions): fc.Arbitrary<NemesisStep[]> {
  const durationS = Math.floor(options.durationS);
  if (durationS < 1) throw new Error(`faultScheduleArbitrary: durationS must be at least 1 second, got ${options.durationS}`);
  const maxFaultS = Math.max(1, Math.floor(options.maxFaultS ?? durationS / 3));
  const servers = options.servers ?? [];
  const kinds = (options.kinds ?? RANDOM_FAULT_KINDS).filter((k) => {
    if ((PROXY_FAULTS as readonly string[]).includes(k)) return options.proxies.length > 0;
    if (k === 'kill-server' || k === 'restart-server') return servers.length > 0;
    return ENGINE_FAULTS.includes(k);
  });
  if (kinds.length === 0) return fc.constant([]);
  const timing = { at: fc.integer({ min: 0, max: durationS - 1 }), duration: fc.integer({ min: 1, max: maxFaultS }) };
  const step = fc.oneof(...kinds.map((kind) => stepArbitrary(kind, options.proxies, servers, timing)));
  return fc.array(step, { maxLength: options.maxFaults ?? 6 }).map((steps) => saneSchedule(steps, { durationS, maxEngineKills: options.maxEngineKills ?? 2 }));
}

type Timing = { at: fc.Arbitrary<number>; duration: fc.Arbitrary<number> };

function stepArbitrary(kind: FaultKind, proxies: readonly ProxyTarget[], servers: readonly ProxyTarget[], timing: Timing): fc.Arbitrary<NemesisStep> {
  const proxy = fc.constantFrom(...proxies);
  const stream = fc.constantFrom('downstream' as const, 'upstream' as const);
  const toxic = <P>(params: fc.Arbitrary<P>) => fc.record({ ...timing, target: proxy, params }).map((s) => ({ fault: kind, ...s }) as unknown as NemesisStep);
  switch (kind) {
    case 'partition':
      return toxic(fc.constant({}));
    case 'latency':
      return toxic(fc.record({ latency_ms: fc.integer({ min: 10, max: 2000 }), jitter_ms: fc.integer({ min: 0, max: 500 }), stream, toxicity: fc.constant(1) }));
    case 'bandwidth':
      return toxic(fc.record({ rate_kbps: fc.integer({ min: 1, max: 1000 }), stream, toxicity: fc.constant(1) }));
    case 'timeout':
    case 'reset_peer':
      return toxic(fc.record({ timeout_ms: fc.integer({ min: 0, max: 3000 }), stream, toxicity: fc.constant(1) }));
    case 'slicer':
      return toxic(
        fc.record({ average_size: fc.integer({ min: 1, max: 256 }), size_variation: fc.integer({ min: 0, max: 256 }), delay_us: fc.integer({ min: 0, max: 1000 }), stream, toxicity: fc.constant(1) }).map((p) => ({ ...p, size_variation: Math.min(p.size_variation, p.average_size - 1) })),
      );
    case 'limit_data':
      return toxic(fc.record({ bytes: fc.integer({ min: 1, max: 100_000 }), stream, toxicity: fc.constant(1) }));
    case 'slow_close':
      return toxic(fc.record({ delay_ms: fc.integer({ min: 1, max: 5000 }), stream, toxicity: fc.constant(1) }));
    case 'kill-engine':
    case 'term-engine':
      // duration: how long the engine stays down before the restart (0: at once).
      return fc.record({ at: timing.at, duration: fc.integer({ min: 0, max: 10 }) }).map((s) => ({ ...s, fault: kind, target: 'engine', params: {} }) as NemesisStep);
    case 'kill-server':
    case 'restart-server':
      return fc.record({ ...timing, target: fc.constantFrom(...servers) }).map((s) => ({ ...s, fault: kind, params: {} }) as NemesisStep);
    default:
      throw new Error(`faultScheduleArbitrary: ${kind} is not a fault for random schedules (choose from ${RANDOM_FAULT_KINDS.join(', ')})`);
  }
}

/**
 * Makes any list of steps sane: ordered by start; every fault heals by `durationS`; a fault
 * whose window overlaps an earlier one on the same target is dropped (an instant fault occupies
 * one second); engine kills beyond the cap are dropped.
 */
export function saneSchedule(steps: readonly NemesisStep[], limits: { durationS: number; maxEngineKills: number }): NemesisStep[] {
  const ordered = steps.map((s, i) => ({ s, i })).sort((a, b) => a.s.at - b.s.at || a.i - b.i);
  const busyUntil = new Map<string, number>();
  let kills = 0;
  const out: NemesisStep[] = [];
  for (const { s } of ordered) {
    if (s.at >= limits.durationS) continue;
    if ((busyUntil.get(s.target) ?? -1) > s.at) continue;
    if (ENGINE_FAULTS.includes(s.fault)) {
      if (kills >= limits.maxEngineKills) continue;
      kills++;
    }
    const duration = Math.min(s.duration, limits.durationS - s.at);
    busyUntil.set(s.target, s.at + Math.max(duration, 1));
    out.push({ ...s, duration } as NemesisStep);
  }
  return out;
}
