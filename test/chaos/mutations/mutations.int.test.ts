/**
 * The checkers catch real bugs: the same short scenario runs against the real engine with each
 * deliberate bug injected (chaos/src/mutations) and the checker that must catch it is asserted
 * invalid; as a control, the scenario passes on the engine as built. Needs `npx tsc -b` (the
 * engine process and the mutation module run compiled).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAUGHT_BY, MUTATIONS, PROBE_OF, type MutationName } from '../../../chaos/src/mutations/catalog.js';
import type { ScenarioRun } from '../../../chaos/src/report/index.js';
import { SCENARIOS_DIR } from '../../../chaos/src/runner/paths.js';
import { selectScenarios } from '../../../chaos/src/runner/plan.js';
import { runScenario } from '../../../chaos/src/runner/run-scenario.js';
import { ChaosSession } from '../../../chaos/src/runner/session.js';

const PROBE = 'mutation-probe.yaml';
const probePath = (file: string) => fileURLToPath(new URL(`./fixtures/${file}`, import.meta.url));
const RUN_TIMEOUT = 240_000;

let session: ChaosSession | undefined;

beforeAll(async () => {
  // The registry serves the Avro probe (stale-schema-id).
  session = await ChaosSession.start({ services: ['mysql', 'kafka', 'redis', 'schema-registry'], provider: 'native' });
}, 180_000);

afterAll(async () => {
  await session?.close(false);
}, 120_000);

/**
 * A mutant that is not caught by `lost` never lets the catch-up see every version arrive, so its
 * run would wait out the whole deadline: its checker judges what arrived, not what is late, so a
 * shorter deadline changes nothing it asserts. A `lost` mutant keeps the control's deadline, so
 * that lateness alone cannot pass for the bug.
 */
const MUTANT_DEADLINE_S = 6;

async function probe(mutation: MutationName | null, file = PROBE): Promise<ScenarioRun> {
  if (!session) throw new Error('no session: beforeAll failed');
  const [loaded] = selectScenarios(probePath(file), SCENARIOS_DIR);
  const scenario = mutation && CAUGHT_BY[mutation] !== 'lost' ? { ...loaded!.scenario, deadline: MUTANT_DEADLINE_S } : loaded!.scenario;
  return runScenario({ session, run: { scenario, pipelinePath: loaded!.pipelinePath, source: 'mysql', seed: 11 }, mutation });
}

/** `checker [sink]: summary` of every verdict that is not valid. */
function failures(run: ScenarioRun): string[] {
  return run.verdicts.filter((v) => v.validity !== 'valid').map((v) => `${v.checker}${v.sink ? ` [${v.sink}]` : ''}: ${v.summary}`);
}

describe('mutation suite', () => {
  // One control per probe: each passes on the engine as built.
  for (const file of new Set([PROBE, ...Object.values(PROBE_OF)])) {
    it(`control: ${file} passes on the engine as built`, async () => {
      const run = await probe(null, file);
      expect(run.error).toBeUndefined();
      expect(run.verdicts.length).toBeGreaterThan(10);
      expect(failures(run)).toEqual([]);
    }, RUN_TIMEOUT);
  }

  for (const mutation of MUTATIONS) {
    it(`${mutation} is caught by ${CAUGHT_BY[mutation]}`, async () => {
      const run = await probe(mutation, PROBE_OF[mutation]);
      expect(run.error).toBeUndefined();
      const caught = run.verdicts.filter((v) => v.checker === CAUGHT_BY[mutation] && v.validity === 'invalid');
      expect(caught.length, `verdicts not valid: ${JSON.stringify(failures(run), null, 1)}`).toBeGreaterThan(0);
      // Each verdict names concrete cases, not just a count.
      expect(caught[0]!.examples.length).toBeGreaterThan(0);
    }, RUN_TIMEOUT);
  }
});
