import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ServiceName } from '../infra/index.js';
import { loadScenarioFile, loadScenarios, type LoadedScenario, type Scenario } from '../scenarios/index.js';
import { templateEncodesAvro } from '../scenarios/pipeline-encoding.js';
import type { PlannedRun, SourceFamily } from './types.js';

export type SourceChoice = SourceFamily | 'both';

/** A selection that names nothing runnable: bad usage rather than a failed run. */
export class PlanError extends Error {}

/** Scenarios tagged `template` are building blocks (the random runner's base), not part of `all`. */
export const TEMPLATE_TAG = 'template';
/** Scenarios tagged `long` run only by name (a stable soak has nothing to prove in a CI-sized run). */
export const LONG_TAG = 'long';

/**
 * The scenarios a `--scenario` value names: `all` (every scenario not tagged template), a name
 * under `scenariosDir`, or a path to a `.yaml` file (e.g. a shrunk schedule the random runner
 * printed). A file outside a scenarios directory uses the repository's pipeline templates.
 */
export function selectScenarios(selection: string, scenariosDir: string): LoadedScenario[] {
  if (selection.includes(',')) return selection.split(',').filter(Boolean).flatMap((one) => selectScenarios(one.trim(), scenariosDir));
  if (selection === 'all') return loadScenarios(scenariosDir).filter((l) => !l.scenario.tags.includes(TEMPLATE_TAG) && !l.scenario.tags.includes(LONG_TAG));
  if (/\.ya?ml$/i.test(selection) || selection.includes('/')) {
    const path = resolve(selection);
    const ownDir = dirname(path);
    return [loadScenarioFile(path, existsSync(join(ownDir, 'pipelines')) ? ownDir : scenariosDir)];
  }
  const file = join(scenariosDir, `${selection}.yaml`);
  if (!existsSync(file)) {
    const known = loadScenarios(scenariosDir).map((l) => l.scenario.name);
    throw new PlanError(`no scenario "${selection}" in ${scenariosDir} (known: ${known.join(', ')}; or all, random, or a path to a .yaml file)`);
  }
  return [loadScenarioFile(file, scenariosDir)];
}

/**
 * Every scenario × source family the choice allows, in run order: harmless scenarios first,
 * then destructive ones (purge, slot drop), failovers last because they leave the replica
 * promoted. `repeat` runs each one that many times with consecutive seeds.
 */
export function planRuns(scenarios: readonly LoadedScenario[], source: SourceChoice, seed: number, repeat = 1): PlannedRun[] {
  const runs: (PlannedRun & { order: number })[] = [];
  for (const l of scenarios) {
    const families = l.scenario.sources.filter((f) => source === 'both' || f === source);
    for (const family of families) {
      for (let i = 0; i < repeat; i++) {
        runs.push({ scenario: l.scenario, pipelinePath: l.pipelinePath, source: family, seed: seed + i, ...(repeat > 1 ? { label: `#${i + 1}` } : {}), order: runOrder(l.scenario) });
      }
    }
  }
  // A stable sort keeps file order (and mysql before postgres) within each class.
  return runs.sort((a, b) => a.order - b.order).map(({ order: _order, ...run }) => run);
}

function runOrder(s: Scenario): number {
  if (s.nemesis.some((n) => n.fault === 'failover')) return 2;
  return s.destructive ? 1 : 0;
}

/** Scenario names the selection skipped for the chosen source (so the CLI can say why nothing ran). */
export function skippedFor(scenarios: readonly LoadedScenario[], source: SourceChoice): string[] {
  return scenarios.filter((l) => source !== 'both' && !l.scenario.sources.includes(source)).map((l) => `${l.scenario.name} (${l.scenario.sources.join(', ')} only)`);
}

/**
 * The services a plan needs: each source family (with its replica for a failover), each sink's
 * server, and the schema registry when a pipeline encodes Avro.
 */
export function servicesFor(runs: readonly PlannedRun[]): ServiceName[] {
  const services = new Set<ServiceName>();
  for (const run of runs) {
    services.add(run.source);
    const s = run.scenario;
    if (s.sinks.kafka) services.add('kafka');
    if (s.sinks.redis) services.add('redis');
    if (s.sinks.nats) services.add('nats');
    if (templateEncodesAvro(run.pipelinePath)) services.add('schema-registry');
    for (const step of s.nemesis) {
      if (step.fault === 'failover') services.add(run.source === 'mysql' ? 'mysql-b' : 'postgres-b');
      if (['mysql-b', 'postgres-b'].includes(step.target)) services.add(step.target as ServiceName);
    }
  }
  return [...services];
}

