import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { LABELS, newSession, ownerAlive } from '../../../../chaos/src/infra/testcontainers/sessions.js';

/** Without Ryuk, containers are removed by the labels of their session: who owns them, and is it alive? */
describe('container sessions', () => {
  it('labels a session with its owner: PID, kernel start time and host', () => {
    const session = newSession();
    expect(session.labels[LABELS.ownerPid]).toBe(String(process.pid));
    expect(session.labels[LABELS.ownerStart]).toMatch(/^\d+$/);
    expect(session.labels[LABELS.ownerHost]).toBe(hostname());
    expect(session.network).toBe(`tidemark-${session.id}`);
    expect(newSession().id).not.toBe(session.id);
  });

  it('a session is alive while its owner runs, and dead once it exits or its PID is reused', async () => {
    const child = spawn('sleep', ['30']);
    const labels = newSession(child.pid as number).labels;
    expect(ownerAlive(labels)).toBe(true);
    expect(ownerAlive({ ...labels, [LABELS.ownerStart]: '1' })).toBe(false);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(ownerAlive(labels)).toBe(false);
  });

  it('never judges sessions of another host (a shared engine), nor trusts a malformed PID', () => {
    expect(ownerAlive({ ...newSession().labels, [LABELS.ownerHost]: 'elsewhere', [LABELS.ownerPid]: '999999' })).toBe(true);
    expect(ownerAlive({ ...newSession().labels, [LABELS.ownerPid]: 'x' })).toBe(false);
  });
});
