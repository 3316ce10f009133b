import { z } from 'zod';
import { ALL_CHECKER_NAMES, CHECKER_NAMES, type CheckerName } from '../checkers/registry.js';
import { nemesisStepSchema, type NemesisStep } from './faults.js';
import { bool, fraction, identifier, nonEmptyString, oneOf, positiveInt, positiveNumber, positiveSeconds, sqlIdentifier, stringList, weight } from './primitives.js';
import { crossCheck } from './cross-check.js';
import { backlogSchema, overridesSchema, shortSchema, soakSchema, tpccSchema } from './modes.js';

export const SOURCE_FAMILIES = ['mysql', 'postgres'] as const;
export type SourceFamily = (typeof SOURCE_FAMILIES)[number];
export const SINK_KINDS = ['kafka', 'redis', 'nats', 'http'] as const;

const workloadSchema = z.strictObject({
  /** Concurrent writer connections. */
  writers: positiveInt(),
  /** Transactions per second, over all writers. */
  rate: positiveNumber('a positive number of transactions per second'),
  /** Seconds of writing. */
  duration: positiveSeconds(),
  /** Tables to write (the workload's schema); absent: all of them. */
  tables: z.array(sqlIdentifier(), { error: 'expected a list of table names' }).min(1, { error: 'expected at least one table' }).optional(),
  /** Relative weights of inserts, updates and deletes. */
  mix: z
    .strictObject({ insert: weight(), update: weight(), delete: weight() })
    .refine((m) => m.insert + m.update + m.delete > 0, { error: 'expected at least one positive weight' })
    .prefault({ insert: 5, update: 4, delete: 1 }),
  /** Row versions per transaction, chosen uniformly in [min, max]. */
  rows_per_tx: z
    .strictObject({ min: positiveInt(), max: positiveInt() })
    .refine((r) => r.min <= r.max, { error: 'expected min <= max', path: ['max'] })
    .prefault({ min: 1, max: 5 }),
  /** Now and then a transaction of thousands of rows (into chaos_bulk), mixed with the small ones. */
  large_tx: z
    .strictObject({
      probability: fraction(),
      rows: z.strictObject({ min: positiveInt(), max: positiveInt() }).refine((r) => r.min <= r.max, { error: 'expected min <= max', path: ['max'] }),
    })
    .optional(),
  /** Key slots per table and writer (default 16): a small space makes updates and deletes frequent. */
  keys_per_table: positiveInt().optional(),
});

// No defaults at this level: an absent sink must stay absent.
const exactlyOnceSink = z.strictObject({ exactly_once: bool().default(false) });
const plainSink = z.strictObject({});
/** The HTTP receiver may refuse bodies over a size (413: poison for a per-event HTTP sink). */
const httpSink = z.strictObject({ max_body_bytes: positiveInt().optional() });

const sinksSchema = z
  .strictObject({ kafka: exactlyOnceSink.optional(), redis: exactlyOnceSink.optional(), nats: plainSink.optional(), http: httpSink.optional() })
  .refine((s) => Object.values(s).some((v) => v !== undefined), { error: `expected at least one of ${SINK_KINDS.join(', ')}` });

export const expectSchema = z.discriminatedUnion(
  'outcome',
  [
    z.strictObject({ outcome: z.literal('healthy') }),
    z.strictObject({
      outcome: z.literal('halted'),
      code: z.string().regex(/^TIDEMARK_ERR_[A-Z0-9_]+$/, { error: 'expected an error code like TIDEMARK_ERR_SOURCE_POSITION_LOST' }).optional(),
      message_includes: nonEmptyString().optional(),
      health: z.number().int().min(100).max(599).default(503),
    }),
  ],
  { error: 'expected outcome: healthy or outcome: halted' },
);

const pipelineFile = z
  .string({ error: 'expected a file name under scenarios/pipelines/' })
  .regex(/^(?!\/)(?!.*\.\.)[\w./-]+\.ya?ml$/, { error: 'expected a .yaml file name relative to scenarios/pipelines/ (no "..", not absolute)' });

const baseSchema = z.strictObject({
  name: identifier('a scenario name'),
  description: nonEmptyString(),
  /** The source families the scenario applies to; it runs once per family chosen. */
  sources: z.array(oneOf(SOURCE_FAMILIES), { error: 'expected a list of mysql and/or postgres' }).min(1, { error: 'expected at least one of mysql, postgres' }),
  tags: stringList().default([]),
  /** Destroys state (purges logs, drops slots, promotes replicas): `all` runs these last. */
  destructive: bool().default(false),
  /** The pipeline template, a file under scenarios/pipelines/ with `${VAR}` placeholders. */
  pipeline: pipelineFile,
  sinks: sinksSchema,
  /** Required, except in a backlog scenario. */
  workload: workloadSchema.optional(),
  nemesis: z.array(nemesisStepSchema, { error: 'expected a list of faults' }).default([]),
  /** Checkers to run; by default every one that can hold for the expected outcome. */
  checkers: z.array(oneOf(ALL_CHECKER_NAMES), { error: 'expected a list of checker names' }).optional(),
  /** Seconds each sink has to catch up after the last write and the last heal. */
  deadline: positiveSeconds(),
  expect: expectSchema.default({ outcome: 'healthy' }),
  /** Write this many rows before the engine starts, then time the drain (docs/chaos.md, "backlog-drain"). */
  backlog: backlogSchema.optional(),
  /** Run for the workload's duration with random faults, periodic checks and a memory verdict. */
  soak: soakSchema.optional(),
  /** The workload is the TPC-C mix (rate and duration from `workload`). */
  tpcc: tpccSchema.optional(),
  /** Pipeline settings to change for this scenario (batch, commit policy, sink settings by kind). */
  overrides: overridesSchema.optional(),
  /** What `--scenario all` shortens (CI); the file's own values are the long version. */
  short: shortSchema.optional(),
  /**
   * The paths the scenario exists to exercise; a run in which one did not happen is `unknown`,
   * never `valid` (docs/chaos.md, "Preconditions").
   */
  requires: z.array(nonEmptyString(), { error: 'expected a list of precondition names' }).optional(),
});

/** The workload a backlog scenario stands on when it names none (only `tables` matters there). */
export const BACKLOG_WORKLOAD = { writers: 1, rate: 1, duration: 1, tables: ['backlog'], mix: { insert: 5, update: 4, delete: 1 }, rows_per_tx: { min: 1, max: 5 } };

export const scenarioSchema = baseSchema
  .superRefine(crossCheck)
  // A backlog scenario writes rows, not a paced workload: its `workload` block may be left out.
  .transform((s) => ({ ...s, workload: s.workload ?? (BACKLOG_WORKLOAD as Workload), nemesis: s.nemesis as NemesisStep[], checkers: s.checkers ?? defaultCheckers(s) }));

export type Scenario = z.output<typeof scenarioSchema>;
export type ScenarioInput = z.output<typeof baseSchema>;
export type Workload = z.output<typeof workloadSchema>;
export type ScenarioExpect = Scenario['expect'];

/**
 * Every checker that can hold: no lost/stalled when a halt is expected, torn only with
 * exactly-once Kafka. `state` (it reads the source tables at the end) only when listed.
 */
export function defaultCheckers(s: Pick<ScenarioInput, 'expect' | 'sinks'>): CheckerName[] {
  return CHECKER_NAMES.filter((name) => {
    if (name === 'torn-transaction') return s.sinks.kafka?.exactly_once === true;
    if (name === 'lost' || name === 'stalled') return s.expect.outcome === 'healthy';
    return true;
  });
}
