import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { trackPid, untrackPid } from './registry.js';

export interface LaunchSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Run as this user (e.g. postgres, which refuses root); applied by setpriv so the PID stays the server's. */
  readonly runAs?: { readonly uid: number; readonly gid: number };
  /** stdout and stderr are appended here. */
  readonly logFile: string;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Wraps the command in `setpriv --pdeathsig KILL`, which exec()s it: the server keeps the PID
 * we see, and the kernel SIGKILLs it if this Node process dies without cleaning up.
 */
export function setprivArgs(spec: Pick<LaunchSpec, 'command' | 'args' | 'runAs'>): string[] {
  const identity = spec.runAs ? [`--reuid=${spec.runAs.uid}`, `--regid=${spec.runAs.gid}`, '--init-groups'] : [];
  return ['--pdeathsig', 'KILL', ...identity, '--', spec.command, ...spec.args];
}

/** One server child process: started once, exits once. Restarting means launching a new one. */
export class ManagedProcess {
  readonly pid: number;
  /** Resolves when the child has exited and Node has reaped it (no zombie holds its locks). */
  readonly exited: Promise<ExitInfo>;
  private exitInfo: ExitInfo | undefined;
  private readonly child: ChildProcess;

  private constructor(child: ChildProcess, pid: number) {
    this.child = child;
    this.pid = pid;
    trackPid(pid);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        untrackPid(pid);
        resolve(this.exitInfo);
      });
    });
  }

  static launch(spec: LaunchSpec): ManagedProcess {
    const logFd = openSync(spec.logFile, 'a');
    try {
      const child = spawn('setpriv', setprivArgs(spec), {
        cwd: spec.cwd,
        env: spec.env ?? process.env,
        stdio: ['ignore', logFd, logFd],
        detached: false,
      });
      if (child.pid === undefined) throw new Error(`could not start ${spec.command} (is util-linux's setpriv installed?)`);
      return new ManagedProcess(child, child.pid);
    } finally {
      closeSync(logFd);
    }
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  get exitStatus(): ExitInfo | undefined {
    return this.exitInfo;
  }

  /** Sends a signal (no-op once exited). */
  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child.kill(sig);
  }

  /** Signals, waits up to graceMs for the exit, then SIGKILLs and waits for the reaping. */
  async terminate(sig: NodeJS.Signals, graceMs: number): Promise<ExitInfo> {
    if (!this.running) return this.exitInfo as ExitInfo;
    this.signal(sig);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.signal('SIGKILL');
    return this.exited;
  }

  /** SIGKILL and wait until the child is reaped. */
  async kill(): Promise<ExitInfo> {
    this.signal('SIGKILL');
    return this.exited;
  }
}
