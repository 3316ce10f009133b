import type { BatchSpec, CommitPolicySpec } from '../config/index.js';
import type { CheckpointStore } from '../checkpoints/index.js';
import type { TidemarkError } from '../errors/index.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { NOOP_METRICS, type PipelineMetrics } from '../metrics/hooks.js';
import type { Processor } from '../processors/processor.js';
import type { Sink } from '../sinks/sink.js';
import type { Source } from '../sources/source.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../util/backoff.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { DeadLetterQueue } from './dead-letter.js';
import type { PipelineState } from './lifecycle.js';

export interface CoordinatorOptions {
  readonly pipeline: string;
  readonly tenant: string;
  readonly source: Source;
  readonly sinks: readonly Sink[];
  readonly batch: BatchSpec;
  readonly commitPolicy: CommitPolicySpec;
  readonly store: CheckpointStore;
  readonly processors?: readonly Processor[];
  readonly dlq?: DeadLetterQueue | null;
  readonly logger?: Logger;
  readonly metrics?: PipelineMetrics;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly backoff?: BackoffPolicy;
  /** A sink that does not gate commits and falls this many batches behind is detached until restart. */
  readonly maxLagBatches?: number;
  /** How long a graceful stop waits for in-flight batches before leaving them to the next start. */
  readonly stopTimeoutMs?: number;
  readonly onStateChange?: (state: PipelineState, failure: TidemarkError | null) => void;
}

/** The options with every default filled in. */
export type Settings = Required<Omit<CoordinatorOptions, 'onStateChange' | 'dlq' | 'processors'>> & Pick<CoordinatorOptions, 'onStateChange'>;

export function withDefaults(options: CoordinatorOptions): Settings {
  return {
    logger: silentLogger(),
    metrics: NOOP_METRICS,
    clock: systemClock,
    random: Math.random,
    backoff: DEFAULT_BACKOFF,
    maxLagBatches: Math.max(64, options.batch.max_inflight * 16),
    stopTimeoutMs: 30_000,
    ...options,
  };
}
