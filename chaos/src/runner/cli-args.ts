import { parseArgs } from 'node:util';
import { MUTATIONS } from '../mutations/catalog.js';
import { SCALE_MUTATIONS } from '../mutations/scale-catalog.js';

const ALL_MUTATIONS = [...MUTATIONS, ...SCALE_MUTATIONS] as const;
type MutationName = (typeof ALL_MUTATIONS)[number];
import type { SourceChoice } from './plan.js';

export const RUN_USAGE = `usage: tidemark-chaos run --scenario <name|all|random|file.yaml> [options]
       npm run chaos -- --scenario <name|all|random|file.yaml> [options]

  --scenario s      a scenario name (scenarios/<s>.yaml) or several (a,b,c), all (every scenario,
                    destructive ones last), random (fast-check fault schedules), or a path to a
                    scenario file
  --source s        mysql | postgres | both (default both; each scenario runs for the families it lists)
  --provider p      native | testcontainers | auto (default auto: testcontainers if Docker answers
                    and its images can be had, else native)
  --images set      testcontainers images: local | official | auto (default $TIDEMARK_IMAGES, else auto)
  --seed n          workload and schedule seed (default: time-based, printed)
  --runs k          random: schedules to try (default 10); others: run each scenario k times
  --report dir      write report.json, junit.xml and report.html into dir
  --mutation m      inject a deliberate engine bug: ${ALL_MUTATIONS.join(', ')}
  --rows n          backlog scenarios: rows written before the engine starts (backlog-drain: 1000000)
  --duration m      soak and tpcc scenarios: minutes of workload (may be fractional)
  --set path=value  a pipeline override, repeatable: batch.max_events=4000, batch.max_inflight=8,
                    commit_policy.mode=all, sinks.kafka.client_conf.linger.ms=5, ...
  --list            list the scenarios with the coverage matrix (scenario x target x fault) and exit

\`all\` runs each scenario's short version (its \`short:\` block: CI); a named scenario runs its own.

Exit code 0 only when every checker of every run passed; 1 otherwise; 2 for bad usage; 130 on Ctrl-C.`;

export interface RunArgs {
  readonly scenario: string | null;
  readonly source: SourceChoice;
  readonly provider: 'native' | 'testcontainers' | 'auto';
  /** testcontainers: which image set (null: $TIDEMARK_IMAGES, else auto). */
  readonly images: 'local' | 'official' | 'auto' | null;
  readonly seed: number;
  /** Whether --seed was given (otherwise it is printed so the run can be repeated). */
  readonly seedGiven: boolean;
  readonly runs: number | null;
  readonly report: string | null;
  readonly mutation: MutationName | null;
  readonly list: boolean;
  readonly help: boolean;
  readonly rows: number | null;
  /** Minutes. */
  readonly duration: number | null;
  readonly set: readonly string[];
}

/** Parses the `run` flags; throws an Error whose message is what to print before the usage. */
export function parseRunArgs(argv: readonly string[], now = Date.now()): RunArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      scenario: { type: 'string', short: 's' },
      source: { type: 'string', default: 'both' },
      provider: { type: 'string', default: 'auto' },
      images: { type: 'string' },
      seed: { type: 'string' },
      runs: { type: 'string' },
      report: { type: 'string' },
      mutation: { type: 'string' },
      list: { type: 'boolean', default: false },
      rows: { type: 'string' },
      duration: { type: 'string' },
      set: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`);
  const source = oneOf('--source', values.source!, ['mysql', 'postgres', 'both'] as const);
  const provider = oneOf('--provider', values.provider!, ['native', 'testcontainers', 'auto'] as const);
  const images = values.images === undefined ? null : oneOf('--images', values.images, ['local', 'official', 'auto'] as const);
  const mutation = values.mutation === undefined ? null : oneOf('--mutation', values.mutation, ALL_MUTATIONS);
  const seed = values.seed === undefined ? now % 1_000_000 : integer('--seed', values.seed, 0);
  const runs = values.runs === undefined ? null : integer('--runs', values.runs, 1);
  if (!values.list && !values.help && values.scenario === undefined) throw new Error('--scenario is required (or --list)');
  const rows = values.rows === undefined ? null : integer('--rows', values.rows, 1);
  const duration = values.duration === undefined ? null : minutes(values.duration);
  for (const a of values.set ?? []) if (!/^[A-Za-z_][\w.]*=/.test(a)) throw new Error(`--set expects path=value (e.g. batch.max_events=4000), got "${a}"`);
  return { scenario: values.scenario ?? null, source, provider, images, seed, seedGiven: values.seed !== undefined, runs, report: values.report ?? null, mutation, list: values.list!, help: values.help!, rows, duration, set: values.set ?? [] };
}

function oneOf<const T extends readonly string[]>(flag: string, value: string, allowed: T): T[number] {
  if (!allowed.includes(value)) throw new Error(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T[number];
}

function minutes(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new Error(`--duration must be a positive number of minutes, got "${value}"`);
  return n;
}

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) throw new Error(`${flag} must be an integer of at least ${min}, got "${value}"`);
  return n;
}
