import { z } from 'zod';
import { fraction, nonNegativeInt, nonEmptyString, oneOf, positiveInt, seconds, show, sqlIdentifier } from './primitives.js';

/**
 * Where a fault lands. `source` is the scenario's source server (MariaDB or Postgres, per run);
 * the others name a service (and its Toxiproxy proxy) of the topology; `engine` is the
 * `tidemark run` process under test.
 */
export const PROXY_TARGETS = ['source', 'mysql', 'mysql-b', 'postgres', 'postgres-b', 'kafka', 'redis', 'nats', 'http', 'schema-registry'] as const;
export type ProxyTarget = (typeof PROXY_TARGETS)[number];
export type Target = ProxyTarget | 'engine';

/** Toxiproxy faults: `partition` disables the proxy; the others add the toxic of that name. */
export const PROXY_FAULTS = ['partition', 'latency', 'bandwidth', 'timeout', 'reset_peer', 'slicer', 'limit_data', 'slow_close'] as const;
export const PROCESS_FAULTS = ['kill-engine', 'term-engine', 'kill-server', 'restart-server'] as const;
export const SOURCE_FAULTS = ['failover', 'binlog-purge', 'slot-drop', 'ddl-add-column', 'ddl-drop-column'] as const;
/** The HTTP receiver's own faults: error answers (5xx, 429 with Retry-After), slow answers, resets. */
export const HTTP_FAULTS = ['http-error', 'http-slow', 'http-reset'] as const;
export const FAULT_KINDS = [...PROXY_FAULTS, ...PROCESS_FAULTS, ...SOURCE_FAULTS, ...HTTP_FAULTS] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which direction and share of connections a toxic affects (Toxiproxy's defaults). */
const placement = {
  stream: oneOf(['upstream', 'downstream']).default('downstream'),
  toxicity: fraction().default(1),
};

const none = z.strictObject({}).prefault({});

// Defaults match the nemesis (chaos/src/nemesis/proxy-faults.ts): strong enough to hurt, mild
// enough for a short scenario to recover. The loader writes them out, so a run shows its values.
const PARAMS = {
  partition: none,
  latency: z.strictObject({ latency_ms: positiveInt().default(300), jitter_ms: nonNegativeInt().default(100), ...placement }).prefault({}),
  bandwidth: z.strictObject({ rate_kbps: nonNegativeInt().default(64), ...placement }).prefault({}),
  timeout: z.strictObject({ timeout_ms: nonNegativeInt().default(0), ...placement }).prefault({}),
  reset_peer: z.strictObject({ timeout_ms: nonNegativeInt().default(500), ...placement }).prefault({}),
  slicer: z.strictObject({ average_size: positiveInt().default(64), size_variation: nonNegativeInt().default(32), delay_us: nonNegativeInt().default(50), ...placement }).prefault({}),
  limit_data: z.strictObject({ bytes: positiveInt().default(65_536), ...placement }).prefault({}),
  slow_close: z.strictObject({ delay_ms: positiveInt().default(2000), ...placement }).prefault({}),
  'kill-engine': none,
  'term-engine': none,
  'kill-server': none,
  'restart-server': none,
  failover: none,
  // The nemesis stops the engine, lets writes pile up for gap_ms, purges, then restarts it.
  'binlog-purge': z.strictObject({ gap_ms: nonNegativeInt().default(2000) }).prefault({}),
  'slot-drop': none,
  // Absent: the workload picks the table and column (it must know them to record images).
  'ddl-add-column': z.strictObject({ table: sqlIdentifier().optional(), column: sqlIdentifier().optional(), type: nonEmptyString().optional() }).prefault({}),
  'ddl-drop-column': z.strictObject({ table: sqlIdentifier().optional(), column: sqlIdentifier().optional() }).prefault({}),
  // 503 by default; 429 or 503 with retry_after_s send a Retry-After header.
  'http-error': z
    .strictObject({
      status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(429)], { error: (i) => `expected one of 500, 502, 503, 504, 429, got ${show(i.input)}` }).default(503),
      retry_after_s: nonNegativeInt().optional(),
    })
    .prefault({}),
  'http-slow': z.strictObject({ delay_ms: positiveInt().default(2000) }).prefault({}),
  'http-reset': none,
} satisfies Record<FaultKind, z.ZodType>;

