import { describe, expect, it } from 'vitest';
import { parseRunArgs } from '../../../chaos/src/runner/cli-args.js';

describe('run arguments', () => {
  it('defaults: both sources, auto provider, a time-based seed that is reported as not given', () => {
    const a = parseRunArgs(['--scenario', 'all'], 1_234_567_890);
    expect(a).toMatchObject({ scenario: 'all', source: 'both', provider: 'auto', images: null, seed: 567_890, seedGiven: false, runs: null, report: null, mutation: null, list: false });
  });

  it('takes every flag', () => {
    const a = parseRunArgs(['--scenario', 'random', '--source', 'mysql', '--provider', 'native', '--images', 'local', '--seed', '1', '--runs', '20', '--report', 'out/', '--mutation', 'swap-events']);
    expect(a).toMatchObject({ scenario: 'random', source: 'mysql', provider: 'native', images: 'local', seed: 1, seedGiven: true, runs: 20, report: 'out/', mutation: 'swap-events' });
  });

  it('--list needs no scenario', () => {
    expect(parseRunArgs(['--list']).list).toBe(true);
  });

  it('refuses what it cannot run, saying why', () => {
    expect(() => parseRunArgs([])).toThrow('--scenario is required');
    expect(() => parseRunArgs(['--scenario', 'all', '--source', 'oracle'])).toThrow('--source must be one of mysql, postgres, both, got "oracle"');
    expect(() => parseRunArgs(['--scenario', 'all', '--mutation', 'nope'])).toThrow(/--mutation must be one of checkpoint-before-delivery, .*skip-after-reconnect/);
    expect(() => parseRunArgs(['--scenario', 'all', '--images', 'remote'])).toThrow('--images must be one of local, official, auto, got "remote"');
    expect(() => parseRunArgs(['--scenario', 'all', '--runs', '0'])).toThrow('--runs must be an integer of at least 1');
    expect(() => parseRunArgs(['--scenario', 'all', '--seed', '1.5'])).toThrow('--seed must be an integer');
    expect(() => parseRunArgs(['--scenario', 'all', 'extra'])).toThrow('unexpected argument "extra"');
    expect(() => parseRunArgs(['--scenario', 'all', '--bogus'])).toThrow(/bogus/);
  });
});
