import type { CachePaths } from '../cache-paths.js';

/** What every setup step gets: where the cache is and how to report progress. */
export interface SetupContext {
  readonly paths: CachePaths;
  readonly env: NodeJS.ProcessEnv;
  /** Prints one progress line under the current step. */
  readonly progress: (line: string) => void;
}

/** One idempotent installation step; `check` must be cheap (markers, not installers). */
export interface SetupStep {
  readonly title: string;
  /** Describes what is already in place, or returns undefined when the step has work to do. */
  check(ctx: SetupContext): Promise<string | undefined>;
  /** Does the work and returns a one-line summary. */
  run(ctx: SetupContext): Promise<string>;
}
