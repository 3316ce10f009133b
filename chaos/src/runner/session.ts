import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTopology, type Endpoint, type ReplicaName, type ServiceName, type Topology } from '../infra/index.js';
import type { ProviderChoice } from '../infra/select-provider.js';
import { allocatePort } from '../infra/ports.js';
import { startHttpReceiver, type HttpReceiver } from '../readers/index.js';
import type { SourceFamily } from './types.js';

export interface SessionOptions {
  readonly services: readonly ServiceName[];
  readonly provider?: ProviderChoice;
  /** An HTTP receiver (behind a Toxiproxy proxy named `http`) for runs with an HTTP sink. */
  readonly http?: boolean;
  readonly log?: (message: string) => void;
}

/**
 * What one CLI invocation shares between its runs: the servers behind Toxiproxy (started once),
 * the HTTP receiver, a temp root for engine data dirs and logs, and which server is each source
 * family's primary (a failover changes it for the rest of the invocation).
 */
export class ChaosSession {
  readonly primary: Record<SourceFamily, ServiceName> = { mysql: 'mysql', postgres: 'postgres' };
  /** Tells invocations apart in names (topics, streams) should they ever share servers. */
  readonly nonce = Math.random().toString(36).slice(2, 6);
  private ordinal = 0;
  private readonly workloadProxies = new Map<SourceFamily, { name: string; endpoint: Endpoint }>();

  private constructor(
    readonly topology: Topology,
    readonly root: string,
    readonly receiver: HttpReceiver | null,
    /** The receiver as the engine reaches it: through the `http` proxy. */
    readonly httpBase: string | null,
  ) {}

  static async start(options: SessionOptions): Promise<ChaosSession> {
    const topology = await startTopology([...options.services], { provider: options.provider ?? 'auto' });
    return ChaosSession.over(topology, options);
  }

  /**
   * A session on servers that are already up (the playground starts them itself, or attaches to
   * `infra up`'s). close() still calls topology.down(), which an attached topology ignores.
   */
  static async over(topology: Topology, options: Pick<SessionOptions, 'http'> = {}): Promise<ChaosSession> {
    const root = mkdtempSync(join(tmpdir(), 'tidemark-chaos-'));
    let receiver: HttpReceiver | null = null;
    try {
      let httpBase: string | null = null;
      if (options.http) {
        receiver = await startHttpReceiver();
        const listen = { host: '127.0.0.1', port: await allocatePort() };
        await topology.toxiproxy.createProxy('http', listen, { host: '127.0.0.1', port: receiver.port });
        httpBase = `http://${listen.host}:${listen.port}`;
      }
      return new ChaosSession(topology, root, receiver, httpBase);
    } catch (e) {
      await receiver?.close();
      await topology.down();
      rmSync(root, { recursive: true, force: true });
      throw e;
    }
  }

  /** A fresh ordinal for the next run's names. */
  nextOrdinal(): number {
    return ++this.ordinal;
  }

  /** A directory for one run's engine data and log. */
  runDir(runId: string): string {
    return join(this.root, runId);
  }

  promoted(family: SourceFamily, replica: ReplicaName): void {
    this.primary[family] = replica;
  }

  /**
   * Before each run: every server up, every proxy enabled without toxics, and the source proxies
   * (the engine's and the workload's) pointing at the current primaries.
   */
  async resetNetwork(): Promise<void> {
    const { topology } = this;
    for (const name of topology.names) {
      const handle = topology.get(name);
      if (!(await handle.isUp())) await handle.start();
    }
    await topology.toxiproxy.reset();
    for (const family of ['mysql', 'postgres'] as const) {
      if (!topology.has(family)) continue;
      const upstream = topology.get(this.primary[family]).direct;
      await topology.toxiproxy.switchUpstream(family, upstream);
      const wp = this.workloadProxies.get(family);
      if (wp) await topology.toxiproxy.switchUpstream(wp.name, upstream);
    }
  }

  /**
   * A proxy for the workload to write through, so that a failover can move it to the promoted
   * replica; no fault ever targets it, so it behaves like the direct connection it replaces.
   */
  async workloadProxy(family: SourceFamily): Promise<{ name: string; endpoint: Endpoint }> {
    let wp = this.workloadProxies.get(family);
    if (!wp) {
      wp = { name: `workload-${family}`, endpoint: { host: '127.0.0.1', port: await allocatePort() } };
      await this.topology.toxiproxy.createProxy(wp.name, wp.endpoint, this.topology.get(this.primary[family]).direct);
      this.workloadProxies.set(family, wp);
    }
    return wp;
  }

  /**
   * Stops every server; removes the temp root unless `keep` (engine logs of failed runs live
   * there) or TIDEMARK_KEEP_DATA=1.
   */
  async close(keep: boolean): Promise<void> {
    await this.receiver?.close().catch(() => undefined);
    await this.topology.down();
    if (!keep && process.env.TIDEMARK_KEEP_DATA !== '1') rmSync(this.root, { recursive: true, force: true });
  }
}
