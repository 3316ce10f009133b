import type { CheckpointBackend } from '../checkpoints/index.js';
import type { LogLevelControl, PipelineManager } from '../runtime/index.js';
import type { RouteCatalog } from './route-catalog.js';

/** What the route plugins are given (as plugin options, not decorators, so each plugin's inputs are explicit). */
export interface ApiContext {
  readonly manager: PipelineManager;
  readonly backend: CheckpointBackend;
  readonly catalog: RouteCatalog;
  readonly logControl: LogLevelControl;
  /** False until pipelines are loaded and again once shutdown begins. */
  readonly isReady: () => boolean;
  readonly version: string;
}

/** Prometheus exposition, served on the API server when --metrics-addr equals --api-addr. */
export interface MetricsExposition {
  readonly contentType: string;
  text(): Promise<string>;
}
