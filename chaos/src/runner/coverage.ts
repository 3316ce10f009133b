import { ALL_CHECKER_NAMES } from '../checkers/registry.js';
import { PROXY_FAULTS, SOAK_FAULT_KINDS, type LoadedScenario, type Scenario } from '../scenarios/index.js';
import { LONG_TAG, TEMPLATE_TAG } from './plan.js';

const TARGETS = ['source', 'engine', 'kafka', 'redis', 'nats', 'http', 'registry'] as const;
/** The seven Toxiproxy toxics (`partition` disables a proxy; it is not a toxic). */
const TOXICS = PROXY_FAULTS.filter((f) => f !== 'partition');

/** Where each fault of a scenario lands; a soak draws from its kinds on every target they accept. */
export function faultsByTarget(s: Scenario): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (target: string, fault: string) => {
    const t = target === 'mysql' || target === 'postgres' ? 'source' : target === 'schema-registry' ? 'registry' : target;
    if (!out.has(t)) out.set(t, new Set());
    out.get(t)!.add(fault);
  };
  for (const n of s.nemesis) add(n.target, n.fault);
  if (s.soak?.faults) {
    const sinks = (['kafka', 'redis', 'nats', 'http'] as const).filter((k) => s.sinks[k]);
    for (const kind of s.soak.faults.kinds ?? SOAK_FAULT_KINDS) {
      if ((PROXY_FAULTS as readonly string[]).includes(kind)) for (const t of ['source', ...sinks]) add(t, `${kind}*`);
      else if (kind === 'kill-engine') add('engine', `${kind}*`);
      else if (kind.startsWith('http-')) sinks.includes('http') && add('http', `${kind}*`);
      else if (kind === 'kill-server' || kind === 'restart-server') for (const t of ['source', ...sinks.filter((x) => x === 'kafka' || x === 'redis')]) add(t, `${kind}*`);
      else add('source', `${kind}*`);
    }
  }
  return out;
}

/**
 * `--list`'s coverage matrix: per scenario in `all`, the faults on each target (`*`: drawn at
 * random by a soak); then which checkers, toxics and sinks the set exercises, and what it lacks.
 */
export function coverageMatrix(loaded: readonly LoadedScenario[]): string {
  const inAll = loaded.map((l) => l.scenario).filter((s) => !s.tags.includes(TEMPLATE_TAG) && !s.tags.includes(LONG_TAG));
  const rows = inAll.map((s) => {
    const byTarget = faultsByTarget(s);
    const cells = TARGETS.map((t) => [...(byTarget.get(t) ?? [])].map(short).join(' ') || '-');
    const sinks = (['kafka', 'redis', 'nats', 'http'] as const).filter((k) => s.sinks[k]).map((k) => (s.sinks[k] as { exactly_once?: boolean }).exactly_once ? `${k}(eo)` : k);
    return [s.name, s.sources.map((f) => (f === 'mysql' ? 'my' : 'pg')).join('+'), sinks.join(','), ...cells];
  });
  const header = ['scenario', 'src', 'sinks', ...TARGETS];
  const widths = header.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  // Toxics a run surely meets: scheduled ones (a soak's random draw may miss some).
  const used = new Set(inAll.flatMap((s) => [...faultsByTarget(s).values()].flatMap((f) => [...f].filter((x) => !x.endsWith('*')))));
  const checkers = ALL_CHECKER_NAMES.map((c) => `${c} ${inAll.filter((s) => s.checkers.includes(c)).length}`);
  const faulted = (k: string) => inAll.some((s) => faultsByTarget(s).has(k));
  return [
    'coverage of all (faults per target; * = drawn at random by a soak):',
    line(header),
    ...rows.map(line),
    '',
    `checkers (scenarios using each): ${checkers.join(', ')}`,
    `toxics scheduled: ${TOXICS.filter((t) => used.has(t)).join(', ') || 'none'}${TOXICS.some((t) => !used.has(t)) ? `; never used: ${TOXICS.filter((t) => !used.has(t)).join(', ')}` : ' (all seven)'}`,
    `schema registry faulted: ${faulted('registry') ? 'yes' : 'NO'}; sinks faulted: ${['kafka', 'redis', 'nats', 'http'].map((k) => `${k} ${faulted(k) ? 'yes' : 'NO'}`).join(', ')}; sources faulted: ${['mysql', 'postgres'].map((f) => `${f} ${inAll.some((s) => s.sources.includes(f as 'mysql') && faultsByTarget(s).has('source')) ? 'yes' : 'NO'}`).join(', ')}`,
  ].join('\n');
}

const SHORT: Readonly<Record<string, string>> = {
  partition: 'part', latency: 'lat', bandwidth: 'bw', timeout: 'tmo', reset_peer: 'rst', slicer: 'slc', limit_data: 'lim', slow_close: 'slow',
  'kill-engine': 'kill', 'term-engine': 'term', 'kill-server': 'kill-srv', 'restart-server': 'restart', failover: 'failover', 'binlog-purge': 'purge',
  'slot-drop': 'slot-drop', 'ddl-add-column': 'ddl+', 'ddl-drop-column': 'ddl-', 'http-error': '5xx/429', 'http-slow': 'slow-ans', 'http-reset': 'reset',
};

function short(f: string): string {
  const star = f.endsWith('*');
  const k = f.replace('*', '');
  return `${SHORT[k] ?? k}${star ? '*' : ''}`;
}
