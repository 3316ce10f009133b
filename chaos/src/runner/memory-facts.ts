import type { EngineMemoryFacts } from '../checkers/index.js';
import type { Scenario } from '../scenarios/index.js';
import type { EngineMonitor } from './engine-monitor.js';

/** The monitor's samples with the scenario's leak settings, as the `leak` checker reads them. */
export function memoryFacts(monitor: EngineMonitor, scenario: Scenario): EngineMemoryFacts {
  const leak = scenario.soak?.leak ?? { warmup: 0.25, max_mb_per_hour: 60 };
  return { samples: monitor.samples, warmup: leak.warmup, maxMbPerHour: leak.max_mb_per_hour };
}
