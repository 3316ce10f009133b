import type { CheckerName } from '../checkers/registry.js';
/**
 * Deliberate bugs for the checkers that judge more than the streams: `state` (what applying a
 * sink's stream gives, against the source tables) and `leak` (the engine's memory over a soak).
 * Each needs a probe scenario that runs its checker; the suite
 * test/chaos/mutations/scale-mutations.int.test.ts proves the mapping.
 */
export const SCALE_MUTATIONS = ['drop-column-value', 'leak-per-batch'] as const;
export type ScaleMutationName = (typeof SCALE_MUTATIONS)[number];

export const SCALE_CAUGHT_BY: Readonly<Record<ScaleMutationName, CheckerName>> = {
  'drop-column-value': 'state',
  'leak-per-batch': 'leak',
};

/** The probe scenario (test/chaos/mutations/fixtures) each one is shown against. */
export const SCALE_PROBES: Readonly<Record<ScaleMutationName, string>> = {
  'drop-column-value': 'state-probe.yaml',
  'leak-per-batch': 'leak-probe.yaml',
};
