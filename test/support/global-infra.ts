import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import type { Topology, TopologyInfo } from '../../chaos/src/infra/index.js';

/**
 * vitest globalSetup: makes sure the native servers are installed (`tidemark-chaos setup`), then
 * runs a tiny HTTP broker in the main vitest process that starts a shared
 * topology the first time a test file asks for it (see sharedTopology in ./infra.ts) and tears
 * every one down when the run ends. A run that never asks starts nothing. The servers are
 * children of the main process, so they outlive the per-file worker forks.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // `npm test` on a fresh machine installs the servers first (idempotent; under a second when done).
  const { runSetup } = await import('../../chaos/src/infra/index.js');
  const report = await runSetup({ print: (line) => process.stderr.write(`${line}\n`) });
  if (!report.ok) throw new Error('tidemark-chaos setup failed (see above); run `npx tidemark-chaos setup --verbose` for details');
  // One topology per service (a replica with its primary), shared by every request that names
  // it: a Kafka started once serves the files asking for ['kafka'] and for ['mysql', 'kafka'].
  // Keyed by the whole request, the run started Kafka three times and four other servers twice.
  const topologies = new Map<string, Promise<Topology>>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/topology') {
      res.writeHead(404).end();
      return;
    }
    void (async () => {
      try {
        // Imported on first use, so runs that never ask do not load every client library.
        const { resolveServices, startTopology } = await import('../../chaos/src/infra/index.js');
        const { isReplica, PRIMARY_OF } = await import('../../chaos/src/infra/spec.js');
        const requested = resolveServices((url.searchParams.get('services') ?? '').split(',').filter(Boolean));
        if (requested.length === 0) throw new Error('sharedTopology needs at least one service');
        const groups = new Map<string, string[]>();
        for (const name of requested) {
          const root = isReplica(name) ? PRIMARY_OF[name] : name;
          groups.set(root, [...(groups.get(root) ?? []), name]);
        }
        const parts: Topology[] = [];
        // One group at a time: parallel starts would compete for the two cores and for free ports.
        for (const group of groups.values()) {
          const services = resolveServices(group);
          const key = services.join(',');
          if (!topologies.has(key)) topologies.set(key, startTopology(services));
          parts.push(await (topologies.get(key) as Promise<Topology>));
        }
        const infos = parts.map((t) => t.info());
        // Read-only use (no toxics), so one Toxiproxy URL stands for the request; each service's
        // proxy address is its own topology's.
        const info: TopologyInfo = { ...infos[0]!, services: infos.flatMap((i) => i.services) };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info));
      } catch (err) {
        res.writeHead(500).end(err instanceof Error ? err.message : String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('shared infra broker has no TCP address');
  project.provide('tidemarkInfraUrl', `http://127.0.0.1:${address.port}`);
  return async () => {
    server.close();
    const started = await Promise.allSettled(topologies.values());
    await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.down() : undefined)));
  };
}
