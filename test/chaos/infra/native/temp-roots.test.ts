import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempRoot, sweepAbandonedRoots } from '../../../../chaos/src/infra/native/temp-roots.js';

describe('native temp roots', () => {
  let parent: string;
  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'tidemark-roots-test-'));
  });
  afterAll(async () => {
    await rm(parent, { recursive: true, force: true });
  });

  it('creates a root that user postgres can traverse, stamped with its owner', async () => {
    const root = await createTempRoot(parent);
    expect((await stat(root)).mode & 0o777).toBe(0o755);
    expect(JSON.parse(await readFile(join(root, 'owner.json'), 'utf8'))).toMatchObject({ pid: process.pid });
  });

  it('sweeps roots whose owner is gone, and only those', async () => {
    const live = await createTempRoot(parent);
    const deadPid = spawnSync('true').pid as number;
    const abandoned = join(parent, 'tidemark-infra-abandoned');
    await mkdir(join(abandoned, 'mysql'), { recursive: true });
    await writeFile(join(abandoned, 'owner.json'), JSON.stringify({ pid: deadPid, startTime: 1 }));
    const foreign = join(parent, 'tidemark-config-xyz');
    await mkdir(foreign);
    await sweepAbandonedRoots(parent);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(foreign)).toBe(true);
  });
});
