import { z } from 'zod';
import { FAULT_KINDS } from './faults.js';
import { fraction, oneOf, positiveInt, positiveNumber, positiveSeconds, seconds } from './primitives.js';

/**
 * The blocks that turn a scenario into a long or large one (docs/chaos.md, "Scale scenarios").
 * A scenario with `backlog` writes its rows before the engine starts and times the drain; one
 * with `soak` runs for its duration with faults drawn at random intervals, checks periodically
 * and judges the engine's memory; one with `tpcc` runs the TPC-C mix as its workload.
 */

const range = (what: string) =>
  z.strictObject({ min: positiveSeconds(), max: positiveSeconds() }).refine((r) => r.min <= r.max, { error: `expected min <= max (${what})`, path: ['max'] });

export const backlogSchema = z.strictObject({
  /** Row versions (inserts) written while the engine is stopped. */
  rows: positiveInt(),
  /** Loader connections (default 4). */
  writers: positiveInt().default(4),
  /** Rows per transaction (one multi-row INSERT each; default 500). */
  rows_per_tx: positiveInt().default(500),
});

/** Faults a soak may draw: the whole nemesis but what ends in an expected halt (purge, slot drop, failover). */
export const SOAK_FAULT_KINDS = FAULT_KINDS.filter((k) => !['binlog-purge', 'slot-drop', 'failover', 'term-engine'].includes(k));

export const soakSchema = z.strictObject({
  /** Seconds between periodic checks (every record read so far is judged; a violation is reported at once). */
  check_every: positiveSeconds().default(60),
  /** Faults at random intervals; absent: a stable soak (steady-state latency and memory). */
  faults: z
    .strictObject({
      /** Seconds from the start of one fault to the start of the next. */
      every: range('every'),
      /** Seconds each fault lasts (instant ones: DDL). */
      duration: range('duration'),
      kinds: z.array(oneOf(SOAK_FAULT_KINDS as unknown as readonly [string, ...string[]]), { error: 'expected a list of fault kinds' }).min(1).optional(),
    })
    .optional(),
  /** The leak verdict: growth of the engine's live heap after the warm-up share of the run. */
  leak: z
    .strictObject({
      /** Share of the run (0..1) that is warm-up, not judged (default 0.25). */
      warmup: fraction().default(0.25),
      /** Largest tolerated growth, MB per hour of the heap's minimum per minute (default 60). */
      max_mb_per_hour: positiveNumber('a positive number of MB per hour').default(60),
    })
    .prefault({}),
});

export const tpccSchema = z.strictObject({
  /** Warehouses (W): scales every table (default 1). */
  warehouses: positiveInt().default(1),
  /** Items in the catalogue (TPC-C: 100,000; default 2,000 so the load stays short). */
  items: positiveInt().default(2000),
  /** Customers per district (TPC-C: 3,000; default 60). */
  customers: positiveInt().default(60),
});

/**
 * Pipeline settings a run may change (the config lab's knobs): merged into the rendered pipeline
 * before it is validated. Sinks are addressed by kind.
 */
export const overridesSchema = z.strictObject({
  batch: z
    .strictObject({ max_events: positiveInt().optional(), max_bytes: positiveInt().optional(), max_ms: positiveInt().optional(), max_inflight: positiveInt().optional(), respect_source_tx: z.boolean().optional() })
    .optional(),
  commit_policy: z.strictObject({ mode: oneOf(['required', 'all', 'quorum'] as const), quorum: positiveInt().optional() }).optional(),
  journal: z.record(z.string(), z.unknown()).optional(),
  sinks: z.partialRecord(oneOf(['kafka', 'redis', 'nats', 'http'] as const), z.record(z.string(), z.unknown())).optional(),
});

/** The short version `--scenario all` runs (CI): any of these replace the scenario's own. */
export const shortSchema = z.strictObject({
  sources: z.array(oneOf(['mysql', 'postgres'] as const)).min(1).optional(),
  duration: positiveSeconds().optional(),
  rows: positiveInt().optional(),
  deadline: positiveSeconds().optional(),
  check_every: positiveSeconds().optional(),
  /** The preconditions the short version can promise (a 3-minute soak may draw no SIGKILL). */
  requires: z.array(z.string()).optional(),
});

export type Backlog = z.output<typeof backlogSchema>;
export type Soak = z.output<typeof soakSchema>;
export type Tpcc = z.output<typeof tpccSchema>;
export type Overrides = z.output<typeof overridesSchema>;
export type Short = z.output<typeof shortSchema>;

export { seconds };
