import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagedProcess } from '../../../../chaos/src/infra/process/managed-process.js';
import { livePids } from '../../../../chaos/src/infra/index.js';
import { eventually } from '../../../support/infra.js';
import { alive } from '../../../support/processes.js';

/** The process layer under every native server: real signals, real reaping, no orphans. */
describe('ManagedProcess', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidemark-proc-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('kill() is a SIGKILL and resolves only once the child is reaped', async () => {
    const proc = ManagedProcess.launch({ command: 'sleep', args: ['60'], logFile: join(dir, 'sleep.log') });
    expect(alive(proc.pid)).toBe(true);
    expect(livePids()).toContain(proc.pid);
    const exit = await proc.kill();
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(alive(proc.pid)).toBe(false);
    expect(livePids()).not.toContain(proc.pid);
  });

  it('terminate() escalates to SIGKILL when the grace period runs out', async () => {
    const proc = ManagedProcess.launch({ command: 'bash', args: ['-c', 'trap "" TERM; echo started; while :; do sleep 0.05; done'], logFile: join(dir, 'stubborn.log') });
    await eventually(async () => expect(await readFile(join(dir, 'stubborn.log'), 'utf8')).toContain('started'));
    const exit = await proc.terminate('SIGTERM', 300);
    expect(exit.signal).toBe('SIGKILL');
  });

  it('captures stdout and stderr in the log file', async () => {
    const proc = ManagedProcess.launch({ command: 'bash', args: ['-c', 'echo out; echo err >&2'], logFile: join(dir, 'both.log') });
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect((await readFile(join(dir, 'both.log'), 'utf8')).split('\n').sort()).toEqual(['', 'err', 'out']);
  });

  it('servers die with their parent even when the parent is SIGKILLed (parent-death signal)', async () => {
    // The built module: a plain node child cannot load TypeScript sources.
    const module = join(import.meta.dirname, '../../../../chaos/dist/infra/process/managed-process.js');
    // A parent that starts a server and prints its pid; we then SIGKILL the parent, so no exit hook runs.
    const script = `import('${module}').then(({ ManagedProcess }) => { const p = ManagedProcess.launch({ command: 'sleep', args: ['60'], logFile: '${join(dir, 'orphan.log')}' }); console.log(p.pid); setInterval(() => {}, 1000); });`;
    const parent = spawn('node', ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve, reject) => {
      parent.stdout?.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      parent.once('exit', (code) => reject(new Error(`parent exited early with ${code}`)));
    });
    expect(alive(childPid)).toBe(true);
    parent.kill('SIGKILL');
    await eventually(async () => expect(alive(childPid)).toBe(false), 5000);
  });
});
