import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerAvailable, selectProvider } from '../../../chaos/src/infra/index.js';

describe('provider selection', () => {
  it('honours an explicit choice and TIDEMARK_PROVIDER', async () => {
    expect(await selectProvider('native', {})).toBe('native');
    expect(await selectProvider('testcontainers', {})).toBe('testcontainers');
    expect(await selectProvider('auto', { TIDEMARK_PROVIDER: 'native', DOCKER_HOST: 'unix:///nonexistent.sock' })).toBe('native');
  });

  it('falls back to native when no Docker engine answers on the socket', async () => {
    expect(await dockerAvailable({ DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).toBe(false);
    expect(await selectProvider('auto', { DOCKER_HOST: 'unix:///nonexistent/docker.sock' })).toBe('native');
  });

  it('picks testcontainers when something answers /_ping on the Docker socket', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-docker-'));
    const socket = join(dir, 'docker.sock');
    const server = createServer((req, res) => res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK'));
    await new Promise<void>((resolve) => server.listen(socket, resolve));
    try {
      expect(await selectProvider('auto', { DOCKER_HOST: `unix://${socket}` })).toBe('testcontainers');
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown provider name', async () => {
    await expect(selectProvider('auto', { TIDEMARK_PROVIDER: 'kubernetes' })).rejects.toThrow(/unknown provider "kubernetes"/);
  });
});
