import { z } from 'zod';

/**
 * The workload's tunables, as a scenario would write them (camelCase here; a runner maps its
 * YAML onto it). Parsing fills the defaults and names any bad field.
 */
export const workloadSettings = z.strictObject({
  /** Concurrent writers, each with its own session and key space. */
  writers: z.number().int().min(1).max(1000).default(4),
  /** Overall txns per second across writers; 0 = as fast as the server allows. */
  rate: z.number().min(0).default(50),
  /** Stops by itself after this many seconds; absent = until stop(). */
  durationS: z.number().positive().optional(),
  /** Same seed ⇒ the same intended operations per writer (given the same outcomes). */
  seed: z.number().int().default(1),
  /** Relative weights of insert / update / delete. */
  mix: z
    .strictObject({ insert: z.number().min(0).default(3), update: z.number().min(0).default(5), delete: z.number().min(0).default(2) })
    .refine((m) => m.insert > 0, { error: 'mix.insert must be positive: without inserts nothing exists to update or delete' })
    .default({ insert: 3, update: 5, delete: 2 }),
  /** Rows per txn, inclusive [min, max]. */
  rowsPerTx: z
    .tuple([z.number().int().min(1), z.number().int().min(1)])
    .refine(([min, max]) => min <= max, { error: 'rowsPerTx must be [min, max] with min <= max' })
    .default([1, 4]),
  /** Key slots per table and writer. */
  keysPerTable: z.number().int().min(1).max(99_999).default(16),
  /** Tables to write, by name (`accounts` or `chaos_accounts`; `realism` for the realism set); default the classic three. */
  tables: z.array(z.string()).min(1).optional(),
  /** Now and then a transaction of thousands of rows into the bulk table. */
  largeTx: z.strictObject({ probability: z.number().min(0).max(1), rows: z.tuple([z.number().int().min(1), z.number().int().min(1)]) }).optional(),
  statementTimeoutMs: z.number().int().positive().default(30_000),
  /** How long a writer waits for a lost session to vanish server-side before abandoning its keys. */
  recoveryTimeoutMs: z.number().int().positive().default(60_000),
  /** How long stop() lets running txns and recoveries finish before dropping sessions. */
  stopTimeoutMs: z.number().int().positive().default(15_000),
});

export type WorkloadSettings = z.input<typeof workloadSettings>;
export type ResolvedSettings = z.output<typeof workloadSettings>;

export function parseSettings(input: WorkloadSettings): ResolvedSettings {
  const parsed = workloadSettings.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'workload'}: ${i.message}`);
    throw new Error(`invalid workload settings: ${problems.join('; ')}`);
  }
  return parsed.data;
}
