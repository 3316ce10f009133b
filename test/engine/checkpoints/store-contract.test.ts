import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FileCheckpointBackend,
  MemoryCheckpointBackend,
  SqliteCheckpointBackend,
  type CheckpointBackend,
} from '../../../engine/src/checkpoints/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tidemark-cp-'));

/** One contract, every implementation (DESIGN.md §6). `reopen` simulates a process restart. */
const backends: Array<{ name: string; open: () => { backend: CheckpointBackend; reopen: () => CheckpointBackend } }> = [
  {
    name: 'sqlite',
    open: () => {
      const path = join(tmp(), 'c.db');
      return { backend: new SqliteCheckpointBackend(path), reopen: () => new SqliteCheckpointBackend(path) };
    },
  },
  {
    name: 'file',
    open: () => {
      const dir = tmp();
      return { backend: new FileCheckpointBackend(dir), reopen: () => new FileCheckpointBackend(dir) };
    },
  },
  {
    name: 'memory',
    open: () => {
      const b = new MemoryCheckpointBackend();
      return { backend: b, reopen: () => b };
    },
  },
];

describe.each(backends)('$name checkpoint store', ({ open }) => {
  it('saves atomically, loads, lists and removes per pipeline', async () => {
    const { backend, reopen } = open();
    const a = backend.forPipeline('a');
    await a.save([{ key: 'src::sink::k', position: { offset: 1 } }, { key: 'src::sink::r', position: { offset: 2 } }]);
    await backend.forPipeline('b').save([{ key: 'src::sink::k', position: { offset: 9 } }]);
    await a.save([{ key: 'src::sink::k', position: { offset: 3 } }]);
    await backend.close();
    const again = reopen();
    const loaded = await again.forPipeline('a').loadAll();
    expect(Object.fromEntries([...loaded].map(([k, v]) => [k, v.position]))).toEqual({ 'src::sink::k': { offset: 3 }, 'src::sink::r': { offset: 2 } });
    expect((await again.forPipeline('b').load('src::sink::k'))?.position).toEqual({ offset: 9 });
    expect((await again.forPipeline('a').load('src::sink::k'))?.updatedAt).toBeGreaterThan(Date.now() - 60_000);
    await again.forPipeline('a').remove('src::sink::r');
    expect(await again.forPipeline('a').load('src::sink::r')).toBeNull();
    await again.dropPipeline('b');
    expect((await again.forPipeline('b').loadAll()).size).toBe(0);
    await again.close();
  });

  it('keeps a key/value space per pipeline and namespace', async () => {
    const { backend, reopen } = open();
    const kv = backend.forPipeline('a').kv;
    await kv.put('identity', 'server', { uuid: 'u1' });
    await kv.put('schemas', 'db.t', { version: 2 });
    await kv.put('schemas', 'db.a', { version: 1 });
    await backend.forPipeline('b').kv.put('schemas', 'db.t', { version: 7 });
    await backend.close();
    const again = reopen().forPipeline('a').kv;
    expect(await again.get('identity', 'server')).toEqual({ uuid: 'u1' });
    expect((await again.list('schemas')).map((e) => e.key)).toEqual(['db.a', 'db.t']);
    await again.delete('schemas', 'db.t');
    expect(await again.get('schemas', 'db.t')).toBeUndefined();
  });

  it('property: the last saved position of every key is what loads', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom('k1', 'k2', 'k3'), fc.nat()), { minLength: 1, maxLength: 20 }), async (saves) => {
        const { backend, reopen } = open();
        const store = backend.forPipeline('p');
        const expected = new Map<string, number>();
        for (const [key, offset] of saves) {
          await store.save([{ key, position: { offset } }]);
          expected.set(key, offset);
        }
        await backend.close();
        const loaded = await reopen().forPipeline('p').loadAll();
        expect(Object.fromEntries([...loaded].map(([k, v]) => [k, (v.position as { offset: number }).offset]))).toEqual(Object.fromEntries(expected));
      }),
      { numRuns: 50 },
    );
  });
});

describe('durability across SIGKILL', () => {
  it.each(['sqlite', 'file'])('%s: every save reported before the kill is still there', async (kind) => {
    const dir = tmp();
    // The child saves increasing offsets and prints each after save() resolved; we kill it mid-loop.
    const script = `
      const m = await import(${JSON.stringify(new URL('../../../engine/dist/checkpoints/index.js', import.meta.url).href)});
      const b = ${kind === 'sqlite' ? `new m.SqliteCheckpointBackend(${JSON.stringify(join(dir, 'c.db'))})` : `new m.FileCheckpointBackend(${JSON.stringify(dir)})`};
      const s = b.forPipeline('p');
      for (let i = 0; ; i++) { await s.save([{ key: 'k', position: { offset: i } }]); process.stdout.write(i + '\\n'); }
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let lastReported = -1;
    child.stdout.on('data', (d: Buffer) => {
      const lines = d.toString().trim().split('\n');
      lastReported = Number(lines[lines.length - 1]);
    });
    // Kill mid-loop once the child has saved a few times (startup is slow on a loaded machine).
    const deadline = Date.now() + 30_000;
    while (lastReported < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(lastReported).toBeGreaterThanOrEqual(20);
    const backend = kind === 'sqlite' ? new SqliteCheckpointBackend(join(dir, 'c.db')) : new FileCheckpointBackend(dir);
    const saved = (await backend.forPipeline('p').load('k'))!.position as { offset: number };
    expect(saved.offset).toBeGreaterThanOrEqual(lastReported);
    await backend.close();
  });
});
