import { parseScenario, scenarioToYaml, type Scenario } from '../scenarios/index.js';

/** What the command line changes in the scenarios it runs (docs/chaos.md, "Long and short versions"). */
export interface Adjustments {
  /** The short version `--scenario all` runs (the scenario's `short:` block). */
  readonly short?: boolean;
  /** `--rows`: a backlog's row count. */
  readonly rows?: number;
  /** `--duration`: minutes of workload for a soak or TPC-C run. */
  readonly durationMin?: number;
  /** `--set path=value`: pipeline overrides, e.g. `batch.max_events=4000`, `sinks.kafka.client_conf.linger.ms=5`. */
  readonly set?: readonly string[];
}

/**
 * The scenario with the adjustments applied, validated again as a file would be (an adjustment
 * that breaks it, such as a duration shorter than its fault schedule, is an error naming why).
 */
export function adjustScenario(s: Scenario, a: Adjustments): Scenario {
  let out: Scenario = { ...s, workload: { ...s.workload } };
  if (a.short && s.short) {
    const short = s.short;
    if (short.sources) out.sources = out.sources.filter((f) => short.sources!.includes(f));
    if (short.duration) out = withDuration(out, short.duration);
    if (short.rows && out.backlog) out.backlog = { ...out.backlog, rows: short.rows };
    if (short.deadline) out.deadline = short.deadline;
    if (short.check_every && out.soak) out.soak = { ...out.soak, check_every: short.check_every };
    if (short.requires) out.requires = short.requires;
  }
  if (a.rows !== undefined && out.backlog) out.backlog = { ...out.backlog, rows: a.rows };
  if (a.durationMin !== undefined && (out.soak || out.tpcc)) out = withDuration(out, Math.round(a.durationMin * 60));
  for (const assignment of a.set ?? []) out = { ...out, overrides: setOverride(out.overrides ?? {}, assignment) };
  return parseScenario(scenarioToYaml(out), `${s.name} (adjusted)`);
}

/** A new workload duration; faults scheduled past it are dropped. */
function withDuration(s: Scenario, seconds: number): Scenario {
  return { ...s, workload: { ...s.workload, duration: seconds }, nemesis: s.nemesis.filter((n) => n.at < seconds && n.at + n.duration <= seconds + s.deadline) };
}

/**
 * `path=value` into the overrides: numbers and booleans are typed, the rest strings; whatever
 * follows `client_conf.` is one key (librdkafka keys have dots), and its values stay strings.
 */
export function setOverride(overrides: Record<string, unknown>, assignment: string): Scenario['overrides'] & object {
  const eq = assignment.indexOf('=');
  if (eq <= 0) throw new Error(`--set expects path=value, got "${assignment}"`);
  const path = assignment.slice(0, eq);
  const raw = assignment.slice(eq + 1);
  const parts = path.split('.');
  const conf = parts.indexOf('client_conf');
  const keys = conf >= 0 && conf < parts.length - 1 ? [...parts.slice(0, conf + 1), parts.slice(conf + 1).join('.')] : parts;
  const value: unknown = conf >= 0 ? raw : raw === 'true' ? true : raw === 'false' ? false : /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  const out = structuredClone(overrides) as Record<string, unknown>;
  let node = out;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  node[keys.at(-1)!] = value;
  return out as Scenario['overrides'] & object;
}
