import { GenericContainer, type WaitStrategy } from 'testcontainers';
import type { ContainerSpec } from './container-specs.js';
import { LABELS } from './sessions.js';

/**
 * Readiness is decided by the provider's own probes (a real client round trip, as in the native
 * provider), not by testcontainers: its port check needs a shell in the container, which the
 * official NATS and Toxiproxy images do not have.
 */
class ProbedByProvider implements WaitStrategy {
  private timeoutMs = 120_000;
  async waitUntilReady(): Promise<void> {}
  withStartupTimeout(ms: number): this {
    this.timeoutMs = ms;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return true;
  }
  getStartupTimeout(): number {
    return this.timeoutMs;
  }
}

/**
 * A GenericContainer with what the builder API lacks: ports published on one host address only
 * (127.0.0.1 for a local engine, so databases with an empty root password are not on the
 * network), and the stop signal.
 */
class TidemarkContainer extends GenericContainer {
  publish(ports: ContainerSpec['ports'], hostIp: string): this {
    this.exposedPorts = [...this.exposedPorts, ...ports.map((p) => ({ container: p.container, host: p.host }))];
    this.createOpts.ExposedPorts = { ...this.createOpts.ExposedPorts, ...Object.fromEntries(ports.map((p) => [`${p.container}/tcp`, {}])) };
    this.hostConfig.PortBindings = {
      ...this.hostConfig.PortBindings,
      ...Object.fromEntries(ports.map((p) => [`${p.container}/tcp`, [{ HostIp: hostIp, HostPort: String(p.host) }]])),
    };
    return this;
  }

  /** Joins only the session's network, under an alias (testcontainers' aliases add the default bridge too). */
  joinNetwork(network: string, alias: string): this {
    this.networkMode = network;
    this.createOpts.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [alias] } } };
    return this;
  }

  withStopSignal(signal: string): this {
    this.createOpts.StopSignal = signal;
    return this;
  }
}

export interface ContainerPlacement {
  /** The session's network (joined under the spec's alias) unless the spec uses the host's. */
  readonly network: string;
  readonly hostIp: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The testcontainers builder for one spec. */
export function toContainer(spec: ContainerSpec, placement: ContainerPlacement): GenericContainer {
  const base = new TidemarkContainer(spec.image)
    .withLabels({ ...placement.labels, [LABELS.service]: spec.name })
    .withEnvironment({ ...spec.env })
    .withWaitStrategy(new ProbedByProvider())
    .withStopSignal(spec.stopSignal ?? 'SIGTERM')
    .publish(spec.ports, placement.hostIp);
  let container: GenericContainer = spec.networkMode === 'host' ? base.withNetworkMode('host') : base.joinNetwork(placement.network, spec.alias ?? spec.name);
  if (spec.command) container = container.withCommand([...spec.command]);
  if (spec.entrypoint) container = container.withEntrypoint([...spec.entrypoint]);
  if (spec.user) container = container.withUser(spec.user);
  if (spec.files.length > 0) container = container.withCopyContentToContainer(spec.files.map((f) => ({ content: f.content, target: f.target })));
  return container;
}
