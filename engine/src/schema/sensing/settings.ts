import type { SchemaSensingSpec } from '../../config/pipeline-spec.js';
import type { ClassifierSettings } from './key-classifier.js';

/** `spec.schema_sensing` as the sensor uses it. */
export interface SensingSettings {
  readonly warmupEvents: number;
  /** After the warmup, one event in this many is analysed. */
  readonly sampleRate: number;
  /** Null: no structure cache (every sampled event is analysed in full). */
  readonly cacheSize: number | null;
  /** Nesting analysed: 1 looks at the columns only; more looks into JSON values. */
  readonly maxDepth: number;
  /** Events per table analysed at `maxDepth`; later ones only at the columns. */
  readonly deepSampleSize: number;
  readonly highCardinality: ClassifierSettings | null;
}

export function sensingSettings(spec: SchemaSensingSpec): SensingSettings {
  const hc = spec.high_cardinality;
  return {
    warmupEvents: spec.sampling.warmup_events,
    sampleRate: spec.sampling.sample_rate,
    cacheSize: spec.sampling.structure_cache ? spec.sampling.structure_cache_size : null,
    // The row is depth 0 and its columns depth 1: max_depth counts levels inside the row.
    maxDepth: spec.deep_inspect.enabled ? spec.deep_inspect.max_depth + 1 : 1,
    deepSampleSize: spec.deep_inspect.max_sample_size,
    highCardinality: hc.enabled ? { minEvents: hc.min_events, stableThreshold: hc.stable_threshold, minDynamicFields: hc.min_dynamic_fields } : null,
  };
}
