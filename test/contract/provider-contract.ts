/**
 * The Provider contract (chaos/src/infra/provider.ts), run against each provider by one small
 * file (test/contract/providers/*.test.ts): native in `npm test`, testcontainers on the
 * testcontainers path (vitest.docker.config.ts, run by .ci/testcontainers-path where Docker is).
 * A small spec (Postgres and Redis) keeps each bring-up to seconds.
 *
 * Cases: up(spec) gives a topology whose services answer on their proxied and direct endpoints,
 * with a Toxiproxy proxy per service in the path; down() stops every process and container of
 * every topology the provider started (checked by PID and container listing); up() works again
 * after down(); a bad spec is refused with an error naming the service, starting nothing.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider, ServiceName, Topology } from '../../chaos/src/infra/index.js';
import { LABELS } from '../../chaos/src/infra/testcontainers/sessions.js';
import { pgQuery, redisCall } from '../chaos/infra/clients.js';
import { descendants, ProcessLedger } from '../support/processes.js';

const SPEC = { services: ['redis', 'postgres'] as ServiceName[] };

/** Containers and networks (any state) of a testcontainers topology's session; [] for native. */
async function containersOf(topology: Topology): Promise<string[]> {
  const session = topology.info().session;
  if (topology.provider !== 'testcontainers' || !session) return [];
  const { dockerRuntime } = await import('../../chaos/src/infra/testcontainers/docker-runtime.js');
  const docker = (await dockerRuntime()).container.dockerode;
  const filters = { label: [`${LABELS.session}=${session}`] };
  const [containers, networks] = await Promise.all([docker.listContainers({ all: true, filters }), docker.listNetworks({ filters })]);
  return [...containers.map((c) => `container ${c.Names.join(',')} (${c.State})`), ...networks.map((n) => `network ${n.Name}`)];
}

/**
 * Records the topology's processes: native servers (and Toxiproxy) are our descendants;
 * containers' main processes have host PIDs too. `earlier`: processes another case answers for.
 */
function record(ledger: ProcessLedger, topology: Topology, earlier: ReadonlySet<number> = new Set()): void {
  for (const pid of descendants()) if (!earlier.has(pid)) ledger.record(pid);
  for (const name of topology.names) ledger.record(topology.get(name).pid);
}

/** What is left of topologies after down(): live processes, containers, networks, the native temp root. */
async function leftovers(ledger: ProcessLedger, topologies: readonly Topology[]): Promise<string[]> {
  const left = (await ledger.survivors()).map((pid) => `pid ${pid}`);
  for (const t of topologies) {
    left.push(...(await containersOf(t)));
    if (t.root && existsSync(t.root)) left.push(`temp root ${t.root}`);
  }
  return left;
}

/** Both endpoints of both services answer a real round trip: [redis proxy, redis direct, postgres proxy, postgres direct]. */
async function roundTrips(topology: Topology): Promise<unknown[]> {
  const redis = topology.get('redis').info();
  const postgres = topology.get('postgres').info();
  return Promise.all([
    redisCall(redis, 'proxy', 'PING'),
    redisCall(redis, 'direct', 'PING'),
    pgQuery(postgres, 'proxy', 'SELECT 1 AS one').then((rows) => rows[0]?.one),
    pgQuery(postgres, 'direct', 'SELECT 1 AS one').then((rows) => rows[0]?.one),
  ]);
}

export function providerContract(make: () => Provider): void {
  describe('provider contract', () => {
    const provider = make();
    const ledger = new ProcessLedger();
    let first: Topology;

    beforeAll(async () => {
      first = await provider.up(SPEC);
      record(ledger, first);
    }, 180_000);
    afterAll(async () => {
      await provider.down();
    }, 120_000);

    it('up(spec) starts the services asked for, under the provider name', () => {
      expect(first.provider).toBe(provider.name);
      expect([...first.names].sort()).toEqual(['postgres', 'redis']);
      expect(first.info().services.map((s) => s.name).sort()).toEqual(['postgres', 'redis']);
    });

    it('each service answers on its proxied and on its direct endpoint', async () => {
      expect(await roundTrips(first)).toEqual(['PONG', 'PONG', 1, 1]);
      for (const name of first.names) expect(await first.get(name).isUp(), `${name} isUp()`).toBe(true);
    }, 30_000);

    it('each service has a Toxiproxy proxy of its name on its proxied endpoint, in the path', async () => {
      const proxies = await first.toxiproxy.proxies();
      expect(proxies.map((p) => p.name).sort()).toEqual(['postgres', 'redis']);
      for (const p of proxies) {
        const proxied = first.get(p.name as ServiceName).info().proxied;
        expect(p.listen, `${p.name} proxy listens on the proxied endpoint`).toBe(`${proxied.host}:${proxied.port}`);
        expect(p.enabled).toBe(true);
      }
      const redis = first.get('redis').info();
      await first.toxiproxy.down('redis');
      try {
        await expect(redisCall(redis, 'proxy', 'PING')).rejects.toThrow();
        expect(await redisCall(redis, 'direct', 'PING')).toBe('PONG');
      } finally {
        await first.toxiproxy.up('redis');
      }
      expect(await redisCall(redis, 'proxy', 'PING')).toBe('PONG');
    }, 30_000);

    it('down() stops every process and container of every topology it started', async () => {
      const second = await provider.up({ services: ['redis'] });
      record(ledger, second);
      record(ledger, first);
      expect(ledger.all.length, 'the servers and Toxiproxy of two topologies were seen').toBeGreaterThanOrEqual(first.provider === 'native' ? 5 : 3);
      await provider.down();
      expect(await leftovers(ledger, [first, second])).toEqual([]);
      await provider.down(); // idempotent
    }, 180_000);

    it('up() works again after down()', async () => {
      const again = await provider.up(SPEC);
      const ledgerAgain = new ProcessLedger();
      record(ledgerAgain, again, new Set(ledger.all));
      expect(await roundTrips(again)).toEqual(['PONG', 'PONG', 1, 1]);
      await provider.down();
      expect(await leftovers(ledgerAgain, [again])).toEqual([]);
    }, 180_000);

    it('a bad spec is refused with an error naming the service, and starts nothing', async () => {
      const before = new Set(descendants());
      await expect(provider.up({ services: ['redis', 'kafak' as ServiceName] })).rejects.toThrow(/unknown service "kafak"; known services: .*redis/);
      expect(descendants().filter((pid) => !before.has(pid)), 'processes started by the refused spec').toEqual([]);
    });
  });
}
