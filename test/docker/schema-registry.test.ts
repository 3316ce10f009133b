/**
 * The schema registry on the testcontainers provider, from its local image (or the official one
 * where a registry is reachable): it answers the Confluent API through its Toxiproxy proxy and
 * directly, the proxy really is in the path, and, like the native service, it keeps its schemas
 * and ids across a SIGKILL of the container (the nemesis kills and restarts it; an empty registry
 * after a restart would hand the same ids to other schemas). Docker job only (vitest.docker.config.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryUrl, startTopology, type ServiceInfo, type Topology } from '../../chaos/src/infra/index.js';
import { LABELS } from '../../chaos/src/infra/testcontainers/sessions.js';
import { alive } from '../support/processes.js';
import { containersLabelled } from '../support/provider.js';

const SCHEMA = { type: 'record', name: 'Order', namespace: 'tidemark.test', fields: [{ name: 'id', type: 'long' }] };
const EVOLVED = { ...SCHEMA, fields: [...SCHEMA.fields, { name: 'note', type: 'string', default: '' }] };
const INCOMPATIBLE = { ...SCHEMA, fields: [...SCHEMA.fields, { name: 'qty', type: 'int' }] };

async function call(service: ServiceInfo, via: 'proxy' | 'direct', path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${registryUrl(service, via)}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: await response.json() };
}

const register = (service: ServiceInfo, via: 'proxy' | 'direct', subject: string, schema: unknown) =>
  call(service, via, `/subjects/${subject}/versions`, { schema: JSON.stringify(schema) });

describe('schema registry in a container (testcontainers)', () => {
  let topology: Topology;
  let registry: ServiceInfo;

  beforeAll(async () => {
    topology = await startTopology(['schema-registry'], { provider: 'testcontainers' });
    registry = topology.get('schema-registry').info();
  }, 180_000);
  afterAll(async () => {
    await topology?.down();
  }, 120_000);

  it('runs the catalog image behind a Toxiproxy proxy of its name', async () => {
    expect(topology.provider).toBe('testcontainers');
    expect(topology.info().images?.['schema-registry']).toMatch(/apicurio/);
    expect(registry.location).toMatch(/^container /);
    const proxy = (await topology.toxiproxy.proxies()).find((p) => p.name === 'schema-registry');
    expect(proxy?.listen).toBe(`${registry.proxied.host}:${registry.proxied.port}`);
    expect(proxy?.upstream).toBe(`${registry.direct.host}:${registry.direct.port}`);
  });

  it('registers through the proxy and reads back directly, enforcing BACKWARD compatibility', async () => {
    const first = await register(registry, 'proxy', 'orders-value', SCHEMA);
    expect(first.status).toBe(200);
    const id = (first.json as { id: number }).id;
    const read = await call(registry, 'direct', `/schemas/ids/${id}`);
    expect(JSON.parse((read.json as { schema: string }).schema)).toEqual(SCHEMA);
    expect((await register(registry, 'direct', 'orders-value', EVOLVED)).status).toBe(200);
    expect((await register(registry, 'direct', 'orders-value', INCOMPATIBLE)).status).toBe(409);
  });

  it('proxy down makes calls through it fail while the direct endpoint answers; proxy up restores them', async () => {
    await topology.toxiproxy.down('schema-registry');
    try {
      await expect(call(registry, 'proxy', '/subjects')).rejects.toThrow();
      expect((await call(registry, 'direct', '/subjects')).status).toBe(200);
    } finally {
      await topology.toxiproxy.up('schema-registry');
    }
    expect((await call(registry, 'proxy', '/subjects')).json).toContain('orders-value');
  });

  it('keeps its schemas and ids across a SIGKILL of the container', async () => {
    const subject = 'survivor-value';
    const before = await register(registry, 'direct', subject, { ...SCHEMA, name: 'Survivor' });
    const id = (before.json as { id: number }).id;
    const handle = topology.get('schema-registry');
    const pid = handle.pid as number;
    await handle.kill();
    expect(alive(pid)).toBe(false);
    await handle.start();
    expect(handle.pid).not.toBe(pid);
    const after = await call(registry, 'proxy', `/subjects/${subject}/versions/latest`);
    expect(after.json).toMatchObject({ id, version: 1 });
    // A new schema gets a new id, not one already handed out before the kill.
    const next = await register(registry, 'proxy', 'other-value', { ...SCHEMA, name: 'Other' });
    expect((next.json as { id: number }).id).toBeGreaterThan(id);
  }, 120_000);

  it('down() removes the container and its network', async () => {
    const session = topology.info().session as string;
    await topology.down();
    expect(await containersLabelled(LABELS.session, session)).toEqual([]);
  }, 120_000);
});
