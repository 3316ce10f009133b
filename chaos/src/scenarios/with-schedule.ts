import type { NemesisStep } from './faults.js';
import { parseScenario } from './load.js';
import type { Scenario } from './scenario-schema.js';
import { scenarioToYaml } from './serialize.js';

/**
 * A scenario with another nemesis schedule (and name): how the random runner turns a draw into
 * something re-runnable. It goes through YAML and back, so what the runner prints is exactly
 * what re-loads, and a schedule the scenario cannot hold (a fault on a sink it lacks) throws.
 */
export function withSchedule(base: Scenario, nemesis: readonly NemesisStep[], name = base.name): Scenario {
  return parseScenario(scenarioToYaml({ ...base, name, nemesis: [...nemesis] }), `${name} (generated)`);
}
