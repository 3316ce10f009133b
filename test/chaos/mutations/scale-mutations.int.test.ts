/**
 * The checkers that judge more than the streams catch real bugs too: `state` (the applied stream
 * against the source tables) and `leak` (the engine's heap over a soak), each on its probe
 * scenario with the bug injected into the real engine (chaos/src/mutations/scale-mutations.ts),
 * and valid on the engine as built (the leak control is the soak-stable run of `--scenario all`,
 * which judges the same checker on the same engine for longer).
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCALE_CAUGHT_BY, SCALE_MUTATIONS, SCALE_PROBES, type ScaleMutationName } from '../../../chaos/src/mutations/scale-catalog.js';
import type { ScenarioRun } from '../../../chaos/src/report/index.js';
import { SCENARIOS_DIR } from '../../../chaos/src/runner/paths.js';
import { selectScenarios } from '../../../chaos/src/runner/plan.js';
import { runScenario } from '../../../chaos/src/runner/run-scenario.js';
import { ChaosSession } from '../../../chaos/src/runner/session.js';

const RUN_TIMEOUT = 300_000;
let session: ChaosSession | undefined;

beforeAll(async () => {
  session = await ChaosSession.start({ services: ['mysql', 'kafka', 'redis'], provider: 'native' });
}, 180_000);

afterAll(async () => {
  await session?.close(false);
}, 120_000);

async function probe(mutation: ScaleMutationName, inject: boolean): Promise<ScenarioRun> {
  if (!session) throw new Error('no session: beforeAll failed');
  const [loaded] = selectScenarios(fileURLToPath(new URL(`./fixtures/${SCALE_PROBES[mutation]}`, import.meta.url)), SCENARIOS_DIR);
  return runScenario({ session, run: { scenario: loaded!.scenario, pipelinePath: loaded!.pipelinePath, source: 'mysql', seed: 11 }, mutation: inject ? mutation : null });
}

const failures = (run: ScenarioRun) => run.verdicts.filter((v) => v.validity !== 'valid').map((v) => `${v.checker}${v.sink ? ` [${v.sink}]` : ''}: ${v.summary}`);

describe('scale mutation suite', () => {
  it('control: the state probe passes on the engine as built', async () => {
    const run = await probe('drop-column-value', false);
    expect(run.error).toBeUndefined();
    expect(failures(run)).toEqual([]);
    expect(run.verdicts.filter((v) => v.checker === 'state' && v.validity === 'valid').length).toBeGreaterThan(0);
  }, RUN_TIMEOUT);

  for (const mutation of SCALE_MUTATIONS) {
    it(`${mutation} is caught by ${SCALE_CAUGHT_BY[mutation]}`, async () => {
      const run = await probe(mutation, true);
      expect(run.error).toBeUndefined();
      const caught = run.verdicts.filter((v) => v.checker === SCALE_CAUGHT_BY[mutation] && v.validity === 'invalid');
      expect(caught.length, `verdicts: ${failures(run).join('; ') || 'all valid'}`).toBeGreaterThan(0);
      expect(caught[0]!.examples.length).toBeGreaterThan(0);
    }, RUN_TIMEOUT);
  }
});
