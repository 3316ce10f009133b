import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { debug } from '../debug.js';

/**
 * Ryuk's job without Ryuk's image: a small detached Node process per session that holds a pipe
 * from its owner. When the owner exits in any way (even SIGKILL), the pipe closes and the reaper
 * removes the session's containers and network, then exits. A normal `down()` removes them
 * first and closes the pipe itself, so the reaper finds nothing left.
 */
export class Reaper {
  private constructor(private readonly child: ChildProcess | undefined) {}

  static start(sessionId: string): Reaper {
    const entry = reaperEntry();
    if (!entry) {
      debug('reaper: compiled reaper-main.js not found (run `npx tsc -b`); dead sessions are swept at the next start instead');
      return new Reaper(undefined);
    }
    // Own process group: a Ctrl-C in the terminal reaches the harness, not the reaper.
    const child = spawn(process.execPath, [entry, sessionId], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: process.env });
    child.unref();
    (child.stdin as Socket | null)?.unref();
    return new Reaper(child);
  }

  /** Closes the pipe and waits (briefly) for the reaper's final sweep. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** dist/infra/testcontainers/reaper-main.js, also when this module runs from sources (vitest). */
function reaperEntry(): string | undefined {
  const here = fileURLToPath(new URL('./reaper-main.js', import.meta.url));
  const compiled = here.replace(`${sep}chaos${sep}src${sep}`, `${sep}chaos${sep}dist${sep}`);
  return existsSync(compiled) ? compiled : undefined;
}
