import type { LoadedScenario, Scenario, SourceFamily } from '../scenarios/index.js';

export type { SourceFamily };

/** One scenario × source family to run. */
export interface PlannedRun {
  readonly scenario: Scenario;
  /** Absolute path of the scenario's pipeline template. */
  readonly pipelinePath: string;
  readonly source: SourceFamily;
  /** Seeds the workload (and names the run in reports). */
  readonly seed: number;
  /** Run title suffix for repeated or generated runs, e.g. `#2`. */
  readonly label?: string;
}

export type { LoadedScenario };
