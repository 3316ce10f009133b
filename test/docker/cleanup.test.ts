/**
 * Without Ryuk, the provider removes its containers itself. These tests kill the harness the way
 * a crash would (SIGKILL: no exit handler runs) and check that nothing is left: first the
 * session's reaper removes it; if the reaper died too, the next bring-up sweeps it, and so does
 * `infra down`. Docker job only (vitest.docker.config.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startTopology } from '../../chaos/src/infra/index.js';
import { LABELS } from '../../chaos/src/infra/testcontainers/sessions.js';
import { eventually } from '../support/infra.js';
import { alive, descendants } from '../support/processes.js';
import { containersLabelled } from '../support/provider.js';

const DIST = resolve(import.meta.dirname, '../../chaos/dist/infra/index.js');
const BIN = resolve(import.meta.dirname, '../../chaos/bin/tidemark-chaos.js');

/** A harness in a child process: starts Redis on testcontainers, prints its session, waits to be killed. */
async function harness(): Promise<{ pid: number; session: string; reaper: number | undefined }> {
  const script = `import('${DIST}').then(async ({ startTopology }) => { const t = await startTopology(['redis'], { provider: 'testcontainers' }); console.log(t.info().session); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const session = await new Promise<string>((done, fail) => {
    child.stdout?.once('data', (d: Buffer) => done(d.toString().trim()));
    child.once('exit', (code) => fail(new Error(`harness exited early with ${code}`)));
  });
  const reaper = descendants(child.pid as number).find((pid) => pid !== child.pid);
  return { pid: child.pid as number, session, reaper };
}

const left = (session: string) => containersLabelled(LABELS.session, session);

describe('containers of a crashed harness', () => {
  it('are removed by the session reaper as soon as the harness dies', async () => {
    const h = await harness();
    expect(await left(h.session)).toHaveLength(3); // redis, toxiproxy, network
    process.kill(h.pid, 'SIGKILL');
    await eventually(async () => expect(await left(h.session)).toEqual([]), 30_000, 200);
    if (h.reaper) await eventually(async () => expect(alive(h.reaper as number)).toBe(false), 10_000, 100);
  }, 120_000);

  it('are swept by the next bring-up when the reaper died as well', async () => {
    const h = await harness();
    expect(h.reaper).toBeDefined();
    process.kill(h.reaper as number, 'SIGKILL');
    process.kill(h.pid, 'SIGKILL');
    await eventually(async () => expect(alive(h.pid)).toBe(false), 10_000, 100);
    expect(await left(h.session)).toHaveLength(3);
    const next = await startTopology(['redis'], { provider: 'testcontainers' });
    try {
      expect(await left(h.session)).toEqual([]);
    } finally {
      await next.down();
    }
  }, 120_000);

  it('are swept by `infra down`', async () => {
    const h = await harness();
    process.kill(h.reaper as number, 'SIGKILL');
    process.kill(h.pid, 'SIGKILL');
    await eventually(async () => expect(alive(h.pid)).toBe(false), 10_000, 100);
    const down = await promisify(execFile)(process.execPath, [BIN, 'infra', 'down', '--state', join(import.meta.dirname, 'no-such-state.json')]);
    expect(down.stdout).toMatch(/removed the containers of [1-9]\d* dead session/);
    expect(await left(h.session)).toEqual([]);
  }, 120_000);
});
