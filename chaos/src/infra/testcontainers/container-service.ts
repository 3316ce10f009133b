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

/** A service running in a container; stop/kill/start keep the container (and its data). */
export class ContainerService implements ReplicaHandle {
  readonly pid: number | undefined = undefined;

  constructor(
    private readonly serviceInfo: ServiceInfo,
    private readonly container: StartedTestContainer,
    private readonly runtime: ContainerRuntimeClient,
    private readonly probe: () => Promise<void>,
    private readonly promotion?: () => Promise<void>,
  ) {}

  get name() { return this.serviceInfo.name; }
  get kind() { return this.serviceInfo.kind; }
  get direct() { return this.serviceInfo.direct; }
  get proxied() { return this.serviceInfo.proxied; }
  get credentials() { return this.serviceInfo.credentials; }
  get cdcCredentials() { return this.serviceInfo.cdcCredentials; }
  get replicaOf() { return this.serviceInfo.replicaOf; }
  get location() { return this.serviceInfo.location; }

  info(): ServiceInfo {
    return this.serviceInfo;
  }

  private get docker() {
    return this.runtime.container.getById(this.container.getId());
  }

  async stop(): Promise<void> {
    await this.runtime.container.stop(this.docker, { timeout: 30 });
  }

  async kill(): Promise<void> {
    await this.docker.kill({ signal: 'SIGKILL' });
    await waitUntilReady(async () => {
      const state = await this.runtime.container.inspect(this.docker);
      if (state.State.Running) throw new Error('still running');
    }, { what: `${this.name} container exit`, timeoutMs: 30_000 });
  }

  async start(): Promise<void> {
    const state = await this.runtime.container.inspect(this.docker);
    if (!state.State.Running) await this.runtime.container.start(this.docker);
    await waitUntilReady(this.probe, { what: this.name, timeoutMs: 120_000, intervalMs: 200 });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  isUp(): Promise<boolean> {
    return this.probe().then(() => true, () => false);
  }

  async logs(): Promise<string> {
    const raw = await this.docker.logs({ stdout: true, stderr: true, follow: false });
    return demuxDockerLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
  }

  async promote(): Promise<void> {
    if (!this.promotion) throw new Error(`${this.name} is not a replica`);
    await this.promotion();
  }
}