/** The targets each kind accepts, and the one it gets when `target` is left out. */
const TARGETS: Record<FaultKind, { readonly allowed: readonly [Target, ...Target[]]; readonly fallback?: Target }> = {
  ...(Object.fromEntries(PROXY_FAULTS.map((f) => [f, { allowed: PROXY_TARGETS }])) as Record<(typeof PROXY_FAULTS)[number], { allowed: typeof PROXY_TARGETS }>),
  'kill-engine': { allowed: ['engine'], fallback: 'engine' },
  'term-engine': { allowed: ['engine'], fallback: 'engine' },
  'kill-server': { allowed: PROXY_TARGETS },
  'restart-server': { allowed: PROXY_TARGETS },
  failover: { allowed: ['source', 'mysql', 'postgres'], fallback: 'source' },
  'binlog-purge': { allowed: ['source', 'mysql'], fallback: 'source' },
  'slot-drop': { allowed: ['source', 'postgres'], fallback: 'source' },
  'ddl-add-column': { allowed: ['source', 'mysql', 'postgres'], fallback: 'source' },
  'ddl-drop-column': { allowed: ['source', 'mysql', 'postgres'], fallback: 'source' },
  'http-error': { allowed: ['http'], fallback: 'http' },
  'http-slow': { allowed: ['http'], fallback: 'http' },
  'http-reset': { allowed: ['http'], fallback: 'http' },
};

function stepSchema<K extends FaultKind>(kind: K) {
  const { allowed, fallback } = TARGETS[kind];
  const target = oneOf(allowed as unknown as readonly [string, ...string[]]);
  return z.strictObject({
    at: seconds(),
    fault: z.literal(kind),
    target: fallback ? target.default(fallback) : target,
    /** How long the fault lasts: a toxic's lifetime, a process's or server's downtime; 0 for instant faults. */
    duration: seconds().default(0),
    params: PARAMS[kind],
  });
}

/** One entry of a scenario's `nemesis:` schedule. */
export const nemesisStepSchema = z.discriminatedUnion(
  'fault',
  [
    stepSchema('partition'),
    stepSchema('latency'),
    stepSchema('bandwidth'),
    stepSchema('timeout'),
    stepSchema('reset_peer'),
    stepSchema('slicer'),
    stepSchema('limit_data'),
    stepSchema('slow_close'),
    stepSchema('kill-engine'),
    stepSchema('term-engine'),
    stepSchema('kill-server'),
    stepSchema('restart-server'),
    stepSchema('failover'),
    stepSchema('binlog-purge'),
    stepSchema('slot-drop'),
    stepSchema('ddl-add-column'),
    stepSchema('ddl-drop-column'),
    stepSchema('http-error'),
    stepSchema('http-slow'),
    stepSchema('http-reset'),
  ],
  {
    error: (iss) => {
      const input = iss.input as Record<string, unknown> | undefined;
      return input !== null && typeof input === 'object' ? `expected one of ${FAULT_KINDS.join(', ')}, got ${show(input.fault)}` : `expected a fault (a mapping with at, fault, target, duration, params), got ${show(input)}`;
    },
  },
);

/** Params per kind, exactly as the schema outputs them (defaults filled). */
export type FaultParams = { [K in FaultKind]: z.output<(typeof PARAMS)[K]> };
export type NemesisStep = { [K in FaultKind]: { at: number; fault: K; target: Target; duration: number; params: FaultParams[K] } }[FaultKind];

/** Faults that take the whole engine process away (counted by the random schedule's limit). */
export const ENGINE_FAULTS: readonly FaultKind[] = ['kill-engine', 'term-engine'];
