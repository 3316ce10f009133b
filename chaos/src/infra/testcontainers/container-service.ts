import type { ContainerRuntimeClient, StartedTestContainer } from 'testcontainers';
import { waitUntilReady } from '../readiness.js';
import type { ReplicaHandle, ServiceInfo } from '../types.js';

/** Docker's multiplexed log stream has an 8-byte header per frame; keep only the payloads. */
export function demuxDockerLogs(buffer: Buffer): string {
  const chunks: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length && (buffer[offset] === 1 || buffer[offset] === 2) && buffer.readUInt16BE(offset + 1) === 0) {
    const size = buffer.readUInt32BE(offset + 4);
    chunks.push(buffer.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return offset === 0 ? buffer.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

export interface ContainerServiceOptions {
  readonly info: ServiceInfo;
  readonly container: StartedTestContainer;
  readonly runtime: ContainerRuntimeClient;
  /** One real client round trip on the direct endpoint. */
  readonly probe: () => Promise<void>;
  readonly readyTimeoutMs: number;
  /** Replicas: turns it into a primary. */
  readonly promotion?: () => Promise<void>;
}

/**
 * A service running in a container. stop/kill/start act on the same container, so it comes back
 * with its data and its published ports; `pid` is the server's PID on the Docker host (the
 * container's main process), so kills can be checked like native ones.
 */
export class ContainerService implements ReplicaHandle {
  private mainPid: number | undefined;
  private starting: Promise<void> | undefined;

  constructor(private readonly options: ContainerServiceOptions) {}

  get name() { return this.options.info.name; }
  get kind() { return this.options.info.kind; }
  get direct() { return this.options.info.direct; }
  get proxied() { return this.options.info.proxied; }
  get credentials() { return this.options.info.credentials; }
  get cdcCredentials() { return this.options.info.cdcCredentials; }
  get replicaOf() { return this.options.info.replicaOf; }
  get location() { return this.options.info.location; }
  get pid(): number | undefined { return this.mainPid; }
  get containerId(): string { return this.options.container.getId(); }

  info(): ServiceInfo {
    return this.options.info;
  }

  private get docker() {
    return this.options.runtime.container.getById(this.containerId);
  }

  /** Reads the container's state; remembers the main PID while it runs. */
  async refresh(): Promise<boolean> {
    const state = await this.options.runtime.container.inspect(this.docker);
    this.mainPid = state.State.Running && state.State.Pid > 0 ? state.State.Pid : undefined;
    return state.State.Running;
  }

  async stop(): Promise<void> {
    await this.options.runtime.container.stop(this.docker, { timeout: 30 });
    await this.refresh();
  }

  async kill(): Promise<void> {
    await this.docker.kill({ signal: 'SIGKILL' }).catch((err: { statusCode?: number }) => {
      if (err.statusCode !== 409) throw err; // 409: not running
    });
    await waitUntilReady(async () => {
      if (await this.refresh()) throw new Error('still running');
    }, { what: `${this.name} container exit`, timeoutMs: 30_000 });
  }

  /** Concurrent callers share one start. */
  start(): Promise<void> {
    this.starting ??= this.startOnce().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async startOnce(): Promise<void> {
    if (!(await this.refresh())) await this.options.runtime.container.start(this.docker);
    await waitUntilReady(this.options.probe, {
      what: `${this.name} (container ${this.containerId.slice(0, 12)})`,
      timeoutMs: this.options.readyTimeoutMs,
      intervalMs: 100,
      exited: async () => !(await this.refresh()),
      logTail: () => this.logs().then((text) => text.split('\n').slice(-30).join('\n')),
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async isUp(): Promise<boolean> {
    if (!(await this.refresh())) return false;
    return this.options.probe().then(() => true, () => false);
  }

  async logs(): Promise<string> {
    const raw = await this.docker.logs({ stdout: true, stderr: true, follow: false });
    return demuxDockerLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  }

  async promote(): Promise<void> {
    if (!this.options.promotion) throw new Error(`${this.name} is not a replica`);
    await this.options.promotion();
  }
}
