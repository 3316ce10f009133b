import type { SourceFamily } from './types.js';

/**
 * Every name one run uses, unique per run, so runs sharing the servers of one invocation never
 * see each other's data: database/schema, Kafka topics, Redis streams, NATS stream and subjects,
 * HTTP path, replication slot and publication, pipeline and source id.
 */
export interface RunNamespace {
  /** Short unique id, `<scenario>-<my|pg>-<n>`; also the pipeline name. */
  readonly runId: string;
  readonly pipeline: string;
  readonly sourceId: string;
  /** MySQL database / Postgres schema of the workload. */
  readonly database: string;
  /** Every topic of the run starts with this. */
  readonly kafkaPrefix: string;
  /** Redis stream keys start with this. */
  readonly redisPrefix: string;
  readonly natsStream: string;
  /** Subjects are `<natsSubject>.<table>`. */
  readonly natsSubject: string;
  /** The HTTP sink posts to `<httpPath>/<table>`. */
  readonly httpPath: string;
  readonly slot: string;
  readonly publication: string;
}

const FAMILY = { mysql: 'my', postgres: 'pg' } as const;

/** `ordinal` tells runs of one invocation apart; `nonce` tells invocations apart. */
export function runNamespace(scenario: string, source: SourceFamily, ordinal: number, nonce: string): RunNamespace {
  const slug = scenario.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 28) || 'run';
  const runId = `${slug}-${FAMILY[source]}-${ordinal}${nonce ? `-${nonce}` : ''}`;
  const sql = runId.replace(/-/g, '_');
  return {
    runId,
    pipeline: runId,
    sourceId: `src-${runId}`,
    // MySQL database and Postgres schema names: at most 64 / 63 characters.
    database: `chaos_${sql}`.slice(0, 63),
    kafkaPrefix: `chaos.${runId}.`,
    redisPrefix: `chaos:${runId}:`,
    natsStream: `CHAOS_${sql.toUpperCase()}`,
    natsSubject: `chaos.${runId}`,
    httpPath: `/${runId}`,
    slot: `chaos_${sql}`.slice(0, 63),
    publication: `chaos_${sql}`.slice(0, 63),
  };
}
