import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InfraState } from '../../../chaos/src/infra/index.js';
import { LABELS } from '../../../chaos/src/infra/testcontainers/sessions.js';
import { alive } from '../../support/processes.js';
import { TEST_PROVIDER, containersLabelled } from '../../support/provider.js';

const BIN = join(import.meta.dirname, '../../../chaos/bin/tidemark-chaos.js');
const run = promisify(execFile);

/** Runs the CLI to completion; returns exit code and output (never throws on a non-zero exit). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run('node', [BIN, ...args], { timeout: 90_000 });
    return { code: 0, stdout };
  } catch (err) {
    const failure = err as { code?: number; stdout?: string };
    return { code: failure.code ?? 1, stdout: failure.stdout ?? '' };
  }
}

/** Starts `infra up` and resolves once it printed its table and wrote the state file. */
function infraUp(stateFile: string, services: string): Promise<{ child: ChildProcess; output: () => string; exit: Promise<number | null> }> {
  const child = spawn('node', [BIN, 'infra', 'up', '--provider', TEST_PROVIDER, '--services', services, '--state', stateFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('tears it down')) resolve({ child, output: () => output, exit });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then((code) => reject(new Error(`infra up exited early (${code}):\n${output}`)));
  });
}

/** Servers of a recorded topology still running: native processes, or the session's containers. */
async function running(state: InfraState): Promise<string[]> {
  const processes = state.processes.filter((p) => alive(p.pid)).map((p) => `${p.service} pid ${p.pid}`);
  return [...processes, ...(state.topology.session ? await containersLabelled(LABELS.session, state.topology.session) : [])];
}

describe(`tidemark-chaos infra up|status|down (${TEST_PROVIDER})`, () => {
  let dir: string;
  beforeAll(async () => {
    if (!existsSync(join(import.meta.dirname, '../../../chaos/dist/cli/main.js'))) throw new Error('chaos is not built: run `npx tsc -b` first');
    dir = await mkdtemp(join(tmpdir(), 'tidemark-cli-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('up prints the topology table, status shows every service healthy, down stops everything', async () => {
    const stateFile = join(dir, 'state.json');
    const up = await infraUp(stateFile, 'redis,nats');
    expect(up.output()).toMatch(/service\s+direct\s+proxied\s+health/);
    expect(up.output()).toMatch(/redis\s+127\.0\.0\.1:\d+\s+127\.0\.0\.1:\d+\s+healthy/);

    const state = JSON.parse(await readFile(stateFile, 'utf8')) as InfraState;
    expect(state.ownerPid).toBe(up.child.pid);
    expect(state.topology.services.map((s) => s.name)).toEqual(['redis', 'nats']);
    expect(state.topology.provider).toBe(TEST_PROVIDER);
    expect(await running(state)).toHaveLength(TEST_PROVIDER === 'native' ? 2 : 4); // containers: redis, nats, toxiproxy, network

    const status = await cli('infra', 'status', '--state', stateFile);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/nats\s+127\.0\.0\.1:\d+\s+127\.0\.0\.1:\d+\s+healthy/);
    expect(status.stdout).toContain(`(provider: ${TEST_PROVIDER})`);
    if (TEST_PROVIDER === 'testcontainers') expect(status.stdout).toMatch(/images \((local|official)\): redis \S+, nats \S+, toxiproxy \S+/);

    const down = await cli('infra', 'down', '--state', stateFile);
    expect(down.code).toBe(0);
    expect(await up.exit).toBe(0);
    expect(await running(state)).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
    if (state.topology.root) expect(existsSync(state.topology.root)).toBe(false);
    expect((await cli('infra', 'status', '--state', stateFile)).code).toBe(3);
  }, 120_000);

  it('Ctrl-C (SIGINT) on `infra up` tears the topology down', async () => {
    const stateFile = join(dir, 'state-sigint.json');
    const up = await infraUp(stateFile, 'redis');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as InfraState;
    up.child.kill('SIGINT');
    expect(await up.exit).toBe(0);
    expect(up.output()).toContain('SIGINT: tearing down');
    expect(await running(state)).toEqual([]);
    expect(existsSync(stateFile)).toBe(false);
  }, 120_000);

  it('status reports a service whose proxy is down', async () => {
    const stateFile = join(dir, 'state-proxy.json');
    const up = await infraUp(stateFile, 'redis');
    try {
      const state = JSON.parse(await readFile(stateFile, 'utf8')) as InfraState;
      await fetch(`${state.topology.toxiproxyUrl}/proxies/redis`, { method: 'POST', body: JSON.stringify({ enabled: false }) });
      const status = await cli('infra', 'status', '--state', stateFile, '--json');
      expect(status.code).toBe(1);
      expect(JSON.parse(status.stdout).health).toEqual([expect.objectContaining({ service: 'redis', health: 'proxy down' })]);
    } finally {
      up.child.kill('SIGTERM');
      await up.exit;
    }
  }, 120_000);

  it('unknown commands and services fail with usage', async () => {
    expect((await cli('bogus')).code).toBe(2);
    const bad = await cli('infra', 'up', '--services', 'oracle', '--state', join(dir, 'never.json'));
    expect(bad.code).toBe(1);
  });
});
