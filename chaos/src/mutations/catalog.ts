import type { CheckerName } from '../checkers/registry.js';
/**
 * The deliberate bugs the harness can inject, and which checker must catch each one.
 * `chaos/src/mutations/register.ts` applies them; the mutation test suite proves the mapping.
 */
export const MUTATIONS = ['checkpoint-before-delivery', 'drop-tx-end', 'swap-events', 'replay-batch-eos', 'skip-after-reconnect', 'stale-schema-id'] as const;
export type MutationName = (typeof MUTATIONS)[number];

export const CAUGHT_BY: Readonly<Record<MutationName, CheckerName>> = {
  'checkpoint-before-delivery': 'lost',
  'drop-tx-end': 'torn-transaction',
  'swap-events': 'reordered',
  'replay-batch-eos': 'duplicated',
  'skip-after-reconnect': 'lost',
  'stale-schema-id': 'undecodable',
};

/**
 * The probe scenario (test/chaos/mutations/fixtures) a mutation is shown against, where the
 * shared `mutation-probe.yaml` cannot show it: a stale schema id needs Avro sinks and a DDL.
 */
export const PROBE_OF: Readonly<Partial<Record<MutationName, string>>> = {
  'stale-schema-id': 'avro-mutation-probe.yaml',
};
