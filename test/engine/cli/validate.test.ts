import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(process.cwd(), 'engine/bin/tidemark.js');

async function tidemark(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const SPEC = (batch: string) => `apiVersion: tidemark/v1
kind: Pipeline
metadata: { name: orders, tenant: acme }
spec:
  source:
    type: postgres
    config: { id: pg, dsn: "postgres://cdc:topsecret@127.0.0.1:5432/shop", slot: s, publication: p, tables: [public.orders] }
  sinks:
    - type: redis
      config: { id: r, uri: "redis://:redispw@127.0.0.1:6379", stream: "cdc:\${source.table}" }
  batch: { ${batch} }
`;

describe('tidemark validate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-cli-'));

  it('prints a path-qualified error and exits 1 on a bad file', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, SPEC('max_events: lots'));
    const r = await tidemark(['validate', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}: spec.batch.max_events: expected a positive integer, got "lots"`);
  });

  it('prints a summary with secrets masked and exits 0 on a good file', async () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(file, SPEC('max_events: 100'));
    const r = await tidemark(['validate', '--config', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pipeline orders (tenant acme)');
    expect(r.stdout).toContain('sink     redis r -> cdc:${source.table}');
    expect(r.stdout).toContain('1 pipeline valid');
    expect(r.stdout + r.stderr).not.toContain('topsecret');
    expect(r.stdout).toContain('postgres://cdc:***@127.0.0.1:5432/shop');
  });

  it('explains usage errors', async () => {
    expect((await tidemark(['validate'])).stderr).toContain('--config is required');
    expect((await tidemark(['frobnicate'])).stderr).toContain('unknown command "frobnicate"');
    expect((await tidemark(['run', '--config', join(dir, 'nope.yaml')])).stderr).toContain('no such file or directory');
  });
});
