import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../../../chaos/src/runner/cli-args.js';
import { SCENARIOS_DIR } from '../../../../chaos/src/runner/paths.js';
import { planRuns, selectScenarios } from '../../../../chaos/src/runner/plan.js';
import { cliArgs, cliCommand, planRequest } from '../../../../chaos/src/playground/runs/run-manager.js';
import { runRequest } from '../../../../chaos/src/playground/routes/runs.js';

describe('a playground run request', () => {
  it('plans exactly the runs `npm run chaos` plans for the same flags', () => {
    const request = { scenario: 'network-partition', source: 'both' as const, seed: 42, runs: 2 };
    const args = parseRunArgs(['--scenario', 'network-partition', '--source', 'both', '--seed', '42', '--runs', '2']);
    expect(planRequest(request, SCENARIOS_DIR)).toEqual(planRuns(selectScenarios(args.scenario!, SCENARIOS_DIR), args.source, args.seed, args.runs!));
    expect(planRequest(request, SCENARIOS_DIR).map((r) => [r.source, r.seed])).toEqual([['mysql', 42], ['mysql', 43], ['postgres', 42], ['postgres', 43]]);
    expect(cliArgs(request)).toEqual(['--scenario', 'network-partition', '--source', 'both', '--seed', '42', '--runs', '2']);
    expect(cliCommand(request)).toBe('npm run chaos -- --scenario network-partition --source both --seed 42 --runs 2');
  });

  it('says why nothing runs, and what the playground leaves to the terminal', () => {
    expect(() => planRequest({ scenario: 'binlog-purge', source: 'postgres', seed: 1, runs: 1 }, SCENARIOS_DIR)).toThrow(/nothing to run for source postgres: binlog-purge \(mysql only\)/);
    expect(() => planRequest({ scenario: 'all', source: 'both', seed: 1, runs: 1 }, SCENARIOS_DIR)).toThrow(/runs from the terminal/);
    expect(() => planRequest({ scenario: 'no-such', source: 'both', seed: 1, runs: 1 }, SCENARIOS_DIR)).toThrow(/no scenario "no-such"/);
  });

  it('is checked before it reaches the planner', () => {
    expect(runRequest({ scenario: 'crash-recovery', source: 'mysql', seed: 3, runs: 2 })).toEqual({ scenario: 'crash-recovery', source: 'mysql', seed: 3, runs: 2 });
    expect(() => runRequest({ scenario: '../x', source: 'mysql' })).toThrow(/scenario name/);
    expect(() => runRequest({ scenario: 'x', source: 'oracle' })).toThrow(/source/);
    expect(() => runRequest({ scenario: 'x', source: 'mysql', seed: -1 })).toThrow(/seed/);
    expect(() => runRequest({ scenario: 'x', source: 'mysql', runs: 0 })).toThrow(/runs/);
  });
});
