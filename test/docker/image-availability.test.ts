/**
 * auto is honest, against a real Docker engine that reaches no image registry: an image that
 * cannot be had is named, with why and what to do, never as the engine's raw registry error;
 * `--provider testcontainers` stops on it, `auto` says it once and runs the native servers.
 * Docker job only (vitest.docker.config.ts).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABELS } from '../../chaos/src/infra/testcontainers/sessions.js';
import { dockerRuntime } from '../../chaos/src/infra/testcontainers/docker-runtime.js';

const BIN = resolve(import.meta.dirname, '../../chaos/bin/tidemark-chaos.js');

/** This process's environment without a provider or image choice, plus `extra`. */
function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.TIDEMARK_PROVIDER;
  if (!('TIDEMARK_IMAGES' in extra)) delete env.TIDEMARK_IMAGES;
  return env;
}

/** Containers of any tidemark session owned by `pid`. */
async function containersOwnedBy(pid: number): Promise<string[]> {
  const docker = (await dockerRuntime()).container.dockerode;
  const list = await docker.listContainers({ all: true, filters: { label: [`${LABELS.ownerPid}=${pid}`] } });
  return list.map((c) => c.Names.join(','));
}

describe('images that cannot be had (real Docker engine, no registry)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tidemark-images-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('--provider testcontainers stops at once, naming each image, why, and what to do', async () => {
    const child = promisify(execFile)(process.execPath, [BIN, 'infra', 'up', '--provider', 'testcontainers', '--services', 'redis', '--state', join(dir, 'tc.json')], {
      env: envWith({ TIDEMARK_IMAGES: 'official' }),
      timeout: 120_000,
    });
    const failure = (await child.then(() => undefined, (err: unknown) => err)) as { code: number; stderr: string; stdout: string } | undefined;
    expect(failure).toBeDefined();
    expect(failure?.code).toBe(1);
    const output = `${failure?.stdout}${failure?.stderr}`;
    // Redis and Toxiproxy (official names) are not here, and no registry answers.
    expect(output).toContain('redis:7.2 (redis, official image): not on this machine, and the pull failed: no registry reachable');
    expect(output).toContain('ghcr.io/shopify/toxiproxy:2.12.0 (toxiproxy, official image)');
    expect(output).toContain('npx tidemark-chaos images build');
    expect(output).toContain('--provider native');
    expect(output).not.toMatch(/HTTP code \d+/);
    expect(await containersOwnedBy(child.child.pid as number)).toEqual([]);
  }, 150_000);

  it('auto says once which image is missing, and runs the native servers instead', async () => {
    const child = spawn(process.execPath, [BIN, 'infra', 'up', '--provider', 'auto', '--services', 'redis', '--state', join(dir, 'auto.json')], {
      env: envWith({ TIDEMARK_IMAGES: 'local', TIDEMARK_IMAGE_REDIS: 'tidemark-local/redis:never-built' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    await new Promise<void>((done, fail) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('tears it down')) done();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exit.then((code) => fail(new Error(`infra up exited early (${code}):\n${output}`)));
    });
    child.kill('SIGINT');
    expect(await exit).toBe(0);
    // An image named by TIDEMARK_IMAGE_<KEY> may live in a registry, so it is tried there too.
    expect(output).toContain('a Docker engine answers, but container images cannot be had (tidemark-local/redis:never-built: not on this machine, and the pull failed: no registry reachable');
    expect(output).toContain('npx tidemark-chaos images build');
    expect(output.match(/container images cannot be had/g)).toHaveLength(1);
    expect(output).toContain('(provider: native)');
    expect(await containersOwnedBy(child.pid as number)).toEqual([]);
  }, 150_000);
});
