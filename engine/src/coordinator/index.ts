export { Coordinator, type CoordinatorOptions, type SinkStatus } from './coordinator.js';
export { Batcher, type BatchLimits } from './batcher.js';
export { CommitPolicy } from './commit-policy.js';
export { CommitQueue, type CheckpointMove, type CommitStep } from './commit-queue.js';
export type { DeadLetterQueue } from './dead-letter.js';
export type { PipelineState } from './lifecycle.js';
