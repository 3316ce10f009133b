import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerAvailable, selectProvider } from '../../../chaos/src/infra/index.js';
import { chooseProvider, type DecisionDeps } from '../../../chaos/src/infra/choose-provider.js';
import { ImagesUnavailableError } from '../../../chaos/src/infra/images/availability.js';

const unavailable = new ImagesUnavailableError([
  { image: { key: 'mysql', ref: 'mysql:8.4', origin: 'official' }, reason: 'not on this machine, and the pull failed: no registry reachable (registry-1.docker.io)' },
]);

function deps(docker: boolean, images: 'ok' | 'missing' | Error): DecisionDeps & { asked: number } {
  const d = {
    asked: 0,
    dockerAvailable: async () => docker,
    ensureImages: async () => {
      d.asked += 1;
      if (images === 'missing') throw unavailable;
      if (images instanceof Error) throw images;
    },
  };
  return d;
}

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

describe('choosing a provider with the images in mind', () => {
  it('auto uses testcontainers only when Docker answers and its images can be had', async () => {
    expect(await chooseProvider('auto', ['redis'], undefined, {}, deps(true, 'ok'))).toEqual({ provider: 'testcontainers' });
    const noDocker = deps(false, 'ok');
    expect(await chooseProvider('auto', ['redis'], undefined, {}, noDocker)).toEqual({ provider: 'native' });
    expect(noDocker.asked).toBe(0);
  });

  it('auto falls back to native with one notice naming the image, the reason and what to do', async () => {
    const decision = await chooseProvider('auto', ['mysql'], undefined, {}, deps(true, 'missing'));
    expect(decision.provider).toBe('native');
    expect(decision.notice).toContain('mysql:8.4: not on this machine, and the pull failed: no registry reachable (registry-1.docker.io)');
    expect(decision.notice).toContain('npx tidemark-chaos images build');
  });

  it('an explicit testcontainers fails at once: no engine, or images that cannot be had', async () => {
    await expect(chooseProvider('testcontainers', ['redis'], undefined, { DOCKER_HOST: 'unix:///x.sock' }, deps(false, 'ok'))).rejects.toThrow(
      /no Docker engine answers at unix:\/\/\/x\.sock.*--provider native/,
    );
    await expect(chooseProvider('testcontainers', ['mysql'], undefined, {}, deps(true, 'missing'))).rejects.toBe(unavailable);
    await expect(chooseProvider('auto', ['mysql'], undefined, { TIDEMARK_PROVIDER: 'testcontainers' }, deps(true, 'missing'))).rejects.toBe(unavailable);
  });

  it('other failures are not mistaken for missing images', async () => {
    await expect(chooseProvider('auto', ['redis'], undefined, {}, deps(true, new Error('permission denied on docker.sock')))).rejects.toThrow('permission denied');
  });

  it('the schema registry runs in a container like every other service', async () => {
    expect(await chooseProvider('auto', ['kafka', 'schema-registry'], undefined, {}, deps(true, 'ok'))).toEqual({ provider: 'testcontainers' });
    expect(await chooseProvider('testcontainers', ['schema-registry'], undefined, {}, deps(true, 'ok'))).toEqual({ provider: 'testcontainers' });
  });

  it('native never looks at Docker', async () => {
    const d = deps(true, 'ok');
    expect(await chooseProvider('native', ['redis'], undefined, {}, d)).toEqual({ provider: 'native' });
    expect(d.asked).toBe(0);
  });
});
