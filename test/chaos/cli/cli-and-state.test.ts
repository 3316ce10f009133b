import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../chaos/src/cli/table.js';
import { topologyTable } from '../../../chaos/src/cli/topology-table.js';
import { main } from '../../../chaos/src/cli/main.js';
import { readInfraState, writeInfraState, type InfraState, type TopologyInfo } from '../../../chaos/src/infra/index.js';

const topology: TopologyInfo = {
  provider: 'native',
  toxiproxyUrl: 'http://127.0.0.1:20000',
  services: [
    { name: 'mysql', kind: 'mysql', direct: { host: '127.0.0.1', port: 21000 }, proxied: { host: '127.0.0.1', port: 22000 } },
    { name: 'mysql-b', kind: 'mysql', direct: { host: '127.0.0.1', port: 21001 }, proxied: { host: '127.0.0.1', port: 22001 }, replicaOf: 'mysql' },
  ],
};

describe('CLI output and state file', () => {
  it('renders aligned tables', () => {
    expect(renderTable([['a', 'bb'], ['ccc', 'd']])).toBe('a    bb\n---  --\nccc  d');
  });

  it('shows service, direct address, proxied address and health', () => {
    const table = topologyTable(topology, [{ service: topology.services[0], health: 'healthy' }, { service: topology.services[1], health: 'proxy down' }]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^service\s+direct\s+proxied\s+health$/);
    expect(lines[2]).toMatch(/^mysql\s+127\.0\.0\.1:21000\s+127\.0\.0\.1:22000\s+healthy$/);
    expect(lines[3]).toMatch(/^mysql-b \(replica of mysql\)\s+127\.0\.0\.1:21001\s+127\.0\.0\.1:22001\s+proxy down$/);
  });

  it('round-trips the state file and explains a corrupt one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-state-'));
    try {
      const file = join(dir, 'state.json');
      const state: InfraState = { ownerPid: 42, startedAt: '2026-01-01T00:00:00.000Z', topology, processes: [{ service: 'mysql', pid: 43, startTime: 7 }] };
      expect(await readInfraState(file)).toBeUndefined();
      await writeInfraState(file, state);
      expect(await readInfraState(file)).toEqual(state);
      await writeFile(file, '{not json');
      await expect(readInfraState(file)).rejects.toThrow(/not valid JSON; delete it/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('main dispatches subcommands and rejects unknown ones with exit code 2', async () => {
    expect(await main(['no-such-command'])).toBe(2);
    expect(await main(['infra'])).toBe(2);
    expect(await main(['infra', 'sideways'])).toBe(2);
    expect(await main(['--help'])).toBe(0);
  });
});
