/**
 * The runner end to end, as CI runs it: `tidemark-chaos run` (compiled: needs `npx tsc -b`) on a
 * short scenario writes its reports and exits 0; Ctrl-C stops a run and leaves no process behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../../chaos/src/report/index.js';
import { LABELS } from '../../../chaos/src/infra/testcontainers/sessions.js';
import { descendants } from '../../support/processes.js';
import { TEST_PROVIDER, containersLabelled } from '../../support/provider.js';

const BIN = resolve('chaos/bin/tidemark-chaos.js');
const FIXTURES = resolve(import.meta.dirname, 'fixtures');

interface Exit {
  pid: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function chaos(args: string[], onStderr?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Exit> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, 'run', '--provider', TEST_PROVIDER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      onStderr?.(stderr, child);
    });
    child.on('exit', (code) => done({ pid: child.pid as number, code, stdout, stderr }));
  });
}

/** Everything a run left: processes below this test, and (testcontainers) containers it owned. */
async function leftBehind(run: Exit): Promise<string[]> {
  return [...descendants().map((pid) => `pid ${pid}`), ...(await containersLabelled(LABELS.ownerPid, String(run.pid)))];
}

describe(`tidemark-chaos run (${TEST_PROVIDER})`, () => {
  it('lists the scenarios and refuses bad usage with exit code 2', async () => {
    const list = await chaos(['--list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^network-partition\s+mysql,postgres\s+network,source,sink\s+Cut the engine off/m);
    const bad = await chaos(['--scenario', 'all', '--source', 'oracle']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--source must be one of mysql, postgres, both');
  }, 30_000);

  it('runs a scenario file end to end, writes the three reports and ends with the summary line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'chaos-report-'));
    const run = await chaos(['--scenario', join(FIXTURES, 'runner-smoke.yaml'), '--source', 'mysql', '--seed', '3', '--report', out]);
    expect(run.stdout.trimEnd().split('\n').at(-1), `${run.stdout}\n${run.stderr}`).toBe('1 passed, 0 failed');
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
    const [only] = report.runs;
    expect(only).toMatchObject({ scenario: 'runner-smoke', source: 'mysql', seed: 3, sinks: ['nats', 'http'] });
    expect(only!.verdicts.every((v) => v.validity === 'valid')).toBe(true);
    expect(only!.verdicts.map((v) => v.checker)).toEqual(expect.arrayContaining(['lost', 'duplicated', 'reordered', 'phantom', 'stalled', 'expectation']));
    expect(only!.faults).toEqual([expect.objectContaining({ kind: 'partition', target: 'nats' })]);
    expect(only!.faults[0]!.until! - only!.faults[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(only!.timeline.length).toBeGreaterThan(5);
    expect(only!.timeline.at(-1)!.delivered.nats).toBe(only!.timeline.at(-1)!.written);
    expect(only!.phases!.map((p) => p.name)).toEqual(['setup', 'engine', 'warm-up', 'workload', 'heal', 'catch-up', 'read', 'check', 'teardown']);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuite name="runner-smoke (mysql)"');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(await leftBehind(run)).toEqual([]);
  }, 180_000);

  it('stops on Ctrl-C: exit code 130, everything torn down', async () => {
    let sent = false;
    const run = await chaos(['--scenario', join(FIXTURES, 'runner-interrupt.yaml'), '--seed', '1'], (text, child) => {
      if (!sent && text.includes('nemesis: kill-engine')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stdout).toContain('0 passed, 1 failed');
    expect(await leftBehind(run)).toEqual([]);
  }, 180_000);
});
